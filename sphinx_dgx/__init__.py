"""sphinx_dgx: publish a catalogue of working groups and their reports with Sphinx.

Add ``"sphinx_dgx"`` to ``extensions`` in conf.py. See the authoring guide and
reference in the documentation for the catalogue format and the directives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"
ENV_VERSION = 4
"""The form of what sphinx_dgx keeps in Sphinx's environment and doctrees (4: cards read without
placeholder nodes). With the facts cache's format it makes the ``env_version`` Sphinx compares:
when either changes, Sphinx reads and writes every page again (the pages show covers named as the
cache names them)."""


def setup(app: Sphinx) -> dict[str, Any]:
    """Register sphinx_dgx: config values, nodes and visitors, directives, domain and event handlers."""
    from . import (
        appendix,
        collect,
        config,
        directives,
        domain,
        facts,
        feeds,
        html,
        latex,
        navigation,
        publishing,
        reportpages,
        resume,
        sitechecks,
        transforms,
    )

    app.setup_extension("sphinx_design")
    config.register(app)
    app.connect("config-inited", config.validate, priority=400)
    app.connect("config-inited", html.add_static_path)
    app.connect("config-inited", latex.add_package)

    add_nodes(app)
    directives.setup_directives(app)
    app.add_domain(domain.DgxDomain)
    app.add_post_transform(transforms.ExternalLinks)
    app.add_post_transform(appendix.ReportsAppendix)
    app.add_post_transform(latex.HandbookRows)

    app.connect("builder-inited", collect.collect)
    app.connect("env-before-read-docs", collect.finish_before_parallel_read)
    app.connect("env-updated", collect.finish_measuring, priority=100)
    app.connect("build-finished", collect.abandon_measuring, priority=100)
    reportpages.setup(app)
    app.connect("env-get-outdated", resume.outdated)
    app.connect("env-get-outdated", domain.outdated_docs)
    app.connect("builder-inited", html.add_assets)
    app.connect("builder-inited", transforms.check_base_url)
    app.connect("doctree-resolved", publishing.resolve_file_links)
    app.connect("html-page-context", html.add_meta_description)
    app.connect("html-page-context", html.add_heading_levels, priority=400)
    app.connect("build-finished", publishing.publish_files)
    app.connect("build-finished", publishing.copy_reports)
    app.connect("build-finished", resume.finish, priority=900)
    app.connect("build-finished", collect.tidy_cache, priority=950)
    feeds.setup_feeds(app)
    navigation.setup_navigation(app)
    sitechecks.setup_sitechecks(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION * 1000 + facts.FactsCache.VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def add_nodes(app: Sphinx) -> None:
    """Every node with its visitors: HTML and LaTeX have their own; other builders the standard ones."""
    from . import appendix, html, latex, nodes

    # covers and screen-reader notes are for the web site; elsewhere the entry says enough
    skip = (html.skip, None)
    only_html = {builder: skip for builder in ("latex", "text", "man", "texinfo")}
    for node_class in nodes.ALL_NODES:
        visitors = {
            builder: table[node_class]
            for builder, table in (("html", html.HTML_VISITORS), ("latex", latex.LATEX_VISITORS))
            if node_class in table
        }
        if node_class in (nodes.dgx_cover, nodes.dgx_hidden):
            visitors.update(only_html)
        app.add_node(node_class, **visitors)
    # only LaTeX documents get an appendix node; other builders never meet it
    app.add_node(appendix.dgx_appendix, latex=(appendix.visit_appendix, None))
