"""Post-transforms: how links look is decided per builder, after the cached doctree is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from .config import get_dgx_config
from .nodes import dgx_file_link, dgx_heading, dgx_report_card

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FILES_URL_DIR = "files"
NEW_TAB_NOTE = " (opens in a new tab)"


def file_url(name: str) -> str:
    """The site-relative, percent-encoded URL of a report file: ``files/<name>``."""
    return f"{FILES_URL_DIR}/{quote(name)}"


def resolve_file_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: turn each :class:`~sphinx_dgx.nodes.dgx_file_link` into what the builder can use.

    HTML builders get a relative link to ``files/<name>``; the others get the
    link text (they have no copy of the file to point at). Runs once references
    are resolved, since resolving a role may create file links too.
    """
    builder = app.builder
    html = builder.format == "html"
    for node in list(doctree.findall(dgx_file_link)):
        if html and node.get("available", True):
            here = builder.get_target_uri(docname)
            new: nodes.Element = nodes.reference(
                "",
                "",
                *node.children,
                refuri=relative_uri(here, file_url(node["file"])),
                internal=True,
                classes=["dgx-download"],
            )
        else:
            new = nodes.inline("", "", *node.children)
        new.source, new.line = node.source, node.line
        node.replace_self(new)


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
                node += nodes.inline("", NEW_TAB_NOTE, classes=["dgx-visually-hidden"])


class LinkNames(SphinxPostTransform):
    """Give each card's title link an accessible name that says what it opens.

    "Download Cloud governance, PDF, 1.2 MB, 24 pages": the visible title, with the rest
    in text that only screen readers announce.
    """

    default_priority = 800  # before ExternalLinks adds its note
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        from .domain import get_domain

        domain = get_domain(self.env)
        for card in self.document.findall(dgx_report_card):
            report = domain.catalogue.reports_by_id.get(card["report_id"])
            link = next(
                (
                    n
                    for n in card.findall(nodes.Element)
                    if isinstance(n, (dgx_file_link, nodes.reference)) and isinstance(n.parent, dgx_heading)
                ),
                None,
            )
            if report is None or link is None:
                continue
            facts = domain.facts(report.id)
            if report.file is None:
                before, after = "", f", web page at {urlsplit(report.url or '').hostname}"
            elif not link.get("available", True):
                continue
            else:
                before, after = "Download ", f", {facts.describe()}" if facts else ", PDF"
            if before:
                link.insert(0, nodes.inline("", before, classes=["dgx-visually-hidden"]))
            link += nodes.inline("", after, classes=["dgx-visually-hidden"])
