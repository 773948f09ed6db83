"""A page for every report with a file: ``reports/<id>``, generated from the catalogue.

Each page is a real Sphinx document, so the site's search, incremental builds and ``-j`` treat it
like any other. Its source, ``<srcdir>/reports/<id>.md``, is written at ``builder-inited`` (after
the catalogue is read): two lines of front matter and one ``dgx-report-page`` directive, written
again only when they change, and removed with their report. Editors never write or commit them
(the folder is ignored by git); a file in that folder that sphinx_dgx did not write is left alone.
The pages are orphans: no table of contents holds them, so the handbook leaves them out.

The directive shows, from the catalogue and the measured file: the title, the working group and
year, the summary, the cover, the facts and download link, the PDF's outline, the text of each
page (extracted from the PDF: for search and screen readers, not a replacement), how to cite the
report, and the other reports of its working group and year.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from . import catalogue as cat
from . import uses as uses_
from .citation import Citable, bibtex, citable, csl_json, formatted, highwire, ris, schema_report
from .config import get_dgx_config
from .domain import GROUP, REPORT, get_domain
from .feeds import script_json, write_if_changed
from .logging import warn
from .nodes import dgx_file_link, dgx_reports
from .problems import Subtype
from .publishing import (
    CITATIONS_URL_DIR,
    PAGES_DIR,
    Resolver,
    base_url,
    file_url,
    has_page,
    is_site,
    page_docname,
    page_path,
    remove_stale,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import DgxDomain

DIRECTIVE = "dgx-report-page"
MARKER = "% sphinx_dgx wrote this page from the catalogue"


# -- the sources ---------------------------------------------------------------------------------


def source_of(report: cat.Report) -> str:
    """The page's source: front matter (an orphan, the summary as its description) and the directive."""
    return (
        "---\norphan: true\n"
        f"description: {json.dumps(' '.join(report.summary.split()), ensure_ascii=False)}\n---\n\n"
        f"{MARKER} (dgx_report_pages); it is written again at each build: do not edit it.\n\n"
        f"```{{{DIRECTIVE}}} {report.id}\n```\n"
    )


BUILDERS: WeakKeyDictionary[Any, Builder] = WeakKeyDictionary()
"""The builder of each environment: citations name the page's address as this builder writes it."""


def write_sources(app: Sphinx) -> None:
    """``builder-inited``: the sources of the report pages, each written only when it changes."""
    BUILDERS[app.env] = app.builder
    if not is_site(app.builder):  # the handbook and other books hold no report pages
        return
    domain = get_domain(app.env)
    folder = Path(app.srcdir, PAGES_DIR)
    wanted = {
        f"{report.id}.md": source_of(report)
        for report in domain.catalogue.reports
        if has_page(domain, report.id)
    }
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if path.name not in wanted and _generated(path):
            path.unlink()
    if not wanted:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return
    folder.mkdir(exist_ok=True)
    for name, text in wanted.items():
        path = folder / name
        if path.exists() and not _generated(path):
            warn(
                Subtype.CONFIG,
                f"{PAGES_DIR}/{name} was not written by sphinx_dgx: it is left as it is, and the "
                "report's own page is not generated: move that page elsewhere, or set "
                "dgx_report_pages = False",
                str(path),
            )
            continue
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _generated(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return MARKER in handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False


# -- the directive -------------------------------------------------------------------------------


class ReportPageDirective(SphinxDirective):
    """``dgx-report-page <id>``: the page of one report (written by :func:`write_sources`)."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        from .directives import ReportsDirective

        domain = get_domain(self.env)
        report = domain.catalogue.reports_by_id.get(self.arguments[0])
        if report is None:
            warn(Subtype.UNKNOWN_ID, f"unknown report id {self.arguments[0]!r}", self.get_location())
            return []
        domain.note_use(self.env.docname, uses_.PageUse(report.id))
        cards = ReportsDirective(
            "dgx-reports", [], {}, [], self.lineno, self.content_offset, "", self.state, self.state_machine
        )
        cards.domain, cards.catalogue, cards.values = domain, domain.catalogue, {}
        section = nodes.section("", nodes.title("", report.title), ids=["report"], names=["report"])
        section["support_smartquotes"] = False
        section += self.byline(cards, report)
        card = cards.entry(report, on_its_page=True)  # the cover, facts, download, summary
        section += dgx_reports("", card, classes=["dgx-report-page-card"])
        section.extend(self.parts(domain, report, cards))
        self.set_source_info(section)
        for child in section.findall(nodes.Element):
            if child.line is None:
                self.set_source_info(child)
        return [section]

    def byline(self, cards: Any, report: cat.Report) -> nodes.paragraph:
        return nodes.paragraph(
            "",
            "A report of the DGX ",
            cards.xref(GROUP, report.group),
            nodes.Text(f", {report.year}."),
            classes=["dgx-byline"],
        )

    def parts(self, domain: DgxDomain, report: cat.Report, cards: Any) -> list[nodes.Node]:
        text = domain.report_text(report.id)
        parts = [contents(report, text), citation(domain, report), others(domain, report, cards.xref)]
        if domain.report_text_shown:
            parts.append(text_section(report, text))  # the longest, last
        return [part for part in parts if part is not None]


def subsection(title: str, ident: str, *children: nodes.Node) -> nodes.section:
    return nodes.section("", nodes.title("", title), *children, ids=[ident], names=[ident])


def at_page(report: cat.Report, number: int, *children: nodes.Node) -> dgx_file_link:
    """A link to the report's file, opened at a page."""
    return dgx_file_link("", "", *children, file=report.file, fragment=f"page={number}", available=True)


def contents(report: cat.Report, text: Any) -> nodes.section | None:
    """The PDF's own outline, each entry opening the file at its page."""
    if text is None or not text.outline:
        return None
    top = nodes.bullet_list(classes=["dgx-contents"])
    lists = [top]
    for entry in text.outline:
        while len(lists) > entry.level + 1:
            lists.pop()
        while len(lists) < entry.level + 1:
            inner = nodes.bullet_list()
            if lists[-1].children:
                lists[-1].children[-1] += inner
            else:
                lists[-1] += nodes.list_item("", inner)
            lists.append(inner)
        link = at_page(report, entry.page, nodes.Text(entry.title))
        lists[-1] += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(f" (page {entry.page})")))
    return subsection("Contents", "contents", top)


