"""The catalogue: working groups and reports, loaded from one YAML file.

This module imports no Sphinx. :func:`load` never raises for bad content: every
mistake becomes a :class:`~sphinx_dgx.problems.Problem` naming the file and
line, the faulty entry is left out, and the rest of the catalogue is usable.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import yamlsyntax
from .problems import Problem, Subtype

YEAR_RANGE = (1990, 2100)
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (20 times faster); node marks give lines either way."""
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
LISTING_LIMIT = 10_000
"""How many entries of the files folder are looked at, at the most, to suggest a name for a missing file."""


@dataclass(frozen=True)
class Link:
    """A titled external link of a working group."""

    title: str
    url: str
    line: int


@dataclass(frozen=True)
class WorkingGroup:
    """One working group of one year."""

    id: str
    name: str
    year: int
    summary: str
    line: int
    special_edition: bool = False
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Report:
    """One report: a file under the files folder, or a page published elsewhere."""

    id: str
    title: str
    group: str
    year: int
    summary: str
    line: int
    file: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    reference: str | None = None
    cover: str | None = None
    """An image under the files folder shown instead of the first page of the file."""
    file_ok: bool = True
    file_line: int | None = None
    """The line of the ``file`` field: where a problem with the file itself is reported."""
    """False when the file is named but missing or unusable (a problem says why)."""

    @property
    def kind(self) -> str:
        """``"file"`` or ``"url"``."""
        return "file" if self.file is not None else "url"


@dataclass(frozen=True)
class Catalogue:
    """The loaded catalogue: the valid entries, and the problems met on the way."""

    path: str
    files_dir: str
    groups: tuple[WorkingGroup, ...] = ()
    reports: tuple[Report, ...] = ()
    problems: tuple[Problem, ...] = ()
    readable: bool = True
    """False when the file as a whole could not be used (missing, not YAML, wrong shape).

    Then every id is unknown, and warning about each use of one would bury the one
    problem that matters: directives and roles stay silent.
    """

    @cached_property
    def groups_by_id(self) -> dict[str, WorkingGroup]:
        return {g.id: g for g in self.groups}

    @cached_property
    def reports_by_id(self) -> dict[str, Report]:
        return {r.id: r for r in self.reports}

    @cached_property
    def years(self) -> tuple[int, ...]:
        """Every year that has a group or a report, newest first."""
        return tuple(sorted({g.year for g in self.groups} | {r.year for r in self.reports}, reverse=True))

    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({t for r in self.reports for t in r.tags}))

    def reports_of(self, group_id: str) -> list[Report]:
        """The reports of one working group, in catalogue order."""
        return [r for r in self.reports if r.group == group_id]

    def select_reports(
        self,
        years: Iterable[int] = (),
        groups: Iterable[str] = (),
        tags: Iterable[str] = (),
        kind: str | None = None,
    ) -> list[Report]:
        """Reports matching every given filter (each filter matches any of its values).

        Order: newest year first; within a year, the order of the catalogue.
        """
        years, groups, tags = set(years), set(groups), set(tags)
        chosen = [
            r
            for r in self.reports
            if (not years or r.year in years)
            and (not groups or r.group in groups)
            and (not tags or tags.intersection(r.tags))
            and (kind is None or r.kind == kind)
        ]
        return sorted(chosen, key=lambda r: -r.year)  # sorted() is stable

    def select_groups(self, years: Iterable[int] = ()) -> list[WorkingGroup]:
        """Working groups of the given years (all if none): newest year first, then catalogue order."""
        years = set(years)
        chosen = [g for g in self.groups if not years or g.year in years]
        return sorted(chosen, key=lambda g: -g.year)


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {match[0]!r}?)" if match else ""


# --------------------------------------------------------------------------
# Loading


class _UnusableError(Exception):
    """A value could not be constructed; the problem is already recorded."""


@dataclass
class _Field:
    """A field of an entry: its Python type, whether required, and how it is described."""

    kind: type | tuple[type, ...]
    required: bool = False
    what: str = "text"


