"""The ``dgx`` domain: stores the inputs of the build and where each entry is shown; resolves the roles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from . import catalogue as cat
from . import uses as uses_
from .config import get_dgx_config
from .logging import logger, warn
from .nodes import dgx_file_link
from .problems import Subtype
from .publishing import page_docname, shows_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from . import facts as facts_
    from .collect import Snapshot  # collect hands the snapshot in; it imports this module

REPORT = "report"
GROUP = "wg"
KINDS = {REPORT: "report", GROUP: "working group"}


def anchor(kind: str, ident: str) -> str:
    """The HTML id of the main place of a report or working group."""
    return nodes.make_id(f"dgx-{'report' if kind == REPORT else 'wg'}-{ident}")


class Place(NamedTuple):
    """The main place of an entry: the page and anchor, and the directive that shows it."""

    docname: str
    anchor: str
    line: int | None
    shown_by: str
    """The directive and its filters, as written: ``dgx-reports (:year: 2021)``."""

    @property
    def directive(self) -> tuple[str, int | None]:
        """The page and line of the directive that shows the entry."""
        return (self.docname, self.line)


class Conflict(NamedTuple):
    """Entries a directive shows that another directive already shows as their main place."""

    docname: str
    line: int | None
    shown_by: str
    kind: str
    idents: tuple[str, ...]
    other: Place


def conflict_message(conflict: Conflict) -> str:
    """One message for a directive that shows entries already shown elsewhere, with the likely fix."""
    what = KINDS[conflict.kind]
    count = len(conflict.idents)
    shown = f"{what} {conflict.idents[0]!r}" if count == 1 else f"{count} {what}s"
    other = conflict.other
    text = (
        f"{conflict.shown_by} shows {shown} already shown by the {other.shown_by} at "
        f"{other.docname}:{other.line}; "
    )
    hint = year_hint(conflict.docname, conflict.shown_by)
    if hint:
        text += f"this page is {conflict.docname}: did you mean {hint}?"
    else:
        text += "if this page is for other entries, change the directive's filter to them."
    return text + " (Add :no-index: instead only if this page repeats them on purpose.)"


def year_hint(docname: str, shown_by: str) -> str | None:
    """``:year: 2022`` when the page's name holds a year that the directive's filter does not name."""
    named = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", docname)
    if not named or named[-1] in shown_by:
        return None
    return f":year: {named[-1]}"


class DgxXRefRole(XRefRole):
    """``{dgx:report}`id``` and ``{dgx:wg}`id```: the entry's title, linked to where it is shown."""

    def result_nodes(
        self, document: nodes.document, env: BuildEnvironment, node: nodes.Element, is_ref: bool
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = get_domain(env)
        kind, target = node["reftype"], node["reftarget"]
        domain.note_use(env.docname, uses_.CiteUse(kind, target))
        entries = domain.entries(kind)
        entry = entries.get(target)
        if entry is None:
            if domain.catalogue.readable:
                warn(
                    Subtype.UNKNOWN_ID,
                    f"unknown {KINDS[kind]} id {target!r}{cat.suggest(target, entries)}",
                    location=node,
                )
            return [nodes.literal(target, target, classes=["dgx-unknown"])], []
        if not self.has_explicit_title:
            title = nodes.inline("", domain.title_of(kind, target), classes=["dgx-xref"])
            title["support_smartquotes"] = False  # catalogue text is shown as written
            node.children = [title]
        return [node], []


class DgxDomain(Domain):
    """Stores the inputs of the build and where each entry is shown; resolves the roles.

    Everything it keeps is declared in :attr:`initial_data`; :mod:`sphinx_dgx.collect` hands it the
    inputs (:meth:`set_snapshot`), the directives and roles note places and uses, and the rest of
    the extension reads them through the methods below, never through :attr:`data`.
    """

    name = "dgx"
    label = "DGX"
    object_types = {
        REPORT: ObjType("report", REPORT),
        GROUP: ObjType("working group", GROUP),
    }
    roles = {REPORT: DgxXRefRole(), GROUP: DgxXRefRole()}
    initial_data: dict[str, Any] = {
        # collect.Snapshot of this build: the catalogue, its files' facts and covers, the fingerprints
        # of its entries (the next build compares them with its own), and whether the last build finished
        "snapshot": None,
        "places": {REPORT: {}, GROUP: {}},  # id -> Place
        "uses": {},  # docname -> set of uses.Use
        "navigation": {},  # builder name -> (fingerprint of the navigation, the files its pages gave)
    }
    data_version = 4

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._changes: uses_.Changes | None = None
        """What the catalogue's last edit changed: for this build only, never stored."""

    # -- the inputs of the build ----------------------------------------------

    def set_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the inputs of this build, and what changed since those the pages were last read with."""
        previous: Snapshot | None = self.data["snapshot"]
        self._changes = None
        if previous is not None:
            old, new = previous, snapshot
            self._changes = uses_.Changes(old.catalogue, old.fingerprints, new.catalogue, new.fingerprints)
        self.data["snapshot"] = snapshot

    def complete_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the same inputs with every file measured (:func:`sphinx_dgx.collect.finish_measuring`)."""
        self.data["snapshot"] = snapshot

    @property
    def snapshot(self) -> Snapshot | None:
        """The inputs of this build (None before ``builder-inited`` collects them)."""
        return self.data["snapshot"]

    @property
    def catalogue(self) -> cat.Catalogue:
        """The catalogue of this build (empty before it is loaded)."""
        snapshot = self.snapshot
        return snapshot.catalogue if snapshot else cat.Catalogue("", "")

    def facts(self, report_id: str) -> facts_.FileFacts | None:
        """The measured facts of a report's file (None for a url report or a file that could not be read)."""
        return self.snapshot.facts(report_id) if self.snapshot else None

    def cover(self, report_id: str) -> facts_.Cover | None:
        """The cover thumbnail of a report: its own image, or the first page of its PDF."""
        return self.snapshot.cover(report_id) if self.snapshot else None

    def report_text(self, report_id: str) -> facts_.ReportText | None:
        """The text of a report's PDF, page by page, and its outline, read from the cache (None when none)."""
        from .facts import read_text

        path = self.snapshot.text_path(report_id) if self.snapshot else None
        return read_text(path) if path is not None else None

    @property
    def report_pages(self) -> bool:
        """Whether reports with a file have pages of their own (``dgx_report_pages``)."""
        return get_dgx_config(self.env).report_pages

    @property
    def report_text_shown(self) -> bool:
        """Whether report pages show the text of their PDF (``dgx_report_text``)."""
        return get_dgx_config(self.env).report_text

    def downloadable(self, report_id: str) -> bool:
        """Whether the report has a file to publish and link: named, present, a PDF (a damaged one too)."""
        return self.snapshot.downloadable(report_id) if self.snapshot else False

    def file_problem(self, report_id: str) -> facts_.Unreadable | None:
        """Why a report's file falls short: missing, not a PDF, damaged (None when whole, or no file)."""
        return self.snapshot.file_problem(report_id) if self.snapshot else None

    def last_build_interrupted(self) -> bool:
        """Whether the last build of this builder did not finish (then every page is done again)."""
        return self.snapshot.interrupted if self.snapshot else False

    def entries(self, kind: str) -> dict[str, Any]:
        catalogue = self.catalogue
        return catalogue.reports_by_id if kind == REPORT else catalogue.groups_by_id

    def title_of(self, kind: str, ident: str) -> str:
        """The text that names an entry: a report's title, a group's name and "WG"."""
        if kind == REPORT:
            return self.catalogue.reports_by_id[ident].title
        return f"{self.catalogue.groups_by_id[ident].name} WG"

    # -- where entries are shown --------------------------------------------

    def places_shown(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Where every entry is shown, (id, page, anchor) by kind, sorted: what links to entries
        are made of (the lines of the directives left out)."""
        return sorted(
            (kind, sorted((ident, place.docname, place.anchor) for ident, place in found.items()))
            for kind, found in self.data["places"].items()
        )

    def place(self, kind: str, ident: str) -> Place | None:
        """Where an entry is shown as its main place (None when no page shows it so)."""
        return self.data["places"][kind].get(ident)

    def note_places(
        self, kind: str, idents: list[str], docname: str, line: int | None, shown_by: str, location: Any
    ) -> dict[str, str]:
        """Record a directive as the main place of its entries; returns the anchor of each one it got.

        Entries already shown elsewhere keep their place; the directive gets one warning for them all.
        """
        places = self.data["places"][kind]
        anchors: dict[str, str] = {}
        taken: dict[tuple[str, int | None], list[str]] = {}
        for ident in idents:
            if ident in places:
                taken.setdefault(places[ident].directive, []).append(ident)
                continue
            places[ident] = Place(docname, anchor(kind, ident), line, shown_by)
            anchors[ident] = places[ident].anchor
        for found in taken.values():
            conflict = Conflict(docname, line, shown_by, kind, tuple(found), places[found[0]])
            warn(Subtype.DUPLICATE_TARGET, conflict_message(conflict), location=location)
        return anchors

    def note_use(self, docname: str, use: uses_.Use) -> None:
        """Record what a page shows of the catalogue, to know when an edit touches it."""
        self.data["uses"].setdefault(docname, set()).add(use)

    def touched_docs(self) -> set[str]:
        """The pages that show something the catalogue's last edit changed."""
        return uses_.touched(self.data["uses"], self._changes) if self._changes is not None else set()

    # -- the site's navigation ------------------------------------------------

    def navigation(self, builder: str) -> tuple[str, tuple[str, ...]] | None:
        """What the last build by *builder* recorded: the navigation's fingerprint and its pages' files."""
        return self.data["navigation"].get(builder)

    def note_navigation(self, builder: str, fingerprint: str, files: Iterable[str]) -> None:
        """Record the navigation of this build by *builder*, for the next build to compare."""
        self.data["navigation"][builder] = (fingerprint, tuple(files))

    def clear_doc(self, docname: str) -> None:
        self.data["uses"].pop(docname, None)
        for places in self.data["places"].values():
            for ident in [i for i, place in places.items() if place.docname == docname]:
                del places[ident]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["uses"]:
                self.data["uses"][docname] = otherdata["uses"][docname]
        for kind, places in otherdata["places"].items():
            mine = self.data["places"][kind]
            taken: dict[tuple[Place, Place], list[str]] = {}  # (other, first) directives -> ids
            for ident, place in places.items():
                current = mine.get(ident)
                if place.docname not in docnames or current == place:
                    continue
                if current is None or current.docname == place.docname:
                    mine[ident] = place
                    continue
                # a serial build reads pages in name order: the first page by name keeps the entry,
                # whichever process finished first
                first, other = sorted((current, place), key=lambda p: (p.docname, p.line or 0))
                mine[ident] = first
                taken.setdefault((other._replace(anchor=""), first._replace(anchor="")), []).append(ident)
            for (other, first), found in taken.items():
                conflict = Conflict(other.docname, other.line, other.shown_by, kind, tuple(found), first)
                warn(Subtype.DUPLICATE_TARGET, conflict_message(conflict), (other.docname, other.line))

    # -- cross-references --------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | nodes.Element | None:
        if target not in self.entries(typ):
            return None
        if typ == REPORT and shows_page(builder, self, target):
            page = page_docname(target)
            return make_refnode(builder, fromdocname, page, "", contnode, self.title_of(typ, target))
        place = self.place(typ, target)
        if place is not None:
            return make_refnode(
                builder, fromdocname, place.docname, place.anchor, contnode, self.title_of(typ, target)
            )
        if typ == REPORT:
            return report_link(
                self.catalogue.reports_by_id[target], contnode, available=self.downloadable(target)
            )
        return contnode

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference | nodes.Element]]:
        results = []
        for typ in (REPORT, GROUP):
            found = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if found is not None:
                results.append((f"dgx:{typ}", found))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for kind, places in self.data["places"].items():
            entries = self.entries(kind)
            for ident, place in places.items():
                if ident in entries:
                    yield ident, self.title_of(kind, ident), kind, place.docname, place.anchor, 1


def report_link(report: cat.Report, *children: nodes.Node, available: bool | None = None) -> nodes.Element:
    """The link that opens a report: its file (resolved per builder) or its url.

    *available*: whether the file is published (:meth:`DgxDomain.downloadable`); by default, whether
    the catalogue found it.
    """
    if report.file is not None:
        usable = report.file_ok if available is None else available
        return dgx_file_link("", "", *children, file=report.file, available=usable)
    return nodes.reference("", "", *children, refuri=report.url, internal=False)


def get_domain(env: BuildEnvironment) -> DgxDomain:
    domain = env.get_domain("dgx")
    assert isinstance(domain, DgxDomain)
    return domain


def outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the pages that show a catalogue entry that was edited, added or removed,
    or a report whose file has new content."""
    touched = get_domain(env).touched_docs() & env.found_docs
    if touched:
        pages = f"{len(touched)} pages show" if len(touched) != 1 else "1 page shows"
        logger.info("dgx: the catalogue or a report's file changed: %s what changed", pages)
    return sorted(touched)