NO_TEXT = "This page has no text (it may be an image)."


def text_section(report: cat.Report, text: Any) -> nodes.section | None:
    """The text of each page, under an anchor ``page-N``, with a link that opens the PDF there."""
    if text is None or not text.pages:
        return None
    note = nodes.paragraph(
        "",
        "The text below was extracted from the PDF, page by page, so that the site's search finds "
        "it and screen readers can read it. It is not a replacement for the report: its layout, "
        "pictures and tables are in the PDF.",
        classes=["dgx-text-note"],
    )
    section = subsection("Text of the report", "text", note)
    for number, page in enumerate(text.pages, start=1):
        part = subsection(f"Page {number}", f"page-{number}")
        part += nodes.paragraph("", "", at_page(report, number, nodes.Text(f"Open the PDF at page {number}")))
        paragraphs = paragraphs_of(page)
        if not paragraphs:
            part += nodes.paragraph("", NO_TEXT, classes=["dgx-no-text"])
        part.extend(nodes.paragraph("", block) for block in paragraphs)
        section += part
    if getattr(text, "cut", False):
        section += nodes.paragraph(
            "", "The text stops here: the rest of the report is in the PDF.", classes=["dgx-text-note"]
        )
    return section


SENTENCE_END = (".", "?", "!", ":", "\u3002")


def paragraphs_of(page: str) -> list[str]:
    """A page's text as paragraphs: PDFs keep lines, not paragraphs, so a paragraph ends at a blank
    line or at a line that ends a sentence; the lines within one are joined."""
    found: list[str] = []
    lines: list[str] = []
    for line in [*page.split("\n"), ""]:
        line = " ".join(line.split())
        if line:
            lines.append(line)
        if lines and (not line or line.endswith(SENTENCE_END)):
            found.append(" ".join(lines))
            lines = []
    return found


def citable_of(domain: DgxDomain, report: cat.Report) -> Citable:
    """What citations of a report say: its page and file as the site publishes them (absolute with
    ``html_baseurl``), and the publisher (``dgx_publisher``, else the project's ``author``)."""
    builder, config = BUILDERS[domain.env], domain.env.config
    resolve = Resolver(base_url(config))
    page = page_path(builder, page_docname(report.id)) if is_site(builder) else ""
    facts = domain.facts(report.id)
    publisher = get_dgx_config(config).publisher.strip() or project_author(config)
    group = domain.catalogue.groups_by_id[report.group]
    return citable(
        report,
        group,
        publisher,
        resolve(page),
        resolve(file_url(report.file or "")),
        facts.pages if facts else None,
    )


def project_author(config: Any) -> str:
    """The project's ``author``, unless it is Sphinx's placeholder; else the project's name."""
    author = str(config.author or "").strip()
    if author and author != "Author name not set":
        return author
    return str(config.project or "").strip()


def citation(domain: DgxDomain, report: cat.Report) -> nodes.section | None:
    """Cite this report: the formatted citation and the files of each format (see citation.py)."""
    cite = citable_of(domain, report)
    downloads = nodes.paragraph("", "Download the citation: ", classes=["dgx-cite-files"])
    for index, (label, suffix) in enumerate((label, suffix) for suffix, (label, _) in CITATION_FILES.items()):
        if index:
            downloads += nodes.Text(", ")
        downloads += dgx_file_link("", label, file=f"{report.id}.{suffix}", citation=True, available=True)
    return subsection(
        "Cite this report",
        "cite",
        nodes.paragraph("", formatted(cite), classes=["dgx-citation"]),
        downloads,
    )


