"""``dgx-reports`` and ``dgx-working-groups``: choose entries from the catalogue, build neutral nodes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from . import catalogue as cat
from .config import get_dgx_config
from .domain import GROUP, REPORT, get_domain, report_link
from .facts import Cover, FileFacts
from .logging import warn
from .nodes import (
    dgx_card_body,
    dgx_card_footer,
    dgx_cover,
    dgx_field,
    dgx_heading,
    dgx_report_card,
    dgx_reports,
    dgx_working_group,
    dgx_working_groups,
)
from .problems import Subtype
from .transforms import hidden

DIRECTIVE_REPORTS = "dgx-reports"
DIRECTIVE_GROUPS = "dgx-working-groups"
KIND_CHOICES = ("file", "url")


# -- option validators (a ValueError becomes an error at the directive's line) --


def word_list(argument: str | None) -> list[str]:
    """One or more values, separated by commas and/or spaces."""
    words = [w for w in re.split(r"[\s,]+", argument or "") if w]
    if not words:
        raise ValueError("give at least one value")
    return words


def year_list(argument: str | None) -> list[int]:
    """One or more years, separated by commas and/or spaces."""
    words = word_list(argument)
    bad = [w for w in words if not w.isdigit()]
    if bad:
        raise ValueError(f"years are whole numbers, not {', '.join(map(repr, bad))}")
    return [int(w) for w in words]


def kind_choice(argument: str | None) -> str:
    return directives.choice(argument, KIND_CHOICES)


class CatalogueDirective(SphinxDirective):
    """What both directives share: the catalogue, its dependency, filters and places."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {"no-index": directives.flag}
    option_help: ClassVar[dict[str, str]] = {
        "no-index": "This is not the entries' main place: roles and other pages do not link here, "
        "and the entries get no anchor. Use it on overview pages that repeat entries shown elsewhere.",
    }

    kind: ClassVar[str]
    """The kind of entries shown (``REPORT`` or ``GROUP``)."""
    container: ClassVar[type[nodes.Element]]
    empty: ClassVar[str]
    """What the directive says when it chooses nothing."""

    def run(self) -> list[nodes.Node]:
        self.domain = get_domain(self.env)
        self.catalogue = self.domain.catalogue
        chooser = self.chooser()
        self.domain.note_use(self.env.docname, chooser)
        chosen = self.catalogue.chosen(chooser)
        container = self.container()
        shown = {entry.id: self.entry(entry) for entry in chosen}
        self.place(self.kind, shown)
        container.extend(shown.values())
        if not chosen:
            container += nodes.paragraph("", self.empty, classes=["dgx-empty"])
        return [self.sourced(container)]

    def chooser(self) -> cat.ReportFilter | cat.GroupFilter:
        """The filter of this directive, from its options (each unknown value is a warning)."""
        raise NotImplementedError

    def entry(self, entry: Any) -> nodes.Element:
        """The nodes of one entry."""
        raise NotImplementedError

    def known(self, option: str, known: Iterable[object], what: str) -> list:
        """The option's values that the catalogue knows; each unknown one is a warning."""
        known = list(known)
        values = self.options.get(option, [])
        for value in values:
            if value not in known and self.catalogue.readable:
                if what == "year":
                    hint = f" (it has {', '.join(map(str, known)) or 'none'})"
                else:
                    hint = cat.suggest(str(value), map(str, known))
                warn(
                    Subtype.UNKNOWN_FILTER,
                    f"{self.name}: no {what} {value!r} in the catalogue{hint}",
                    location=self.get_location(),
                )
        return values

    def shown_by(self) -> str:
        """The directive and its filters as written, to say which directive shows an entry."""
        filters = [f":{name}: {', '.join(map(str, value))}" for name, value in self.filters().items()]
        return f"{self.name} ({'; '.join(filters) or 'no filter'})"

    def filters(self) -> dict[str, list[object]]:
        """The filtering options given, each as its list of values."""
        return {
            name: value if isinstance(value, list) else [value]
            for name, value in self.options.items()
            if name != "no-index"
        }

    def place(self, kind: str, entries: dict[str, nodes.Element]) -> None:
        """Give each entry's node its anchor where this directive is the entry's main place."""
        if "no-index" in self.options or not entries:
            return
        anchors = self.domain.note_places(
            kind, list(entries), self.env.docname, self.lineno, self.shown_by(), self.get_location()
        )
        for ident, anchor in anchors.items():
            entries[ident]["ids"].append(anchor)

    def xref(self, kind: str, ident: str) -> addnodes.pending_xref:
        """A link to where an entry is shown, labelled with its title."""
        node = addnodes.pending_xref(
            "",
            nodes.inline("", self.domain.title_of(kind, ident), classes=["dgx-xref"]),
            refdomain="dgx",
            reftype=kind,
            reftarget=ident,
            refdoc=self.env.docname,
            refexplicit=True,
            refwarn=False,
        )
        self.set_source_info(node)
        return node

    def sourced(self, node: nodes.Element) -> nodes.Element:
        """Source info on every node; catalogue text is shown as written (no smart quotes or dashes)."""
        node["support_smartquotes"] = False
        self.set_source_info(node)
        for child in node.findall(nodes.Element):
            if child.line is None:
                self.set_source_info(child)
        return node


