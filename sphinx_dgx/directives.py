"""``dgx-reports`` and ``dgx-working-groups``: choose entries from the catalogue, build neutral nodes."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import catalogue as cat
from . import weburl
from .config import get_dgx_config
from .domain import GROUP, REPORT, get_domain, report_link
from .facts import PAGE_COVER_WIDTHS, Cover, FileFacts
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
from .publishing import has_page, page_docname
from .transforms import hidden

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import DgxDomain

DIRECTIVE_REPORTS = "dgx-reports"
DIRECTIVE_GROUPS = "dgx-working-groups"
KIND_CHOICES = ("file", "url")
META = "dgx-meta"
"""The class of a card's line that says what its file is (format, size, pages) or where it leads."""
SUMMARY = "dgx-summary"
"""The class of an entry's summary."""
CARD, PAGE = "card", "page"
"""A card not bound to its file yet (attribute ``unbound``): among others, or on its report's page."""


# -- options: taken as written, checked in run() -------------------------------------------


class AsWritten(dict):
    """An ``option_spec`` that takes every option, known or not, as the text written.

    docutils and MyST drop an option they cannot read and run the directive without it (which
    then shows every entry), with their own message; :meth:`CatalogueDirective.run` checks the
    options instead, and a directive with a bad one shows nothing, with one warning.
    """

    def __missing__(self, name: str) -> object:
        return directives.unchanged


class OptionError(ValueError):
    """An option's value the directive cannot read; the message says what it accepts."""


YEAR = re.compile(r"[0-9]{4}")


def as_list(option: str, text: str, separators: str, what: str, example: str) -> list[str]:
    """The items of an option's value; an error when it has none."""
    items = [item.strip() for item in re.split(separators, text) if item.strip()]
    if not items:
        raise OptionError(f":{option}: is empty: give {what}, e.g. :{option}: {example}")
    return items


def years(text: str) -> list[int]:
    """Years, separated by commas and/or spaces: four digits each, 0 to 9 (no other numerals)."""
    items = as_list("year", text, r"[\s,]+", "one or more years", "2021 or :year: 2021, 2022")
    for item in items:
        if not YEAR.fullmatch(item):
            raise OptionError(
                f":year: {item!r} is not a year: a year is four digits 0-9, e.g. :year: 2021 "
                "(several: :year: 2021, 2022)"
            )
    return [int(item) for item in items]


def groups(text: str) -> list[str]:
    """Working-group ids, separated by commas and/or spaces (ids have no spaces)."""
    return as_list("group", text, r"[\s,]+", "one or more working-group ids", "cloud-2021")


def tags(text: str) -> list[str]:
    """Tags, separated by commas; each is one word."""
    items = as_list("tag", text, ",", "one or more tags", "cloud or :tag: cloud, policy")
    for item in items:
        if len(item.split()) > 1:
            raise OptionError(
                f":tag: {item!r} is not one tag: tags are single words, separated by commas "
                f"(:tag: {', '.join(item.split())})"
            )
    return items


def kind(text: str) -> str:
    """``file`` or ``url``."""
    value = text.strip()
    if value not in KIND_CHOICES:
        hint = cat.suggest(value, KIND_CHOICES)
        raise OptionError(
            f":kind: {value!r} is not a kind{hint}: write :kind: file (reports with a file to "
            "download) or :kind: url (reports published elsewhere)"
        )
    return value


def flag(text: str) -> bool:
    """An option written alone, without a value."""
    if text.strip():
        raise OptionError(f":no-index: takes no value, not {text.strip()!r}: write :no-index: alone")
    return True