OTHERS_SHOWN = 12
"""The most reports listed under each heading of "Other reports" (the rest are counted)."""


def others(
    domain: DgxDomain, report: cat.Report, xref: Callable[[str, str], nodes.Node]
) -> nodes.section | None:
    """The other reports of its working group, then of its year from other groups, each linked to
    where it is; at most :data:`OTHERS_SHOWN` under each (a year of a large site has hundreds)."""
    catalogue = domain.catalogue
    domain.note_use(domain.env.docname, uses_.YearUse(report.year))
    section = subsection("Other reports", "other-reports")
    of_group = [other for other in catalogue.reports_of(report.group) if other.id != report.id]
    of_year = [
        other
        for other in catalogue.chosen(cat.ReportFilter(frozenset({report.year})))
        if other.group != report.group
    ]
    for heading, chosen in (
        (f"Of the {domain.title_of(GROUP, report.group)}", of_group),
        (f"Of {report.year}, by other working groups", of_year),
    ):
        if not chosen:
            continue
        items = nodes.bullet_list()
        for other in chosen[:OTHERS_SHOWN]:
            domain.note_use(domain.env.docname, uses_.CiteUse(REPORT, other.id))
            items += nodes.list_item("", nodes.paragraph("", "", xref(REPORT, other.id)))
        section += nodes.rubric("", heading)
        section += items
        if len(chosen) > OTHERS_SHOWN:
            more = len(chosen) - OTHERS_SHOWN
            section += nodes.paragraph("", f"And {more} more.", classes=["dgx-more"])
    return section if len(section.children) > 1 else None


# -- what the site publishes beside the pages -----------------------------------------------------

CITATION_FILES: dict[str, tuple[str, Callable[[Citable], str]]] = {
    "bib": ("BibTeX", bibtex),
    "ris": ("RIS", ris),
    "json": ("CSL-JSON", csl_json),
}
"""The citation files of each report, by suffix: their name for readers and how they are written."""


def write_citations(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: each report page's citation files, ``_dgx/cite/<id>.bib``, ``.ris`` and
    ``.json``; files of reports that have no page any more are removed."""
    if exception is not None or not is_site(app.builder):
        return
    domain = get_domain(app.env)
    folder = Path(app.outdir, CITATIONS_URL_DIR)
    wanted: dict[Path, str] = {}
    for report in domain.catalogue.reports:
        if page_docname(report.id) in app.env.all_docs and has_page(domain, report.id):
            cite = citable_of(domain, report)
            for suffix, (_, write) in CITATION_FILES.items():
                wanted[folder / f"{report.id}.{suffix}"] = write(cite)
    remove_stale(folder, keep=set(wanted))
    for path, text in wanted.items():
        folder.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, text.encode("utf-8"))


def add_citation_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: on a report's page, the Highwire Press ``citation_*`` tags (read by
    Google Scholar and Zotero) and the report as schema.org JSON-LD."""
    if not pagename.startswith(f"{PAGES_DIR}/") or not is_site(app.builder):
        return
    domain = get_domain(app.env)
    report = domain.catalogue.reports_by_id.get(pagename[len(PAGES_DIR) + 1 :])
    if report is None or not has_page(domain, report.id):
        return
    cite = citable_of(domain, report)
    tags = [f'<meta name="{escape(name)}" content="{escape(value)}" />' for name, value in highwire(cite)]
    tags.append(f'<script type="application/ld+json">{script_json(schema_report(cite))}</script>')
    context["metatags"] = context.get("metatags", "") + "".join(f"\n    {tag}" for tag in tags)


NAVIGATION: WeakKeyDictionary[Any, dict[int, str]] = WeakKeyDictionary()
"""Furo's navigation of the report pages of a builder, by the depth of the page's folder."""


def _report_page(pagename: str) -> bool:
    return pagename.startswith(f"{PAGES_DIR}/")


def skip_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, before the theme: a report page whose navigation is known already (no
    table of contents holds a report page, so every one at a depth has the same) gives the theme
    no table of contents to turn into it again: at 2,000 reports, minutes of a build."""
    known = NAVIGATION.get(app.builder, {})
    if _report_page(pagename) and pagename.count("/") in known and "toctree" in context:
        context["dgx_toctree"] = context.pop("toctree")


def share_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after the theme: the report pages' navigation, made once."""
    if not _report_page(pagename) or "furo_navigation_tree" not in context:
        return
    known = NAVIGATION.setdefault(app.builder, {})
    depth = pagename.count("/")
    if "dgx_toctree" in context:
        context["toctree"] = context.pop("dgx_toctree")
        context["furo_navigation_tree"] = known[depth]
    else:
        known[depth] = context["furo_navigation_tree"]


def setup(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE, ReportPageDirective)
    app.connect("builder-inited", write_sources, priority=600)
    app.connect("build-finished", write_citations)
    app.connect("html-page-context", add_citation_tags)
    app.connect("html-page-context", skip_navigation, priority=450)
    app.connect("html-page-context", share_navigation, priority=550)