class ReportsDirective(CatalogueDirective):
    """Report cards, filtered by year, working group, tag and kind."""

    option_spec: ClassVar[dict[str, object]] = {
        **CatalogueDirective.option_spec,
        "year": year_list,
        "group": word_list,
        "tag": word_list,
        "kind": kind_choice,
    }
    option_help: ClassVar[dict[str, str]] = {
        **CatalogueDirective.option_help,
        "year": "Only reports of these years (e.g. ``2021`` or ``2021, 2022``).",
        "group": "Only reports of these working groups, by id (e.g. ``cloud-2021``).",
        "tag": "Only reports carrying at least one of these tags.",
        "kind": "``file`` for reports with a file to download, ``url`` for reports published elsewhere.",
    }

    kind = REPORT
    container = dgx_reports
    empty = "No reports yet."

    def chooser(self) -> cat.ReportFilter:
        c = self.catalogue
        return cat.ReportFilter(
            frozenset(self.known("year", c.years, "year")),
            frozenset(self.known("group", c.groups_by_id, "working group")),
            frozenset(self.known("tag", c.tags, "tag")),
            self.options.get("kind"),
        )

    @staticmethod
    def facts_line(facts: FileFacts) -> list[nodes.Node]:
        """``PDF, 1.2 MB, 24 pages``, the format as an abbreviation."""
        format_ = nodes.abbreviation(facts.format, facts.format, explanation=facts.format_name)
        return [format_, nodes.Text(facts.describe()[len(facts.format) :])]

    def entry(self, report: cat.Report) -> dgx_report_card:
        card = dgx_report_card(report_id=report.id)
        for name in (report.file if report.file_ok else None, report.cover):
            if name is not None:
                self.env.note_dependency(os.path.join(self.catalogue.files_dir, name))
        body = dgx_card_body()
        cover = self.domain.cover(report.id)
        if cover is not None:
            body += self.cover_image(cover)
        body += dgx_heading("", "", self.title_link(report))
        body += nodes.paragraph(
            "",
            "by the DGX ",
            field("group", "Working group", self.xref(GROUP, report.group)),
            nodes.Text(" \N{MIDDLE DOT} "),
            field("year", "Year", nodes.Text(str(report.year))),
            classes=["dgx-byline"],
        )
        body += self.meta_line(report)
        if report.reference:
            reference = field("reference", "Reference", nodes.Text(report.reference))
            body += nodes.paragraph("", "Reference: ", reference, classes=["dgx-reference"])
        body += nodes.paragraph(
            "", "", field("summary", "", nodes.Text(report.summary)), classes=["dgx-summary"]
        )
        card += body
        contact = get_dgx_config(self.config).contact_email.strip()
        if contact and report.file is not None:
            subject = f"Request for an accessible format: {report.title}"
            request = nodes.reference(
                "", "Request an accessible format", refuri=f"mailto:{contact}?subject={quote(subject)}"
            )
            card += dgx_card_footer("", nodes.paragraph("", "", request, classes=["dgx-request"]))
        return card

    def title_link(self, report: cat.Report) -> nodes.Element:
        """The title, linked to what opens the report; its accessible name says what that is.

        "Download Cloud governance, PDF, 1.2 MB, 24 pages": the visible title, the rest for
        screen readers only.
        """
        link = report_link(report, nodes.Text(report.title), available=self.domain.downloadable(report.id))
        facts = self.domain.facts(report.id)
        if report.file is None:
            link += hidden(f", web page at {urlsplit(report.url or '').hostname}")
        elif self.domain.downloadable(report.id):
            link.insert(0, hidden("Download "))
            link += hidden(f", {facts.describe()}" if facts else ", PDF")
        return link

    def meta_line(self, report: cat.Report) -> nodes.paragraph:
        """What following the link gives: the file's format, size and pages, or the site it leads to."""
        facts = self.domain.facts(report.id)
        if report.file is None:
            line = nodes.paragraph("", f"Web page at {urlsplit(report.url or '').hostname}")
        elif not self.domain.downloadable(report.id):
            line = nodes.paragraph(
                "", "", field("file", "File", nodes.Text("The file is not available yet."))
            )
        elif facts is not None:
            line = nodes.paragraph("", "", field("file", "File", *self.facts_line(facts)))
        else:
            line = nodes.paragraph("", "", field("file", "File", nodes.Text("PDF")))
        line["classes"].append("dgx-meta")
        return line

    def cover_image(self, cover: Cover) -> dgx_cover:
        """The cover at half its pixel size, sharp on high-density screens."""
        return dgx_cover(
            "", src=cover.path, name=cover.name, width=round(cover.width / 2), height=round(cover.height / 2)
        )


