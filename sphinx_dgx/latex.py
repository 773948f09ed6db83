"""LaTeX output: report entries and working-group blocks from dgx.sty, and the appendix of reports.

Every visitor writes from the nodes it is given. The rows that only the handbook has (the
report's address online and its page in the appendix) are added to each card by
:class:`HandbookRows`, a post-transform for LaTeX.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import nodes as dgx
from .config import get_dgx_config
from .domain import get_domain
from .publishing import APPENDIX_DIR, in_appendix, published_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

TEXINPUTS = Path(__file__).parent / "texinputs"
PACKAGE = "dgx"


def appendix_target(report_id: str) -> str:
    return f"dgx-report-{report_id}"


# -- visitors ------------------------------------------------------------------


NOT_SHOWN = (dgx.dgx_hidden, nodes.footnote, nodes.footnote_reference)
"""Screen-reader notes, and the footnotes LaTeX adds for the addresses of links (``latex_show_urls``)."""


def shown_text(node: nodes.Node) -> str:
    """The text of *node* that the entry shows: without screen-reader notes and footnotes."""
    return "".join(text for text in node.findall(nodes.Text) if not _inside(text, NOT_SHOWN, node))


def _inside(node: nodes.Node, kinds: tuple[type, ...], top: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None and parent is not top:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


def field_value(self: LaTeXTranslator, field: dgx.dgx_field) -> str:
    """A field's value as LaTeX: a link within the handbook, an address, raw LaTeX, or text."""
    [child] = field.children if len(field.children) == 1 else [None]
    if isinstance(child, nodes.raw):
        return child.astext()
    if isinstance(child, nodes.reference) and (child.get("refid") or child.get("refuri", "").startswith("%")):
        if child.get("refid"):  # on the same page
            docname, anchor = self.curfilestack[-1], child["refid"]
        else:
            docname, _, anchor = child["refuri"][1:].partition("#")
        return self.hyperlink(f"{docname}:{anchor}") + self.encode(shown_text(child)) + "}}"
    if isinstance(child, nodes.reference) and child.get("refuri"):
        return r"\sphinxurl{%s}" % self.encode_uri(child["refuri"])
    return self.encode(shown_text(field))


def visit_report_card(self: LaTeXTranslator, node: dgx.dgx_report_card) -> None:
    """A report entry: title (linked to the report online), its facts as labelled rows, summary."""
    heading = next(node.findall(dgx.dgx_heading))
    title = self.encode(shown_text(heading))
    link = next((n for n in heading.findall(nodes.reference) if not n.get("internal")), None)
    if link is not None and link.get("refuri"):
        title = r"\sphinxhref{%s}{%s}" % (self.encode_uri(link["refuri"]), title)
    fields = list(node.findall(dgx.dgx_field))
    rows = "".join("\\dgxfact{%s}{%s}\n" % (f["label"], field_value(self, f)) for f in fields if f["label"])
    summary = "".join(self.encode(shown_text(f)) for f in fields if f["name"] == "summary")
    self.body.append(
        "\n\\begin{dgxreport}"
        + self.hypertarget_to(node, anchor=True)
        + "\n\\dgxreporttitle{%s}\n\\begin{dgxfacts}\n" % title
        + rows
        + "\\end{dgxfacts}\n\\dgxsummary{%s}\n\\end{dgxreport}\n" % summary
    )
    raise nodes.SkipNode


class HandbookRows(SphinxPostTransform):
    """Add to each report entry of the handbook its address online and its page in the appendix."""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        appendix = get_dgx_config(self.config).handbook_appendix
        for card in self.document.findall(dgx.dgx_report_card):
            report = domain.catalogue.reports_by_id.get(card["report_id"])
            if report is None:
                continue
            rows = nodes.paragraph(classes=["dgx-handbook"])
            url = published_url(self.config, domain, report)
            if url:
                link = nodes.reference("", url, refuri=url, internal=False)
                rows += dgx.dgx_field("", "", link, name="url", label="Online" if report.file else "Web page")
            if appendix and in_appendix(domain, report):
                target = appendix_target(report.id)
                page = r"\hyperlink{%s.1}{page~\pageref*{%s}}" % (target, target)
                rows += dgx.dgx_field(
                    "", "", nodes.raw("", page, format="latex"), name="page", label="In this handbook"
                )
            if rows.children:
                next(card.findall(dgx.dgx_heading)).parent += rows


def _environment(name: str) -> tuple[Any, Any]:
    def visit(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\begin{{{name}}}" + self.hypertarget_to(node, anchor=bool(node["ids"])) + "\n")

    def depart(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\end{{{name}}}\n")

    return visit, depart


def visit_heading(self: LaTeXTranslator, node: dgx.dgx_heading) -> None:
    self.body.append("\n\\dgxheading{")


def depart_heading(self: LaTeXTranslator, node: dgx.dgx_heading) -> None:
    self.body.append("}\n")


LATEX_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    dgx.dgx_reports: _environment("dgxreports"),
    dgx.dgx_report_card: (visit_report_card, None),
    dgx.dgx_working_groups: _environment("dgxgroups"),
    dgx.dgx_working_group: _environment("dgxgroup"),
    dgx.dgx_heading: (visit_heading, depart_heading),
    dgx.dgx_field: (lambda self, node: None, lambda self, node: None),
}


# -- the appendix --------------------------------------------------------------


class dgx_appendix(nodes.General, nodes.Element):
    """The appendix of reports, at the end of a LaTeX document.

    Attributes: ``included``, the ``(report id, title)`` of each report whose pages it holds,
    and ``elsewhere``, the ``(title, url)`` of each report published elsewhere; newest first.
    """


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
            included=[(r.id, r.title) for r in reports if in_appendix(domain, r)],
            elsewhere=[(r.title, r.url) for r in reports if r.url],
        )


def visit_appendix(self: LaTeXTranslator, node: dgx_appendix) -> None:
    """The reports' own pages, newest first, then the reports published elsewhere with their URLs."""
    body = [
        "\n\\appendix\n\\chapter{Reports}\n",
        "This appendix holds the reports themselves, newest first, "
        "so that this handbook can be read offline.\n",
    ]
    for report_id, title in node["included"]:
        # every page is scaled onto a portrait sheet under the report's header, slides
        # included: a rotated sheet would turn the header on its side
        body.append(
            "\\dgxincludereport{%s}{%s}{%s/%s.pdf}\n"
            % (report_id, self.encode(title), APPENDIX_DIR, report_id)
        )
    if node["elsewhere"]:
        body.append("\\section{Reports published elsewhere}\n\\begin{itemize}\n")
        for title, url in node["elsewhere"]:
            body.append(
                "\\item \\sphinxstylestrong{%s}\\newline\n\\sphinxurl{%s}\n"
                % (self.encode(title), self.encode_uri(url))
            )
        body.append("\\end{itemize}\n")
    self.body.append("".join(body))
    raise nodes.SkipNode


# -- set-up and files ------------------------------------------------------------


def add_package(app: Sphinx, config: Config) -> None:
    """``config-inited``: ship dgx.sty with every LaTeX build and load it."""
    sty = os.fspath(TEXINPUTS / f"{PACKAGE}.sty")
    if sty not in config.latex_additional_files:
        config.latex_additional_files.append(sty)
    app.add_latex_package(PACKAGE, after_hyperref=True)
