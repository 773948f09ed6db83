"""Post-transforms: how links look is decided per builder, after the cached doctree is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from .config import get_dgx_config, setting_location
from .logging import warn
from .nodes import dgx_file_link, dgx_heading, dgx_report_card
from .problems import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

    from .catalogue import Report

FILES_URL_DIR = "files"
NEW_TAB_NOTE = " (opens in a new tab)"


def file_url(name: str) -> str:
    """The site-relative, percent-encoded URL of a report file: ``files/<name>``."""
    return f"{FILES_URL_DIR}/{quote(name)}"


def base_url(config: Config) -> str | None:
    """``html_baseurl``, the address of the published site, with one trailing slash (None if unset)."""
    base = (config.html_baseurl or "").strip()
    return base.rstrip("/") + "/" if base else None


def is_site(builder: Builder) -> bool:
    """Whether the builder publishes the web site (HTML format; EPUB packs its pages in a book instead)."""
    return builder.format == "html" and not builder.name.startswith("epub")


def published_url(config: Config, report: Report) -> str | None:
    """The absolute address of a report: its url, or its file on the published site (None if unknown)."""
    if report.url:
        return report.url
    base = base_url(config)
    if base is None or report.file is None or not report.file_ok:
        return None
    return base + file_url(report.file)


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


def resolve_file_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: turn each :class:`~sphinx_dgx.nodes.dgx_file_link` into what the builder can use.

    The site links to its own copy, ``files/<name>``, relative to the page; other builders
    (the PDF, an EPUB book) link to the published site, or give the text alone without
    ``html_baseurl``. Runs once references are resolved: resolving a role may create file links.
    """
    builder = app.builder
    site = is_site(builder)
    base = base_url(app.config)
    for node in list(doctree.findall(dgx_file_link)):
        uri = None
        if node.get("available", True):
            if site:
                uri = relative_uri(builder.get_target_uri(docname), file_url(node["file"]))
            elif base is not None:
                uri = base + file_url(node["file"])
        if uri is None:
            new: nodes.Element = nodes.inline("", "", *node.children)
        else:
            new = nodes.reference("", "", *node.children, refuri=uri, internal=site, classes=["dgx-download"])
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