class CatalogueDirective(SphinxDirective):
    """What both directives share: the catalogue, its dependency, filters and places."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = AsWritten({"no-index": directives.unchanged})
    """Every option as written; :attr:`parsers` reads them in :meth:`run`."""
    parsers: ClassVar[dict[str, Callable[[str], object]]] = {"no-index": flag}
    option_help: ClassVar[dict[str, str]] = {
        "no-index": "This is not the entries' main place: roles and other pages do not link here, "
        "and the entries get no anchor. Use it on overview pages that repeat entries shown elsewhere.",
    }

    kind: ClassVar[str]
    """The kind of entries shown (``REPORT`` or ``GROUP``)."""
    container: ClassVar[type[nodes.Element]]
    empty: ClassVar[str]
    """What the directive says when it chooses nothing."""

    @property
    def docname(self) -> str:
        """The page the entries are shown on (a report's page, made without a source, names its own)."""
        return self.env.docname

    def run(self) -> list[nodes.Node]:
        self.domain = get_domain(self.env)
        self.catalogue = self.domain.catalogue
        values = self.read_options()
        if values is None:  # a bad option: nothing rather than every entry
            return []
        self.values = values
        chooser = self.chooser()
        self.domain.note_use(self.env.docname, chooser)
        chosen = self.catalogue.chosen(chooser)
        container = self.container()
        shown = {entry.id: self.entry(entry) for entry in chosen}
        self.place(self.kind, container, list(shown))
        container.extend(shown.values())
        if not chosen:
            container += nodes.paragraph("", self.empty, classes=["dgx-empty"])
        return [self.sourced(container, self.state.document)]

    def read_options(self) -> dict[str, Any] | None:
        """Each option's value; None when one is unknown or cannot be read (one warning for each)."""
        values: dict[str, Any] = {}
        for name, text in self.options.items():
            try:
                values[name] = self.read_option(name, text or "")
            except OptionError as error:
                warn(
                    Subtype.BAD_OPTION,
                    f"{self.name}: {error}; the directive shows nothing until this is fixed",
                    location=(self.env.docname, self.option_line(name)),
                )
        return values if len(values) == len(self.options) else None

    def read_option(self, name: str, text: str) -> object:
        parser = self.parsers.get(name)
        if parser is None:
            names = [f":{known}:" for known in sorted(self.parsers, key=lambda known: known == "no-index")]
            hint = cat.suggest(f":{name}:", names)
            raise OptionError(
                f"unknown option :{name}:{hint}; it takes {', '.join(names[:-1])} and {names[-1]}"
            )
        return parser(text)

    def option_line(self, name: str) -> int:
        """The line of the page where an option is written (else the directive's)."""
        written = re.compile(rf"\s*:{re.escape(name)}:")
        for offset, line in enumerate(self.block_text.splitlines()):
            if written.match(line):
                return self.lineno + offset
        return self.lineno

    def chooser(self) -> cat.ReportFilter | cat.GroupFilter:
        """The filter of this directive, from its options (each unknown value is a warning)."""
        raise NotImplementedError

    def entry(self, entry: Any) -> nodes.Element:
        """The nodes of one entry."""
        raise NotImplementedError

    def known(self, option: str, known: Iterable[object], what: str) -> list:
        """The option's values that the catalogue knows; each unknown one is a warning."""
        known = list(known)
        values = self.values.get(option, [])
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
            for name, value in self.values.items()
            if name != "no-index"
        }

    def place(self, kind: str, container: nodes.Element, idents: list[str]) -> None:
        """Offer this directive as the main place of its entries.

        The anchors are given after reading, by :class:`Anchors`: with ``-j``, a page read in another
        process may turn out to be an entry's main place instead of this one.
        """
        if "no-index" in self.values or not idents:
            return
        self.set_source_info(container)  # the place's line is the container's: Anchors compares them
        self.domain.note_places(
            kind, idents, self.env.docname, container.line, self.shown_by(), self.get_location()
        )

    def xref(self, kind: str, ident: str) -> addnodes.pending_xref:
        """A link to where an entry is shown, labelled with its title."""
        node = addnodes.pending_xref(
            "",
            nodes.inline("", self.domain.title_of(kind, ident), classes=["dgx-xref"]),
            refdomain="dgx",
            reftype=kind,
            reftarget=ident,
            refdoc=self.docname,
            refexplicit=True,
            refwarn=False,
        )
        self.set_source_info(node)
        return node

    def sourced(self, node: nodes.Element, document: nodes.document) -> nodes.Element:
        """Source info on every node; catalogue text is shown as written (no smart quotes or dashes).

        Each element is told the *document* it goes into: docutils finds a node's document by
        walking up its parents to the first that knows it, and for nodes made apart from the
        document, as a card's are, it would make that walk for every node a later transform adds.
        """
        node["support_smartquotes"] = False
        source, line = self.get_source_info()
        for child in node.findall(nodes.Element):
            child.document = document
            if child.line is None:
                child.source, child.line = source, line
        return node