_GROUP_FIELDS = {
    "id": _Field(str, True),
    "name": _Field(str, True),
    "year": _Field(int, True, "a whole number"),
    "summary": _Field(str, True),
    "special_edition": _Field(bool, False, "true or false"),
    "links": _Field(list, False, "a list of links (title and url)"),
}
_REPORT_FIELDS = {
    "id": _Field(str, True),
    "title": _Field(str, True),
    "working_group": _Field(str, True),
    "year": _Field(int, False, "a whole number"),
    "summary": _Field(str, True),
    "file": _Field(str),
    "url": _Field(str),
    "tags": _Field(list, False, "a list of text"),
    "reference": _Field((str, int), False, "text"),
    "cover": _Field(str),
}
_LINK_FIELDS = {"title": _Field(str, True), "url": _Field(str, True)}
_TOP_KEYS = ("working_groups", "reports")
_KNOWN_KEYS = frozenset({*_GROUP_FIELDS, *_REPORT_FIELDS, *_LINK_FIELDS, *_TOP_KEYS})
_FOLLOWS_FROM_CUT = frozenset(
    {
        Subtype.BAD_ID,
        Subtype.UNKNOWN_GROUP,
        Subtype.BAD_URL,
        Subtype.BAD_PATH,
        Subtype.MISSING_FILE,
        Subtype.NOT_PDF,
        Subtype.BAD_COVER,
    }
)
"""Problems that judge a value: on the line of a value cut short at ``#``, that warning says what to fix."""


def _loose(name: str) -> str:
    """*name* compared loosely: Unicode NFC, case folded, without white space, underscores and hyphens."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    return re.sub(r"[\s_\-\u2010-\u2015]+", "", folded)


def file_names(folder: str) -> list[str]:
    """The regular files under *folder*, relative, with ``/``, sorted; hidden ones (``.name``) left out.

    LISTING_LIMIT entries are looked at, at most.
    """
    names: list[str] = []
    pending, seen = [""], 0
    while pending and seen < LISTING_LIMIT:
        prefix = pending.pop()
        try:
            with os.scandir(os.path.join(folder, prefix)) as entries:
                for entry in entries:
                    seen += 1
                    if seen > LISTING_LIMIT:
                        break
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(f"{prefix}{entry.name}/")
                    elif entry.is_file():
                        names.append(prefix + entry.name)
        except OSError:
            continue
    return sorted(names)


@dataclass
class _Entry:
    """The checked fields of one mapping, with the line of each value."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    line: int = 0
    usable: bool = True
    unreadable: set[str] = field(default_factory=set)
    """Fields whose value could not be read (already reported): not reported again as missing."""


