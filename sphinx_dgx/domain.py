"""The ``dgx`` domain: the catalogue of this build, where each entry is shown, and the roles."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.display import status_iterator
from sphinx.util.nodes import make_refnode

from . import catalogue as cat
from . import facts as facts_
from . import uses as uses_
from .config import get_dgx_config, setting_location
from .logging import logger, warn, warn_problem
from .nodes import dgx_file_link
from .problems import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

CACHE_DIR = "dgx-cache"
"""Folder in the doctree directory holding file facts and covers between builds."""
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
    """Holds the catalogue of the build and the main place (page, anchor) of each entry."""

    name = "dgx"
    label = "DGX"
    object_types = {
        REPORT: ObjType("report", REPORT),
        GROUP: ObjType("working group", GROUP),
    }
    roles = {REPORT: DgxXRefRole(), GROUP: DgxXRefRole()}
    initial_data: dict[str, Any] = {
        "catalogue": None,
        "fingerprints": None,  # of the catalogue the pages were last read with (uses.fingerprints)
        "places": {REPORT: {}, GROUP: {}},  # id -> Place
        "uses": {},  # docname -> set of uses.Use
    }
    data_version = 3

    # -- the catalogue -----------------------------------------------------

    @property
    def catalogue(self) -> cat.Catalogue:
        """The catalogue of this build (empty before it is loaded)."""
        return self.data["catalogue"] or cat.Catalogue("", "")

    def load_catalogue(
        self, confdir: str | os.PathLike[str], cache_dir: str | os.PathLike[str], verbosity: int = 0
    ) -> cat.Catalogue:
        """Read the catalogue and measure its files (once per build); warn about each problem."""
        config = get_dgx_config(self.env)
        confdir = os.fspath(confdir)
        path = os.path.normpath(os.path.join(confdir, config.catalogue))
        files_dir = os.path.normpath(os.path.join(confdir, config.files_dir))
        loaded = cat.load(path, files_dir)
        previous, previous_prints = self.catalogue, self.data["fingerprints"]
        self.changes = uses_.Changes(previous, previous_prints, loaded) if previous_prints else None
        self.data["catalogue"] = loaded
        self.data["fingerprints"] = uses_.fingerprints(loaded)
        logger.info(
            "dgx: catalogue %s: %d working groups, %d reports, %d problems",
            os.path.relpath(path, confdir),
            len(loaded.groups),
            len(loaded.reports),
            len(loaded.problems),
        )
        for problem in loaded.problems:
            if problem.line is None:  # the file itself: point at the setting that names it
                warn(
                    problem.subtype, f"{problem.message} ({path})", setting_location(confdir, "dgx_catalogue")
                )
            else:
                warn_problem(problem)
        self.measure_files(loaded, cache_dir, verbosity)
        return loaded

    def measure_files(
        self, catalogue: cat.Catalogue, cache_dir: str | os.PathLike[str], verbosity: int = 0
    ) -> None:
        """Facts and covers of every report file: from the cache when its content is known, else measured."""
        cache = facts_.FactsCache(cache_dir)
        measured: dict[str, facts_.FileFacts | None] = {}
        covers: dict[str, facts_.Cover] = {}
        todo: list[tuple[cat.Report, str, str]] = []
        found: dict[str, facts_.Measured] = {}
        for report in catalogue.reports:
            if report.file is None or not report.file_ok:
                continue
            path = os.path.join(catalogue.files_dir, report.file)
            try:
                key = cache.key(path)
            except OSError:
                continue
            cached = cache.get(key)
            if cached is None:
                todo.append((report, key, path))
            else:
                found[report.id] = cached
        for report, key, path in todo and status_iterator(
            todo,
            "dgx: measuring report files... ",
            "darkgreen",
            len(todo),
            verbosity,
            stringify_func=lambda item: f"files/{item[0].file}",
        ):
            found[report.id] = cache.get(key) or cache.measure(key, path)  # one content, measured once
        cache.save()
        logger.info("dgx: report files: %d measured, %d from the cache", len(todo), len(found) - len(todo))
        for report in catalogue.reports:
            result = found.get(report.id)
            if result is None:
                continue
            if result.problem is not None:
                warn(
                    result.problem.subtype,
                    f"report {report.id!r}: file 'files/{report.file}' {result.problem.reason}",
                    f"{catalogue.path}:{report.line}",
                )
            measured[report.id] = result.facts
            if result.cover is not None:
                covers[report.id] = result.cover
        for report in catalogue.reports:
            if report.cover is not None:
                covers[report.id] = own_cover(os.path.join(catalogue.files_dir, report.cover))
        self.data["facts"] = measured
        self.data["covers"] = covers

    def cover(self, report_id: str) -> facts_.Cover | None:
        """The cover thumbnail of a report: its own image, or the first page of its PDF."""
        return self.data.get("covers", {}).get(report_id)

    def facts(self, report_id: str) -> facts_.FileFacts | None:
        """The measured facts of a report's file (None for a url report or an unreadable file)."""
        return self.data.get("facts", {}).get(report_id)

    def entries(self, kind: str) -> dict[str, Any]:
        catalogue = self.catalogue
        return catalogue.reports_by_id if kind == REPORT else catalogue.groups_by_id

    def title_of(self, kind: str, ident: str) -> str:
        """The text that names an entry: a report's title, a group's name and "WG"."""
        if kind == REPORT:
            return self.catalogue.reports_by_id[ident].title
        return f"{self.catalogue.groups_by_id[ident].name} WG"

    # -- where entries are shown --------------------------------------------

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
        changes = getattr(self, "changes", None)
        return uses_.touched(self.data["uses"], changes) if changes is not None else set()

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
            taken: dict[tuple[tuple[str, int | None], ...], list[str]] = {}
            losers: dict[tuple[tuple[str, int | None], ...], tuple[Place, Place]] = {}
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
                key = (other.directive, first.directive)
                taken.setdefault(key, []).append(ident)
                losers[key] = (other, first)
            for key, found in taken.items():
                other, first = losers[key]
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
        place = self.place(typ, target)
        if place is not None:
            return make_refnode(
                builder, fromdocname, place.docname, place.anchor, contnode, self.title_of(typ, target)
            )
        if typ == REPORT:
            return report_link(self.catalogue.reports_by_id[target], contnode)
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


def report_link(report: cat.Report, *children: nodes.Node) -> nodes.Element:
    """The link that opens a report: its file (resolved per builder) or its url."""
    if report.file is not None:
        return dgx_file_link("", "", *children, file=report.file, available=report.file_ok)
    return nodes.reference("", "", *children, refuri=report.url, internal=False)


def own_cover(path: str) -> facts_.Cover:
    """A cover image named in the catalogue (already checked to be a PNG or JPEG)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    return facts_.Cover(path, width, height)


def get_domain(env: BuildEnvironment) -> DgxDomain:
    domain = env.get_domain("dgx")
    assert isinstance(domain, DgxDomain)
    return domain


def load_catalogue(app: Sphinx) -> None:
    """``builder-inited``: read the catalogue once for this build, before Sphinx decides what to read."""
    get_domain(app.env).load_catalogue(app.confdir, os.path.join(app.doctreedir, CACHE_DIR), app.verbosity)


def outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the pages that show a catalogue entry that was edited, added or removed."""
    touched = get_domain(env).touched_docs() & env.found_docs
    if touched:
        logger.info("dgx: the catalogue changed: %d pages show what changed", len(touched))
    return sorted(touched)
