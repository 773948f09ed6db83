"""LaTeX output: report entries and working-group blocks from dgx.sty, and the appendix of reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import copyfile, ensuredir

from .config import get_dgx_config
from .domain import GROUP, get_domain
from .nodes import dgx_heading, dgx_report_card, dgx_reports, dgx_working_group, dgx_working_groups
from .transforms import published_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

    from .catalogue import Catalogue, Report

TEXINPUTS = Path(__file__).parent / "texinputs"
PACKAGE = "dgx"
APPENDIX_DIR = "dgx-reports"
"""Folder of the LaTeX output holding copies of the report files, named by report id."""


def in_appendix(domain: Any, report: Report) -> bool:
    """Whether the report's own pages are in the handbook's appendix."""
    facts = domain.facts(report.id)
    return report.file is not None and report.file_ok and facts is not None and facts.pages is not None


def appendix_target(report: Report) -> str:
    return f"dgx-report-{report.id}"


# -- visitors ------------------------------------------------------------------


def visit_report_card(self: LaTeXTranslator, node: dgx_report_card) -> None:
    """A report entry: title, facts as a labelled list, summary; written from the catalogue."""
    domain = get_domain(self.builder.env)
    report = domain.catalogue.reports_by_id[node["report_id"]]
    group = domain.catalogue.groups_by_id[report.group]
    tex = self.encode
    group_name = tex(domain.title_of(GROUP, group.id))
    place = domain.place(GROUP, group.id)
    if place is not None:
        group_name = self.hyperlink(f"{place.docname}:{place.anchor}") + group_name + "}}"
    facts = domain.facts(report.id)
    rows = [("Working group", group_name), ("Year", str(report.year))]
    if report.file is not None:
        rows.append(("File", tex(facts.describe()) if facts else "not available"))
    if report.reference:
        rows.append(("Reference", tex(report.reference)))
    url = published_url(self.config, report)
    if url:
        rows.append(("Online" if report.file else "Web page", r"\sphinxurl{%s}" % self.encode_uri(url)))
    if get_dgx_config(self.config).handbook_appendix and in_appendix(domain, report):
        target = appendix_target(report)
        rows.append(("In this handbook", r"\hyperlink{%s.1}{page~\pageref*{%s}}" % (target, target)))
    title = tex(report.title)
    if url:
        title = r"\sphinxhref{%s}{%s}" % (self.encode_uri(url), title)
    self.body.append(
        "\n\\begin{dgxreport}"
        + self.hypertarget_to(node, anchor=True)
        + "\n\\dgxreporttitle{%s}\n\\begin{dgxfacts}\n" % title
        + "".join("\\dgxfact{%s}{%s}\n" % (label, value) for label, value in rows)
        + "\\end{dgxfacts}\n\\dgxsummary{%s}\n\\end{dgxreport}\n" % tex(report.summary)
    )
    raise nodes.SkipNode


def _environment(name: str) -> tuple[Any, Any]:
    def visit(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\begin{{{name}}}" + self.hypertarget_to(node, anchor=bool(node["ids"])) + "\n")

    def depart(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\end{{{name}}}\n")

    return visit, depart


def visit_heading(self: LaTeXTranslator, node: dgx_heading) -> None:
    self.body.append("\n\\dgxheading{")


def depart_heading(self: LaTeXTranslator, node: dgx_heading) -> None:
    self.body.append("}\n")


LATEX_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    dgx_reports: _environment("dgxreports"),
    dgx_report_card: (visit_report_card, None),
    dgx_working_groups: _environment("dgxgroups"),
    dgx_working_group: _environment("dgxgroup"),
    dgx_heading: (visit_heading, depart_heading),
}


# -- the appendix --------------------------------------------------------------


class dgx_appendix(nodes.General, nodes.Element):
    """Where the appendix of reports goes: the end of a LaTeX document."""


class ReportsAppendix(SphinxPostTransform):
    """Mark the end of each LaTeX document for the appendix of reports (when it is on)."""

    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if get_dgx_config(self.config).handbook_appendix and get_domain(self.env).catalogue.reports:
            self.document += dgx_appendix()


def visit_appendix(self: LaTeXTranslator, node: dgx_appendix) -> None:
    """The reports' own pages, newest first, then the reports published elsewhere with their URLs."""
    domain = get_domain(self.builder.env)
    reports = domain.catalogue.select_reports()
    body = [
        "\n\\appendix\n\\chapter{Reports}\n",
        "This appendix holds the reports themselves, newest first, "
        "so that this handbook can be read offline.\n",
    ]
    for report in reports:
        if in_appendix(domain, report):
            # every page is scaled onto a portrait sheet under the report's header, slides
            # included: a rotated sheet would turn the header on its side
            body.append(
                "\\dgxincludereport{%s}{%s}{%s/%s.pdf}\n"
                % (report.id, self.encode(report.title), APPENDIX_DIR, report.id)
            )
    elsewhere = [r for r in reports if r.url]
    if elsewhere:
        body.append("\\section{Reports published elsewhere}\n\\begin{itemize}\n")
        for report in elsewhere:
            body.append(
                "\\item \\sphinxstylestrong{%s}\\newline\n\\sphinxurl{%s}\n"
                % (self.encode(report.title), self.encode_uri(report.url or ""))
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


def copy_reports(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the files of the appendix, beside the .tex file, named by report id.

    Files left from an earlier build that the appendix no longer holds are removed.
    """
    if exception is not None or app.builder.format != "latex":
        return
    target_dir = Path(app.outdir, APPENDIX_DIR)
    wanted: dict[str, Path] = {}
    if get_dgx_config(app.config).handbook_appendix:
        domain = get_domain(app.env)
        catalogue: Catalogue = domain.catalogue
        for report in catalogue.reports:
            if in_appendix(domain, report):
                wanted[f"{report.id}.pdf"] = Path(catalogue.files_dir, report.file or "")
    if target_dir.is_dir():
        for stale in target_dir.iterdir():
            if stale.name not in wanted:
                stale.unlink()
    if not wanted:
        if target_dir.is_dir():
            target_dir.rmdir()
        return
    ensuredir(target_dir)
    for name, source in wanted.items():
        copyfile(source, target_dir / name, force=True)
