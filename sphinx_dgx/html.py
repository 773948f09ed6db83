"""HTML output: sphinx-design card markup for the neutral nodes, assets and meta tags."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from .nodes import (
    dgx_card_body,
    dgx_card_footer,
    dgx_cover,
    dgx_field,
    dgx_heading,
    dgx_hidden,
    dgx_report_card,
    dgx_reports,
    dgx_working_group,
    dgx_working_groups,
)
from .publishing import COVERS_URL_DIR, is_site

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "dgx.css"

# node class -> the nested <div> class lists it opens (outermost first)
_DIVS: dict[type[nodes.Element], tuple[str, ...]] = {
    dgx_reports: (
        "dgx-reports sd-container-fluid sd-sphinx-override sd-mb-4",
        "sd-row sd-row-cols-1 sd-row-cols-md-2 sd-g-3",
    ),
    dgx_report_card: (
        "sd-col sd-d-flex-row",
        "dgx-report-card sd-card sd-sphinx-override sd-w-100 sd-shadow-sm",
    ),
    dgx_card_body: ("sd-card-body",),
    dgx_card_footer: ("sd-card-footer dgx-card-footer",),
    dgx_working_groups: ("dgx-working-groups",),
    dgx_working_group: ("dgx-working-group",),
}


def visit_divs(self: HTML5Translator, node: nodes.Element) -> None:
    """Open the node's divs; the node's own ids and classes go on the innermost one."""
    outer, inner = _DIVS[type(node)][:-1], _DIVS[type(node)][-1]
    for classes in outer:
        self.body.append(f'<div class="{classes}">')
    self.body.append(self.starttag(node, "div", CLASS=inner))


def depart_divs(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>" * len(_DIVS[type(node)]) + "\n")


def heading_level(node: nodes.Node) -> int:
    """One below the section the node is in (h2 in a page's top section, h3 in a subsection)."""
    depth, parent = 0, node.parent
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return min(depth + 1, 6)


def visit_cover(self: HTML5Translator, node: dgx_cover) -> None:
    """A decorative thumbnail (empty alt), loaded when it scrolls into view, hidden in print."""
    if not is_site(self.builder):  # an EPUB book holds no copy of the covers
        raise nodes.SkipNode
    here = self.builder.get_target_uri(self.builder.current_docname)
    src = relative_uri(here, f"{COVERS_URL_DIR}/{node['name']}")
    attributes = 'class="dgx-cover" loading="lazy"'
    if node.get("srcset"):  # a report's own page: the cover large, at the top
        sources = [relative_uri(here, f"{COVERS_URL_DIR}/{name}") for name in node["srcset"]]
        srcset = ", ".join(f"{source} {density}x" for density, source in enumerate(sources, start=1))
        attributes = f'class="dgx-cover dgx-page-cover" srcset="{escape(srcset, quote=True)}"'
    self.body.append(
        f'<img alt="" {attributes} width="{node["width"]}" height="{node["height"]}"'
        f' src="{escape(src, quote=True)}" />\n'
    )
    raise nodes.SkipNode


def visit_heading(self: HTML5Translator, node: dgx_heading) -> None:
    classes = "dgx-heading sd-card-title" if isinstance(node.parent, dgx_card_body) else "dgx-heading"
    self.body.append(self.starttag(node, f"h{heading_level(node)}", "", CLASS=classes))


def depart_heading(self: HTML5Translator, node: dgx_heading) -> None:
    self.body.append(f"</h{heading_level(node)}>\n")


def skip(self: Any, node: nodes.Element) -> None:
    """A visitor that leaves the node out."""
    raise nodes.SkipNode


def transparent(self: Any, node: nodes.Element) -> None:
    """A visitor that writes nothing of its own: the node's children are the output."""


def visit_hidden(self: HTML5Translator, node: dgx_hidden) -> None:
    self.body.append(self.starttag(node, "span", "") + self.encode(node["note"]) + "</span>")
    raise nodes.SkipNode


HTML_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    **{cls: (visit_divs, depart_divs) for cls in _DIVS},
    dgx_heading: (visit_heading, depart_heading),
    dgx_cover: (visit_cover, None),
    dgx_field: (transparent, transparent),
    dgx_hidden: (visit_hidden, None),
}


def add_static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: our static folder, added before the config is compared with the last build's."""
    static = os.fspath(STATIC_DIR)
    if static not in config.html_static_path:
        config.html_static_path.append(static)


def add_assets(app: Sphinx) -> None:
    """``builder-inited``: the stylesheet, for HTML builders only."""
    if app.builder.format == "html":
        app.add_css_file(CSS_FILE)


def add_meta_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the page's ``description`` front matter as its meta description."""
    description = app.env.metadata.get(pagename, {}).get("description")
    if isinstance(description, str) and description.strip():
        content = escape(" ".join(description.split()), quote=True)
        context["metatags"] = (
            context.get("metatags", "") + f'\n    <meta name="description" content="{content}" />'
        )


TOCTREE_CAPTION = '<p class="caption" role="heading">'


def add_heading_levels(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: toctree captions get the ``aria-level`` their ``role="heading"`` needs.

    Sphinx writes ``<p class="caption" role="heading">`` (sphinx-doc/sphinx#14030); ARIA 1.2
    requires a level, and 2 is the one ARIA 1.1 implied. Covers captions in the page body and,
    since this runs before the theme's handlers, the sidebar built from ``toctree()`` (furo's too).
    """
    with_level = TOCTREE_CAPTION.replace(">", ' aria-level="2">')
    if isinstance(context.get("body"), str):
        context["body"] = context["body"].replace(TOCTREE_CAPTION, with_level)
    toctree = context.get("toctree")
    if callable(toctree):

        def toctree_with_levels(**kwargs: Any) -> str:
            return toctree(**kwargs).replace(TOCTREE_CAPTION, with_level)

        context["toctree"] = toctree_with_levels