class ReportsDirective(CatalogueDirective):
    """Report cards, filtered by year, working group, tag and kind."""

    parsers: ClassVar[dict[str, Callable[[str], object]]] = {
        **CatalogueDirective.parsers,
        "year": years,
        "group": groups,
        "tag": tags,
        "kind": kind,
    }
    option_spec: ClassVar[dict[str, object]] = AsWritten(dict.fromkeys(parsers, directives.unchanged))
    option_help: ClassVar[dict[str, str]] = {
        **CatalogueDirective.option_help,
        "year": "Only reports of these years: four digits each, separated by commas or spaces "
        "(e.g. ``2021`` or ``2021, 2022``).",
        "group": "Only reports of these working groups, by id (e.g. ``cloud-2021``).",
        "tag": "Only reports carrying at least one of these tags, separated by commas "
        "(e.g. ``cloud, policy``); a tag is one word.",
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
            self.values.get("kind"),
        )

    def entry(self, report: cat.Report, on_its_page: bool = False) -> dgx_report_card:
        """A report's card; *on_its_page*: the one on the report's own page, without its title and
        byline (the page's own)."""
        # what the card shows of the file is bound once the files are measured (BindFileFacts):
        # the cover, the title's link and the facts line, into the heading and line left empty
        card = dgx_report_card(report_id=report.id, unbound=PAGE if on_its_page else CARD)
        for name in (report.file if report.file_ok else None, report.cover):
            if name is not None and not on_its_page:  # a report's page is not a document Sphinx reads
                self.env.note_dependency(os.path.join(self.catalogue.files_dir, name))
        body = dgx_card_body()
        if not on_its_page:  # on the report's page, the page's title and byline name it
            body += dgx_heading()
            body += self.byline(report)
        body += nodes.paragraph(classes=[META])
        if report.reference:
            reference = field("reference", "Reference", nodes.Text(report.reference))
            body += nodes.paragraph("", "Reference: ", reference, classes=["dgx-reference"])
        body += nodes.paragraph("", report.summary, classes=[SUMMARY])
        card += body
        contact = get_dgx_config(self.config).contact_email.strip()
        if contact and report.file is not None:
            subject = f"Request for an accessible format: {report.title}"
            request = nodes.reference(
                "", "Request an accessible format", refuri=f"mailto:{contact}?subject={quote(subject)}"
            )
            card += dgx_card_footer("", nodes.paragraph("", "", request, classes=["dgx-request"]))
        return card

    def byline(self, report: cat.Report) -> nodes.paragraph:
        """``by the DGX Cloud WG · 2021``."""
        return nodes.paragraph(
            "",
            "by the DGX ",
            field("group", "Working group", self.xref(GROUP, report.group)),
            nodes.Text(" \N{MIDDLE DOT} "),
            field("year", "Year", nodes.Text(str(report.year))),
            classes=["dgx-byline"],
        )


