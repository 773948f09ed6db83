"""The handbook's appendix: the reports' own pages, after the handbook's text (dgxappendix.sty)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import handbook
from .config import get_dgx_config
from .domain import get_domain
from .latex import handbook_latex, knows_fonts, latex_uri
from .publishing import APPENDIX_DIR, in_appendix

if TYPE_CHECKING:
    from sphinx.writers.latex import LaTeXTranslator


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
            % (report_id, title_latex(self, title), APPENDIX_DIR, report_id)
        )
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


def title_latex(self: LaTeXTranslator, title: str) -> str:
    """A report's title in the appendix, as :class:`HandbookText` sets the titles of entries."""
    missing = handbook.glyphless(title, "title") if knows_fonts(self.config) else None
    return handbook_latex(title, self.encode, "".join(missing or ())) or self.encode(title)