class WorkingGroupsDirective(CatalogueDirective):
    """Working-group summaries of the given years, each with links to its reports."""

    option_spec: ClassVar[dict[str, object]] = {
        **CatalogueDirective.option_spec,
        "year": year_list,
    }
    option_help: ClassVar[dict[str, str]] = {
        **CatalogueDirective.option_help,
        "year": "Only working groups of these years (e.g. ``2021``); all years if omitted.",
    }

    kind = GROUP
    container = dgx_working_groups
    empty = "No working groups yet."

    def chooser(self) -> cat.GroupFilter:
        return cat.GroupFilter(frozenset(self.known("year", self.catalogue.years, "year")))

    def entry(self, group: cat.WorkingGroup) -> dgx_working_group:
        block = dgx_working_group(group_id=group.id)
        block += dgx_heading("", self.domain.title_of(GROUP, group.id))
        if group.special_edition:
            block += nodes.paragraph("", f"Special edition, {group.year}", classes=["dgx-special"])
        block += nodes.paragraph("", group.summary, classes=["dgx-summary"])
        for link in group.links:
            block += nodes.paragraph(
                "", "", nodes.reference("", link.title, refuri=link.url), classes=["dgx-link"]
            )
        reports = self.catalogue.reports_of(group.id)
        if reports:
            line = nodes.paragraph(
                "", "Reports: " if len(reports) > 1 else "Report: ", classes=["dgx-group-reports"]
            )
            for index, report in enumerate(reports):
                if index:
                    line += nodes.Text(", ")
                line += self.xref(REPORT, report.id)
            block += line
        else:
            block += nodes.paragraph("", "No report yet.", classes=["dgx-group-reports"])
        return block


def field(name: str, label: str, *children: nodes.Node) -> dgx_field:
    """A fact of a card; *label* names it where facts are listed as rows (empty: not listed)."""
    return dgx_field("", "", *children, name=name, label=label)


def setup_directives(app: object) -> None:
    app.add_directive(DIRECTIVE_REPORTS, ReportsDirective)  # type: ignore[attr-defined]
    app.add_directive(DIRECTIVE_GROUPS, WorkingGroupsDirective)  # type: ignore[attr-defined]