class WorkingGroupsDirective(CatalogueDirective):
    """Working-group summaries of the given years, each with links to its reports."""

    parsers: ClassVar[dict[str, Callable[[str], object]]] = {**CatalogueDirective.parsers, "year": years}
    option_spec: ClassVar[dict[str, object]] = AsWritten(dict.fromkeys(parsers, directives.unchanged))
    option_help: ClassVar[dict[str, str]] = {
        **CatalogueDirective.option_help,
        "year": "Only working groups of these years: four digits each, separated by commas or spaces "
        "(e.g. ``2021``); all years if omitted.",
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
        block += nodes.paragraph("", group.summary, classes=[SUMMARY])
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


# -- what a card shows of its file: bound after reading -------------------------------------


class BindFileFacts(SphinxPostTransform):
    """Put in each card what it shows of its report's file: the cover, the title's link and what it
    opens, the file's format, size and pages.

    The directive leaves the card's heading and facts line empty and marks the card ``unbound``
    (no placeholder nodes: every node of a card is walked by each transform of each page): the
    files are measured while Sphinx reads the pages (:class:`sphinx_dgx.collect.Measuring`), and known
    by the time a page is written. It runs before Sphinx resolves references (priority 10), so
    that what it puts in is resolved with the rest of the page.
    """

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        bind_file_facts(get_domain(self.env), self.document)


def bind_file_facts(domain: DgxDomain, tree: nodes.Node) -> None:
    """Bind each card of *tree* (the tree itself may be one) not bound yet to its report's file:
    its cover first in the card, its title's link in its heading, its file's facts in its line."""
    for card in list(tree.findall(dgx_report_card)):
        unbound = card.attributes.pop("unbound", None)
        if unbound is None:
            continue
        body = card[0]
        [line] = (child for child in body if isinstance(child, nodes.paragraph) and META in child["classes"])
        report = domain.catalogue.reports_by_id.get(card["report_id"])
        if report is None:  # gone from the catalogue: the page is read again (uses.py), not shown so
            body.remove(line)
            continue
        for heading in (child for child in body if isinstance(child, dgx_heading)):
            heading += title_link(domain, report)
        line.extend(meta_line(domain, report))
        cover = domain.cover(report.id)
        if cover is not None:
            body.insert(0, cover_image(cover, large=unbound == PAGE))


def title_link(domain: DgxDomain, report: cat.Report) -> nodes.Element:
    """The title, linked to what opens the report; its accessible name says what that is.

    On the site, a report with a page of its own links there (the file is the card's
    download link, :func:`meta_line`). Otherwise: "Download Cloud governance, PDF, 1.2 MB,
    24 pages", the visible title, the rest for screen readers only (other builders, and the
    site when the report has no page).
    """
    link = report_link(report, nodes.Text(report.title), available=domain.downloadable(report.id))
    facts = domain.facts(report.id)
    if report.file is None:
        link += hidden(f", web page at {weburl.shown_host(report.url)}")
    elif domain.downloadable(report.id):
        link.insert(0, hidden("Download "))
        link += hidden(f", {facts.describe()}" if facts else ", PDF")
        if has_page(domain, report.id):
            link["page"] = page_docname(report.id)
    return link


def meta_line(domain: DgxDomain, report: cat.Report) -> list[nodes.Node]:
    """What following the link gives: the file's format, size and pages, or the site it leads to."""
    facts = domain.facts(report.id)
    if report.file is None:
        return [nodes.Text(f"Web page at {weburl.shown_host(report.url)}")]
    if not domain.downloadable(report.id):
        return [field("file", "File", nodes.Text("The file is not available yet."))]
    if facts is not None and has_page(domain, report.id):
        # the title leads to the report's page: the file is downloaded from here
        download = report_link(report, hidden(f"Download {report.title}, "), *facts_line(facts))
        download["download"] = True
        return [field("file", "File", download)]
    if facts is not None:
        return [field("file", "File", *facts_line(facts))]
    return [field("file", "File", nodes.Text("PDF"))]


def facts_line(facts: FileFacts) -> list[nodes.Node]:
    """``PDF, 1.2 MB, 24 pages``, the format as an abbreviation."""
    format_ = nodes.abbreviation(facts.format, facts.format, explanation=facts.format_name)
    return [format_, nodes.Text(facts.describe()[len(facts.format) :])]


def cover_image(cover: Cover, large: bool = False) -> dgx_cover:
    """The cover at half its pixel size, sharp on high-density screens; *large*: on the report's
    own page, 320 CSS pixels wide, from its copies 320 and 640 pixels wide (1x and 2x)."""
    if large:
        width = PAGE_COVER_WIDTHS[0]
        names = [os.path.basename(cover.sized(size)) for size in PAGE_COVER_WIDTHS]
        height = round(cover.height * width / cover.width)
        return dgx_cover("", src=cover.path, name=names[0], srcset=names, width=width, height=height)
    return dgx_cover(
        "", src=cover.path, name=cover.name, width=round(cover.width / 2), height=round(cover.height / 2)
    )


ENTRIES: dict[type[nodes.Element], tuple[str, str]] = {
    dgx_report_card: (REPORT, "report_id"),
    dgx_working_group: (GROUP, "group_id"),
}
"""Each entry node: the kind of entry, and the attribute that holds its id."""


class Anchors(SphinxPostTransform):
    """Give each entry its anchor on the page and at the directive that is its main place.

    Decided after reading, from the domain's places: with ``-j``, pages read in other processes
    are merged first (the first page by name keeps an entry), so a page gets the same ids as in
    a serial build, never those of an entry another page keeps.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        for container, page in entry_lists(self.document, self.env.docname):
            for entry in container.children:
                kind, attribute = ENTRIES.get(type(entry), (None, ""))
                place = domain.place(kind, entry[attribute]) if kind else None
                if (
                    place is not None
                    and place.directive == (page, container.line)
                    and place.anchor not in entry["ids"]
                ):
                    entry["ids"].append(place.anchor)


def entry_lists(document: nodes.Node, docname: str) -> Iterator[tuple[nodes.Element, str]]:
    """Each list of entries in *document*, with the page it is on.

    From the top down: a LaTeX document holds its pages each under a ``start_of_file`` node, whose
    children do not know it as their parent.
    """
    stack: list[tuple[nodes.Node, str]] = [(document, docname)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            page = node["docname"]
        if isinstance(node, (dgx_reports, dgx_working_groups)):
            yield node, page
        elif isinstance(node, nodes.Element):
            stack.extend((child, page) for child in reversed(node.children))


def setup_directives(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE_REPORTS, ReportsDirective)
    app.add_directive(DIRECTIVE_GROUPS, WorkingGroupsDirective)
    app.add_post_transform(Anchors)
    app.add_post_transform(BindFileFacts)
