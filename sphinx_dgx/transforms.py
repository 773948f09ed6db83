"""Post-transforms: how links look is decided per builder, after the cached doctree is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .config import get_dgx_config, setting_location
from .logging import warn
from .nodes import dgx_hidden
from .problems import Subtype
from .publishing import base_url, is_site

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NEW_TAB_NOTE = " (opens in a new tab)"


def hidden(text: str) -> dgx_hidden:
    """Text for screen readers only."""
    return dgx_hidden(note=text, classes=["dgx-visually-hidden"])


def check_base_url(app: Sphinx) -> None:
    """``builder-inited``: say once what a build without ``html_baseurl`` cannot do."""
    if base_url(app.config) is not None:
        return
    if app.builder.format == "latex":
        effect = "the handbook cannot link to the published report files"
    elif is_site(app.builder):
        effect = "reports.json and the reports.atom feed use relative URLs"
    else:
        return
    warn(
        Subtype.NO_BASE_URL,
        f"html_baseurl is not set: {effect}",
        setting_location(app.confdir, "html_baseurl"),
    )


class ExternalLinks(SphinxPostTransform):
    """Open external http(s) links in a new tab, and say so to screen readers."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not get_dgx_config(self.config).external_links_new_tab:
            return
        for node in self.document.findall(nodes.reference):
            if node.get("internal") or urlsplit(node.get("refuri", "")).scheme not in ("http", "https"):
                continue
            node["target"] = "_blank"
            node["rel"] = "noopener noreferrer"
            if isinstance(node.parent, nodes.TextElement):
                node += hidden(NEW_TAB_NOTE)