class _Loader:
    def __init__(self, path: str, files_dir: str) -> None:
        self.path = path
        self.files_dir = files_dir
        self.problems: list[Problem] = []
        self.broken_groups: set[str] = set()
        self.files_root = Path(files_dir).resolve()
        self.constructor = yaml.SafeLoader("")
        self.lines: list[str] = []
        self.cut_lines: set[int] = set()

    def note_broken(self, item: yaml.Node) -> None:
        """Remember the id of a working group that was left out, so its reports do not warn again."""
        if isinstance(item, yaml.MappingNode):
            for key_node, value_node in item.value:
                if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                    self.broken_groups.add(value_node.value)

    def problem(self, subtype: Subtype, message: str, line: int | None) -> None:
        if line in self.cut_lines and subtype in _FOLLOWS_FROM_CUT:
            return  # the value was cut short at its "#": that warning says what to fix
        self.problems.append(Problem(subtype, message, self.path, line))

    def cut_comment(self, name: str, node: yaml.Node, value: Any, spec: _Field, subject: str) -> None:
        """Warn when YAML took the end of an unquoted text value for a comment (`` #`` on its line)."""
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        if str not in kinds or not isinstance(value, str) or not isinstance(node, yaml.ScalarNode):
            return
        if node.style:  # quoted or a block scalar: PyYAML gives None for plain, libyaml ""
            return
        end = node.end_mark
        rest = self.lines[end.line][end.column :] if end.line < len(self.lines) else ""
        if not yamlsyntax.COMMENT_AFTER.match(rest):
            return
        lost = rest.rstrip()
        fix = yamlsyntax.quoted(value + lost)
        if len(fix) > 80:  # the start and the end, cut between words
            fix = f"{fix[:30].rsplit(' ', 1)[0]} … {fix[-40:].split(' ', 1)[-1]}"
        self.problem(
            Subtype.COMMENT_IN_VALUE,
            f"{name} of {subject} stops at ' #': YAML reads {lost!r} as a comment; "
            f"put the whole value in quotes: {fix}",
            end.line + 1,
        )
        self.cut_lines.add(end.line + 1)

    @cached_property
    def files_by_key(self) -> dict[str, list[str]]:
        """The names of the files folder by their loose key; listed once, when a file is missing."""
        by_key: dict[str, list[str]] = {}
        for name in file_names(self.files_dir):
            by_key.setdefault(_loose(name), []).append(name)
        return by_key

    def near_names(self, name: str) -> str:
        """`` (files/ has 'x')`` naming up to three files whose names are closest to *name*, or nothing."""
        key = _loose(name)
        keys = (
            [key] if key in self.files_by_key else difflib.get_close_matches(key, self.files_by_key, 3, 0.8)
        )
        names = [found for k in keys for found in self.files_by_key[k] if found != name][:3]
        if not names:
            return ""
        listed = " and ".join(filter(None, [", ".join(map(repr, names[:-1])), repr(names[-1])]))
        return f" (files/ has {listed})"

    def value(self, node: yaml.Node) -> Any:
        """The Python value of a node; raises :class:`_UnusableError` (already reported) when it has none."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            self.problem(Subtype.YAML_ERROR, f"this value cannot be read: {reason}", node.start_mark.line + 1)
            raise _UnusableError from error

    # -- structure ----------------------------------------------------------

    def mapping(self, node: yaml.Node, fields: dict[str, _Field], what: str, label: str) -> _Entry | None:
        """Check one mapping against its fields; None when it cannot be used."""
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.problem(Subtype.STRUCTURE, f"each {what} must be a mapping of fields", line)
            return None
        for key_node, value_node in node.value:
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                label = f" {value_node.value!r}"
        entry = _Entry(line=line)
        self.read_fields(node, fields, what, label, entry)
        for name, spec in fields.items():
            if name not in entry.values:
                if spec.required and name not in entry.unreadable:
                    self.problem(Subtype.MISSING_FIELD, f"{what}{label} has no {name!r}", line)
                    entry.usable = False
                continue
            value = entry.values[name]
            if (isinstance(value, bool) and spec.kind is not bool) or not isinstance(value, spec.kind):
                self.problem(
                    Subtype.WRONG_TYPE,
                    f"{name!r} of {what}{label} must be {spec.what}, not {_describe(value)}",
                    entry.lines[name],
                )
                entry.usable = False
            elif isinstance(value, str) and spec.kind is str and not value.strip():
                if spec.required:
                    self.problem(
                        Subtype.MISSING_FIELD, f"{name!r} of {what}{label} is empty", entry.lines[name]
                    )
                    entry.usable = False
                else:
                    del entry.values[name]
        return entry if entry.usable else None

    def read_fields(
        self, node: yaml.MappingNode, fields: dict[str, _Field], what: str, label: str, entry: _Entry
    ) -> None:
        """Read the known fields of *node* into *entry*, reporting bad, repeated and unknown keys."""
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            try:
                key = self.value(key_node)
            except _UnusableError:
                entry.usable = False
                continue
            if not isinstance(key, str):
                self.problem(Subtype.STRUCTURE, f"field names must be text, not {key!r}", key_line)
                entry.usable = False
                continue
            if key in entry.values:
                self.problem(Subtype.DUPLICATE_KEY, f"key {key!r} is given twice in this {what}", key_line)
                entry.usable = False
                continue
            if key not in fields:
                self.problem(
                    Subtype.UNKNOWN_KEY,
                    f"unknown key {key!r} in {what}{label}{suggest(key, fields)}",
                    key_line,
                )
                continue
            try:
                entry.values[key] = self.value(value_node)
            except _UnusableError:
                entry.usable = False
                entry.unreadable.add(key)
                continue
            entry.lines[key] = value_node.start_mark.line + 1
            self.cut_comment(key, value_node, entry.values[key], fields[key], f"{what}{label}")

    def check_id(self, entry: _Entry, what: str, seen: dict[str, int]) -> bool:
        ident = entry.values["id"]
        if not ID_PATTERN.fullmatch(ident):
            self.problem(
                Subtype.BAD_ID,
                f"{what} id {ident!r} must be lower-case letters, digits and hyphens",
                entry.lines["id"],
            )
            return False
        if ident in seen:
            self.problem(
                Subtype.DUPLICATE_ID,
                f"duplicate {what} id {ident!r} (first defined at {self.path}:{seen[ident]})",
                entry.lines["id"],
            )
            return False
        seen[ident] = entry.lines["id"]
        return True

    def check_year(self, year: int, what: str, line: int) -> bool:
        low, high = YEAR_RANGE
        if not low <= year <= high:
            self.problem(Subtype.BAD_YEAR, f"year {year} of {what} is outside {low}-{high}", line)
            return False
        return True

    def check_url(self, url: str, what: str, line: int) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problem(
                Subtype.BAD_URL,
                f"url {url!r} of {what} must be an absolute address starting with https:// or http://",
                line,
            )
            return False
        return True

    def check_file(self, name: str, what: str, line: int, image: bool = False) -> bool | None:
        """True when usable, False when the file is missing or unusable, None when the path is refused."""
        shown = f"files/{name}"
        pure = Path(name)
        if pure.is_absolute() or name.startswith(("/", "\\")) or ".." in pure.parts or "\\" in name:
            self.problem(Subtype.BAD_PATH, f"file {name!r} of {what} is outside the files folder", line)
            return None
        if "\0" in name:
            self.problem(Subtype.BAD_PATH, f"file name {name!r} of {what} holds a NUL character", line)
            return None
        full = Path(self.files_dir, name)
        try:
            inside = full.resolve().is_relative_to(self.files_root)
        except (OSError, RuntimeError):  # a symlink loop, a name too long
            inside = True  # not known to leave; opening it below says what is wrong
        if not inside:
            self.problem(Subtype.BAD_PATH, f"file {name!r} of {what} leads outside the files folder", line)
            return None
        try:
            with full.open("rb") as handle:
                head = handle.read(1024)
        except FileNotFoundError:
            self.problem(
                Subtype.MISSING_FILE, f"{what}: file {shown!r} does not exist{self.near_names(name)}", line
            )
            return False
        except (OSError, RuntimeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.problem(Subtype.MISSING_FILE, f"{what}: file {shown!r} cannot be read: {reason}", line)
            return False
        if image:
            if not head.startswith(IMAGE_MAGIC):
                self.problem(Subtype.BAD_COVER, f"{what}: cover {shown!r} is not a PNG or JPEG image", line)
                return False
        elif PDF_MAGIC not in head:
            self.problem(Subtype.NOT_PDF, f"{what}: file {shown!r} is not a PDF", line)
            return False
        return True

    # -- entries --------------------------------------------------------------

    def links(self, node: yaml.SequenceNode, label: str) -> tuple[Link, ...] | None:
        links = []
        for item in node.value:
            entry = self.mapping(item, _LINK_FIELDS, "link", f" of working group {label}")
            if entry is None:
                return None
            if not self.check_url(entry.values["url"], f"working group {label}", entry.lines["url"]):
                return None
            links.append(Link(entry.values["title"].strip(), entry.values["url"].strip(), entry.line))
        return tuple(links)

    def groups(self, node: yaml.SequenceNode) -> list[WorkingGroup]:
        groups: list[WorkingGroup] = []
        seen: dict[str, int] = {}
        for item in node.value:
            entry = self.mapping(item, _GROUP_FIELDS, "working group", "")
            if entry is None or not self.check_id(entry, "working group", seen):
                self.note_broken(item)
                continue
            v = entry.values
            label = repr(v["id"])
            if not self.check_year(v["year"], f"working group {label}", entry.lines["year"]):
                self.note_broken(item)
                continue
            links: tuple[Link, ...] = ()
            if "links" in v:
                found = self.links(_child(item, "links"), label)
                if found is None:
                    self.note_broken(item)
                    continue
                links = found
            groups.append(
                WorkingGroup(
                    id=v["id"],
                    name=_clean(v["name"]),
                    year=v["year"],
                    summary=_clean(v["summary"]),
                    line=entry.line,
                    special_edition=v.get("special_edition", False),
                    links=links,
                )
            )
        return groups

    def report_files(self, entry: _Entry, what: str) -> tuple[bool, str | None] | None:
        """Whether the report's file is usable, and its usable cover; None when the report is refused."""
        file_ok, cover = True, entry.values.get("cover")
        if "file" in entry.values:
            checked = self.check_file(entry.values["file"], what, entry.lines["file"])
            if checked is None:
                return None
            file_ok = checked
        if cover is not None and not self.check_file(cover, what, entry.lines["cover"], image=True):
            cover = None  # the report stands, with the first page of its file as cover
        return file_ok, cover

    def reports(self, node: yaml.SequenceNode, groups: dict[str, WorkingGroup]) -> list[Report]:
        reports: list[Report] = []
        seen: dict[str, int] = {}
        for item in node.value:
            entry = self.mapping(item, _REPORT_FIELDS, "report", "")
            if entry is None or not self.check_id(entry, "report", seen):
                continue
            v, lines = entry.values, entry.lines
            what = f"report {v['id']!r}"
            group = groups.get(v["working_group"])
            if group is None and v["working_group"] in self.broken_groups:
                continue  # the group's own problem says what to fix
            if group is None:
                self.problem(
                    Subtype.UNKNOWN_GROUP,
                    f"{what} names unknown working group {v['working_group']!r}"
                    f"{suggest(v['working_group'], groups)}",
                    lines["working_group"],
                )
                continue
            year = v.get("year", group.year)
            if "year" in v and not self.check_year(year, what, lines["year"]):
                continue
            tags = v.get("tags", [])
            if not all(isinstance(t, str) and t.strip() for t in tags):
                self.problem(Subtype.WRONG_TYPE, f"'tags' of {what} must be a list of text", lines["tags"])
                continue
            has_file, has_url = "file" in v, "url" in v
            if has_file == has_url:
                both = "both 'file' and 'url'" if has_file else "neither 'file' nor 'url'"
                self.problem(Subtype.FILE_OR_URL, f"{what} has {both}", entry.line)
                continue
            if has_url and not self.check_url(v["url"], what, lines["url"]):
                continue
            checked = self.report_files(entry, what)
            if checked is None:
                continue
            file_ok, cover = checked
            reference = v.get("reference")
            reports.append(
                Report(
                    id=v["id"],
                    title=_clean(v["title"]),
                    group=group.id,
                    year=year,
                    summary=_clean(v["summary"]),
                    line=entry.line,
                    file=v.get("file"),
                    url=v["url"].strip() if has_url else None,
                    tags=tuple(t.strip() for t in tags),
                    reference=str(reference).strip() if reference is not None else None,
                    cover=cover,
                    file_ok=file_ok,
                    file_line=entry.lines.get("file"),
                )
            )
        return reports

    def load(self, text: str) -> Catalogue:
        empty = Catalogue(self.path, self.files_dir, problems=())
        try:
            root = yaml.compose(text, Loader=_COMPOSER)
        except yaml.YAMLError as error:
            line, reason = yamlsyntax.explain(error, text, _KNOWN_KEYS, _COMPOSER)
            self.problem(Subtype.YAML_ERROR, f"the catalogue is not valid YAML: {reason}", line)
            return self.done(empty, readable=False)
        self.lines = yamlsyntax.source_lines(text)
        if root is None:
            self.problem(
                Subtype.EMPTY_CATALOGUE, "the catalogue is empty: no working groups and no reports", 1
            )
            return self.done(empty)
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                Subtype.STRUCTURE,
                f"the catalogue must be a mapping with {' and '.join(map(repr, _TOP_KEYS))}, "
                f"not {_node_kind(root)}",
                root.start_mark.line + 1,
            )
            return self.done(empty, readable=False)
        sections: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            try:
                key = self.value(key_node)
                empty_value = isinstance(value_node, yaml.ScalarNode) and self.value(value_node) is None
            except _UnusableError:
                continue
            if key not in _TOP_KEYS:
                self.problem(
                    Subtype.UNKNOWN_KEY,
                    f"unknown top-level key {key!r}{suggest(str(key), _TOP_KEYS)}",
                    line,
                )
            elif key in sections:
                self.problem(Subtype.DUPLICATE_KEY, f"key {key!r} is given twice", line)
            elif empty_value:
                sections[key] = yaml.SequenceNode("tag:yaml.org,2002:seq", [])
            elif not isinstance(value_node, yaml.SequenceNode):
                self.problem(
                    Subtype.STRUCTURE,
                    f"{key!r} must be a list of entries, not {_node_kind(value_node)}",
                    value_node.start_mark.line + 1,
                )
            else:
                sections[key] = value_node
        groups = self.groups(sections["working_groups"]) if "working_groups" in sections else []
        by_id = {g.id: g for g in groups}
        reports = self.reports(sections["reports"], by_id) if "reports" in sections else []
        if not any(s.value for s in sections.values()) and not self.problems:
            self.problem(
                Subtype.EMPTY_CATALOGUE,
                "the catalogue is empty: no working groups and no reports",
                root.start_mark.line + 1,
            )
        return self.done(Catalogue(self.path, self.files_dir, tuple(groups), tuple(reports)))

    def done(self, catalogue: Catalogue, readable: bool = True) -> Catalogue:
        return dataclasses.replace(catalogue, problems=tuple(self.problems), readable=readable)


