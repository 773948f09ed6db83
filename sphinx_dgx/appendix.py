"""The handbook's appendix: the reports' own pages, after the handbook's text (dgxappendix.sty)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import handbook
from .config import get_dgx_config
from .domain import get_domain
from .latex import appendix_target, handbook_latex, knows_fonts, latex_uri
from .logging import warn
from .problems import Subtype
from .publishing import APPENDIX_DIR, in_appendix

if TYPE_CHECKING:
    from sphinx.writers.latex import LaTeXTranslator

    from .catalogue import Report
    from .domain import DgxDomain
    from .pdflayout import PageLayout, ReportLayout


class dgx_appendix(nodes.General, nodes.Element):
    """The appendix of reports, at the end of a LaTeX document.

    Attributes: ``included``, an :class:`Included` for each report whose pages it holds, and
    ``elsewhere``, the ``(title, url)`` of each report published elsewhere; newest first.
    """


@dataclass(frozen=True)
class Included:
    """A report whose pages the appendix holds."""

    id: str
    title: str
    layout: ReportLayout


class ReportsAppendix(SphinxPostTransform):
    """Put the appendix of reports (when it is on) at the end of each LaTeX document."""

    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        if not get_dgx_config(self.config).handbook_appendix or not domain.catalogue.reports:
            return
        reports = domain.catalogue.select_reports()
        self.document += dgx_appendix(
            included=[included(domain, r) for r in reports if in_appendix(domain, r)],
            elsewhere=[(r.title, r.url) for r in reports if r.url],
        )


def included(domain: DgxDomain, report: Report) -> Included:
    """A report of the appendix with its pages' layout; without links and outline (one warning at
    its entry) when they cannot be read."""
    from .pdflayout import LayoutError, PageLayout, ReportLayout, read_layout  # pypdf: for the handbook only

    catalogue = domain.catalogue
    facts = domain.facts(report.id)
    assert facts is not None and facts.pages is not None and facts.page_size is not None
    try:
        layout = read_layout(Path(catalogue.files_dir, report.file or ""))
        if len(layout.pages) != facts.pages:
            raise LayoutError(f"it has {len(layout.pages)} pages now, {facts.pages} when it was measured")
    except LayoutError as error:
        warn(
            Subtype.LINKS_LOST,
            f"report {report.id!r}: file {f'files/{report.file}'!r}: its links and outline cannot be "
            f"read ({error}), so the handbook holds its pages without them: export the PDF again",
            f"{catalogue.path}:{report.file_line or report.line}",
        )
        layout = ReportLayout(tuple(PageLayout(*facts.page_size) for _ in range(facts.pages)))
    return Included(report.id, report.title, layout)


def visit_appendix(self: LaTeXTranslator, node: dgx_appendix) -> None:
    """The reports' own pages, newest first, then the reports published elsewhere with their URLs."""
    body = [
        "\n\\appendix\n\\chapter{Reports}\n",
        "This appendix holds the reports themselves, newest first, so that this handbook can be "
        "read offline. Each page of the handbook shows one page of a report (two slides of a slide "
        "deck), framed, under the report's title and its own page number; the report's links and "
        "contents work as in the report.\n",
    ]
    if node["included"]:
        body.append("\\dgxappendixgeometry\n")
        body.extend(report_sheets(self, report) for report in node["included"])
        body.append("\\dgxappendixend\n")
    if node["elsewhere"]:
        body.append("\\section{Reports published elsewhere}\n\\begin{itemize}\n")
        for title, url in node["elsewhere"]:
            body.append(
                "\\item \\sphinxstylestrong{%s}\\newline\n\\sphinxurl{%s}\n"
                % (title_latex(self, title), latex_uri(url))
            )
        body.append("\\end{itemize}\n")
    self.body.append("".join(body))
    raise nodes.SkipNode


def sheets(pages: tuple[PageLayout, ...]) -> list[list[int]]:
    """The 1-based page numbers on each sheet: two slides together, every other page alone."""
    result: list[list[int]] = []
    number = 1
    while number <= len(pages):
        pair = number < len(pages) and pages[number - 1].slide and pages[number].slide
        result.append([number, number + 1] if pair else [number])
        number += 2 if pair else 1
    return result


def report_sheets(self: LaTeXTranslator, report: Included) -> str:
    """A report's sheets: the first starts its entry (contents, bookmarks, label)."""
    target = appendix_target(report.id)
    title = title_latex(self, report.title)
    start = "\\dgxreportstart{%s}{%s}" % (report.id, title) + "".join(
        "\n\\bookmark[dest={%s.%d},level=%d]{%s}"
        % (target, entry.page, 2 + entry.level, title_latex(self, entry.title))
        for entry in report.layout.outline
    )
    count = len(report.layout.pages)
    out = []
    for sheet in sheets(report.layout.pages):
        shown = (
            "page %d of %d" % (sheet[0], count)
            if len(sheet) == 1
            else "pages %d\\textendash{}%d of %d" % (sheet[0], sheet[-1], count)
        )
        slots = "\\dgxslotgap\n".join(slot(report, number, len(sheet)) for number in sheet)
        out.append("\\dgxsheet{%s}{%s}{%%\n%s}\n" % (shown, start, slots))
        start = ""
    return "".join(out)


def slot(report: Included, number: int, share: int) -> str:
    """One page of a report on a sheet of *share* pages: its drawing, its destination, its links."""
    page = report.layout.pages[number - 1]
    target = appendix_target(report.id)
    over = ["\\dgxpagetarget{%s.%d}{%s}" % (target, number, points(page.height))]
    for link in page.links:
        area = "{%s}{%s}{%s}{%s}" % (points(link.x), points(link.y), points(link.width), points(link.height))
        if link.uri is not None:
            over.append("\\dgxuri%s{%s}" % (area, link.uri.encode("utf-8").hex().upper()))
        elif link.page is not None and 1 <= link.page <= len(report.layout.pages):
            destination = "%s.%d" % (target, link.page)
            over.append("\\dgxgoto%s{%s}" % (area, destination.encode("ascii").hex().upper()))
    return "\\dgxslot{%s/%s.pdf}{%d}{%s}{%s}{%d}{%d}{%d}{%%\n%s}\n" % (
        APPENDIX_DIR,
        report.id,
        number,
        points(page.width),
        points(page.height),
        round(page.width * 100),
        round(page.height * 100),
        share,
        "%\n".join(over),
    )


def points(value: float) -> str:
    """A length in points as LaTeX's picture environment reads it: ``612``, ``841.89``."""
    return ("%.2f" % value).rstrip("0").rstrip(".")


def title_latex(self: LaTeXTranslator, title: str) -> str:
    """A report's title in the appendix, as :class:`HandbookText` sets the titles of entries."""
    missing = handbook.glyphless(title, "title") if knows_fonts(self.config) else None
    return handbook_latex(title, self.encode, "".join(missing or ())) or self.encode(title)
