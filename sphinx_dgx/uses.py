"""Which pages an edit of the catalogue, or a new content of a report's file, touches, so that
only those are read again.

This module imports no Sphinx. Each directive and role records what it *uses* from the
catalogue (a filter, or one cited id). Each build fingerprints every entry; an entry whose
fingerprint changed, appeared or went away touches the pages whose uses match it, in its old
form or its new one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .catalogue import Catalogue, GroupFilter, Report, ReportFilter, WorkingGroup, shown_order

ReportsUse = ReportFilter
"""A ``dgx-reports`` directive: its filters, the same rule that chooses what it shows."""
GroupsUse = GroupFilter
"""A ``dgx-working-groups`` directive: its years."""


class CiteUse(NamedTuple):
    """A role citing one report (``kind="report"``) or working group (``kind="wg"``)."""

    kind: str
    ident: str


Use = ReportsUse | GroupsUse | CiteUse


def fingerprint(entry: Report | WorkingGroup) -> str:
    """What a page shows of an entry, as a hash: everything but the line it stands on."""
    changes: dict[str, Any] = {"line": 0}
    if isinstance(entry, WorkingGroup):
        changes["links"] = tuple(dataclasses.replace(link, line=0) for link in entry.links)
    else:
        changes["file_line"] = None
    return _hash(dataclasses.replace(entry, **changes))


def label(entry: Report | WorkingGroup) -> str:
    """What a page shows of an entry it only names: a report's title and link, a group's name."""
    if isinstance(entry, WorkingGroup):
        return _hash(entry.name)
    return _hash((entry.title, entry.group, entry.file, entry.url, entry.file_ok))


def _hash(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def _ranks(entries: Iterable[Any], key: str) -> dict[str, int]:
    """Each entry's place among those sharing its *key*, in the order given."""
    seen: dict[Any, int] = {}
    ranks = {}
    for entry in entries:
        group = getattr(entry, key)
        ranks[entry.id] = seen.get(group, 0)
        seen[group] = ranks[entry.id] + 1
    return ranks


def fingerprints(catalogue: Catalogue, digests: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The state of a catalogue that pages depend on: entries, their labels, and their order; with
    *digests*, the content of each report's file and cover (by report id), which its card shows."""
    digests = digests or {}
    by_year = _ranks(shown_order(catalogue.reports), "year")  # a card's place among its year's
    in_group = _ranks(catalogue.reports, "group")  # a group's summary lists its reports in order
    groups_by_year = _ranks(shown_order(catalogue.groups), "year")
    return {
        "reports": {
            r.id: (
                _hash((fingerprint(r), by_year[r.id], digests.get(r.id))),
                _hash((label(r), in_group[r.id])),
            )
            for r in catalogue.reports
        },
        "groups": {g.id: (_hash((fingerprint(g), groups_by_year[g.id])), label(g)) for g in catalogue.groups},
        "names": sorted({*map(str, catalogue.years), *catalogue.groups_by_id, *catalogue.tags}),
    }


class Changes:
    """The entries that differ between two catalogues, in both their old and new forms."""

    def __init__(
        self, old: Catalogue, old_prints: Mapping[str, Any], new: Catalogue, new_prints: Mapping[str, Any]
    ) -> None:
        self.old, self.new = old, new
        self.reports, self.report_labels = self._diff("reports_by_id", old_prints, new_prints, "reports")
        self.groups, self.group_labels = self._diff("groups_by_id", old_prints, new_prints, "groups")
        self.names = set(old_prints["names"]).symmetric_difference(new_prints["names"])

    def _diff(self, by_id: str, old_prints: Mapping, new_prints: Mapping, key: str) -> tuple[dict, set]:
        """Entries changed in any way (id -> old and new versions), and ids whose label changed."""
        before, after = old_prints[key], new_prints[key]
        nothing = (None, None)
        ids = before.keys() | after.keys()
        changed = {i for i in ids if before.get(i, nothing)[0] != after.get(i, nothing)[0]}
        relabelled = {i for i in ids if before.get(i, nothing)[1] != after.get(i, nothing)[1]}
        old, new = getattr(self.old, by_id), getattr(self.new, by_id)
        return {i: [v for v in (old.get(i), new.get(i)) if v is not None] for i in changed}, relabelled

    def __bool__(self) -> bool:
        return bool(self.reports or self.groups or self.names)

    def _versions(self, ids: Iterable[str], by_id: str) -> Iterable[Any]:
        for catalogue in (self.old, self.new):
            entries = getattr(catalogue, by_id)
            yield from (entries[i] for i in ids if i in entries)

    def touches(self, use: Use) -> bool:
        """Whether a page with this use shows something that changed."""
        if isinstance(use, CiteUse):
            return use.ident in (self.report_labels if use.kind == "report" else self.group_labels)
        if use.names() & self.names:  # a filter names a year, group or tag that came or went
            return True
        if isinstance(use, ReportsUse):
            if any(use.shows(r) for versions in self.reports.values() for r in versions):
                return True
            # each card names its working group
            return any(
                use.shows(r) for c in (self.old, self.new) for r in c.reports if r.group in self.group_labels
            )
        if any(use.shows(g) for versions in self.groups.values() for g in versions):
            return True
        # each group's summary names its reports
        groups = {r.group for r in self._versions(self.report_labels, "reports_by_id")}
        return any(use.shows(g) for g in self._versions(groups, "groups_by_id"))


def touched(uses: dict[str, set[Use]], changes: Changes) -> set[str]:
    """The documents whose uses a change touches."""
    if not changes:
        return set()
    return {docname for docname, found in uses.items() if any(changes.touches(u) for u in found)}