def _child(node: yaml.MappingNode, key: str) -> yaml.Node:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    raise KeyError(key)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a single value"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _clean(text: str) -> str:
    """Fold runs of white space (YAML block scalars keep newlines) into single spaces."""
    return " ".join(text.split())


def load(path: str | os.PathLike[str], files_dir: str | os.PathLike[str]) -> Catalogue:
    """Read and check the catalogue at *path*; report files are looked up in *files_dir*.

    Never raises for bad content or a missing file: see :attr:`Catalogue.problems`.
    """
    path, files_dir = os.fspath(path), os.fspath(files_dir)
    loader = _Loader(path, files_dir)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        loader.problem(Subtype.MISSING_CATALOGUE, f"cannot read the catalogue: {error.strerror}", None)
        return loader.done(Catalogue(path, files_dir), readable=False)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        loader.problem(Subtype.YAML_ERROR, "the catalogue is not UTF-8 text: save it as UTF-8", line)
        return loader.done(Catalogue(path, files_dir), readable=False)
    return loader.load(text)


def dump(catalogue: Catalogue) -> str:
    """The catalogue as YAML that :func:`loads` reads back to the same entries (defaults left out)."""

    def entry(item: WorkingGroup | Report) -> dict[str, Any]:
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        fields.pop("line")
        fields.pop("file_ok", None)
        fields.pop("file_line", None)
        if isinstance(item, Report):
            fields["working_group"] = fields.pop("group")
            fields["tags"] = list(item.tags)
        else:
            fields["links"] = [{"title": link.title, "url": link.url} for link in item.links]
        defaults = {f.name: f.default for f in dataclasses.fields(item)}
        return {k: v for k, v in fields.items() if v not in (None, [], ()) and defaults.get(k) != v}

    document = {
        "working_groups": [entry(g) for g in catalogue.groups],
        "reports": [entry(r) for r in catalogue.reports],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def loads(text: str, path: str = "<catalogue>", files_dir: str = ".") -> Catalogue:
    """Like :func:`load`, from text already read."""
    return _Loader(path, files_dir).load(text)
