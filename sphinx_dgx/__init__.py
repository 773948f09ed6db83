"""sphinx_dgx: publish a catalogue of working groups and their reports with Sphinx.

Add ``"sphinx_dgx"`` to ``extensions`` in conf.py. See the authoring guide and
reference in the documentation for the catalogue format and the directives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register sphinx_dgx: config values, nodes and visitors, directives, domain and event handlers."""
    from . import config, directives, domain, html, nodes, transforms

    app.setup_extension("sphinx_design")
    config.register(app)
    app.connect("config-inited", config.validate, priority=400)
    app.connect("config-inited", html.add_static_path)

    for node_class in nodes.ALL_NODES:
        visitors = html.HTML_VISITORS.get(node_class)
        if visitors:
            app.add_node(node_class, html=visitors)
        else:
            app.add_node(node_class)
    directives.setup_directives(app)
    app.add_domain(domain.DgxDomain)
    app.add_post_transform(transforms.ExternalLinks)

    app.connect("env-before-read-docs", domain.load_catalogue)
    app.connect("builder-inited", html.add_assets)
    app.connect("doctree-resolved", transforms.resolve_file_links)
    app.connect("html-page-context", html.add_meta_description)
    app.connect("build-finished", html.publish_files)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
