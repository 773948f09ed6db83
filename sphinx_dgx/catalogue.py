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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from . import yamlsyntax
from .problems import Problem, Subtype
from .regular import NotRegularFileError, TooLargeError, open_regular, read_bounded
from .validators import (
    Field,
    InvalidError,
    NotGivenError,
    Validator,
    and_,
    brief,
    deep_iterable,
    instance_of,
    matches,
    not_blank,
    one_word,
    printable,
    shorten,
    web_address,
    year_between,
    year_digits,
)

YEAR_RANGE = (1990, 2100)
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (20 times faster); event marks give lines either way."""
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
LISTING_LIMIT = 10_000
"""How many entries of the files folder are looked at, at the most, to suggest a name for a missing file."""
MAX_BYTES = 10 * 1024 * 1024
"""The largest catalogue read unless ``dgx_catalogue_max_bytes`` says otherwise (10 MB)."""


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
    """False when the file is named but missing or cannot be read (a problem says why).

    Whether it is a PDF is judged from its content by :mod:`sphinx_dgx.facts`.
    """
    file_line: int | None = None
    """The line of the ``file`` field: where a problem with the file itself is reported."""

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
        """Reports matching every filter given (each matches any of its values), in :func:`shown_order`."""
        return self.chosen(ReportFilter(frozenset(years), frozenset(groups), frozenset(tags), kind))

    def chosen(self, chooser: ReportFilter | GroupFilter) -> list[Any]:
        """The reports or working groups a filter chooses, in :func:`shown_order`."""
        entries = self.reports if isinstance(chooser, ReportFilter) else self.groups
        return shown_order(e for e in entries if chooser.shows(e))

    def select_groups(self, years: Iterable[int] = ()) -> list[WorkingGroup]:
        """Working groups of the given years (all if none), in :func:`shown_order`."""
        return self.chosen(GroupFilter(frozenset(years)))


def shown_order(entries: Iterable[Any]) -> list[Any]:
    """The order in which pages show entries: newest year first; within a year, the catalogue's."""
    return sorted(entries, key=lambda entry: -entry.year)  # sorted() is stable


@dataclass(frozen=True)
class ReportFilter:
    """What a ``dgx-reports`` directive shows: reports matching every filter given (empty: any)."""

    years: frozenset[int] = frozenset()
    groups: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    kind: str | None = None

    def shows(self, report: Report) -> bool:
        return (
            (not self.years or report.year in self.years)
            and (not self.groups or report.group in self.groups)
            and (not self.tags or bool(self.tags.intersection(report.tags)))
            and (self.kind is None or report.kind == self.kind)
        )

    def names(self) -> set[str]:
        """The years, groups and tags the filter names."""
        return {*map(str, self.years), *self.groups, *self.tags}


@dataclass(frozen=True)
class GroupFilter:
    """What a ``dgx-working-groups`` directive shows: the groups of the given years (empty: all)."""

    years: frozenset[int] = frozenset()

    def shows(self, group: WorkingGroup) -> bool:
        return not self.years or group.year in self.years

    def names(self) -> set[str]:
        return set(map(str, self.years))


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {brief(match[0])}?)" if match else ""


# --------------------------------------------------------------------------
# Loading: what is checked, as tables (one per kind of entry), then the loader that applies them.
#
# An entry is read in two steps. First its fields: each key must be a field of its kind, each
# value good for its field (the field's validator); every such problem is reported. Then, when
# the fields are good, the checks of its kind, in table order: the first that refuses the entry
# leaves it out (a check with ``otherwise`` keeps the entry, without the value it refused).


_EMPTY = "the catalogue is empty: no working groups and no reports"
_NUMBER_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "timestamp"))
"""What YAML's rules make of some unquoted text: ``012345`` is 5349, ``12:30:00`` 45000, ``2021-01-01``
a date."""
_NOT_TEXT = _NUMBER_TAGS | {"tag:yaml.org,2002:bool"}
_FOLLOWS_FROM_CUT = frozenset(
    {
        Subtype.BAD_ID,
        Subtype.UNKNOWN_GROUP,
        Subtype.BAD_URL,
        Subtype.BAD_PATH,
        Subtype.MISSING_FILE,
        Subtype.BAD_COVER,
    }
)
"""Problems that judge a value: on the line of a value cut short at ``#``, that warning says what to fix."""


# -- the files folder -------------------------------------------------------------------------


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


class _Files:
    """The files folder: which names stay inside it, which files can be read, and close names."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.root = Path(folder).resolve()

    @cached_property
    def by_key(self) -> dict[str, list[str]]:
        """The names of the folder by their loose key; listed once, when a file is missing."""
        by_key: dict[str, list[str]] = {}
        for name in file_names(self.folder):
            by_key.setdefault(_loose(name), []).append(name)
        return by_key

    def near_names(self, name: str) -> str:
        """`` (files/ has 'x')`` naming up to three files whose names are closest to *name*, or nothing."""
        key = _loose(name)
        keys = [key] if key in self.by_key else difflib.get_close_matches(key, self.by_key, 3, 0.8)
        names = [found for k in keys for found in self.by_key[k] if found != name][:3]
        if not names:
            return ""
        listed = " and ".join(filter(None, [", ".join(map(repr, names[:-1])), repr(names[-1])]))
        return f" (files/ has {listed})"

    def refuse_outside(self, name: str, owner: str) -> None:
        """Raise :class:`InvalidError` (``dgx.bad_path``) when *name* is no path inside the folder."""
        pure = Path(name)
        if pure.is_absolute() or name.startswith(("/", "\\")) or ".." in pure.parts or "\\" in name:
            raise InvalidError(Subtype.BAD_PATH, f"file {brief(name)} of {owner} is outside the files folder")
        if "\0" in name:
            raise InvalidError(Subtype.BAD_PATH, f"file name {brief(name)} of {owner} holds a NUL character")
        try:
            inside = Path(self.folder, name).resolve().is_relative_to(self.root)
        except (OSError, RuntimeError):  # a symlink loop, a name too long
            inside = True  # not known to leave; opening it says what is wrong
        if not inside:
            raise InvalidError(
                Subtype.BAD_PATH, f"file {brief(name)} of {owner} leads outside the files folder"
            )

    def head(self, name: str, owner: str) -> bytes:
        """The first bytes of a file; :class:`InvalidError` (``dgx.missing_file``) when it cannot be read."""
        shown = f"files/{name}"
        try:
            with open_regular(Path(self.folder, name)) as handle:  # never a pipe or a device
                return handle.read(1024)
        except FileNotFoundError:
            message = f"{owner}: file {shown!r} does not exist{self.near_names(name)}"
        except NotRegularFileError as error:
            message = f"{owner}: file {shown!r} cannot be read: {error.strerror}; put the file itself there"
        except (OSError, RuntimeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            message = f"{owner}: file {shown!r} cannot be read: {reason}"
        raise InvalidError(Subtype.MISSING_FILE, message)


class _UnusableError(Exception):
    """A value could not be constructed; the problem is already recorded."""


@dataclass
class _Entry:
    """One entry being checked: its values, the nodes they were read from, and what its checks found."""

    loader: _Loader
    kind: _Kind
    line: int
    subject: str
    """The entry in messages: ``report 'cloud-2021'``, ``link of working group 'cloud-2021'``."""
    owner: str
    """The entry a url or file belongs to in messages: the subject, or a link's working group."""
    values: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, yaml.Node] = field(default_factory=dict)
    """The node of each value read: its line (kept when a blank value is dropped)."""
    unreadable: set[str] = field(default_factory=set)
    """Fields whose value could not be read (already reported): not reported again as missing."""
    usable: bool = True
    group: WorkingGroup | None = None
    links: tuple[Link, ...] = ()
    file_ok: bool = True

    @property
    def what(self) -> str:
        return self.kind.what

    def line_of(self, name: str | None) -> int:
        """The line of a field's value; the entry's first line for None."""
        return self.line if name is None else self.nodes[name].start_mark.line + 1

    def written(self, name: str) -> str | None:
        """A field's value as written, when YAML read it as a number, a date, or true or false."""
        node = self.nodes.get(name)
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag in _NOT_TEXT:
            return str(node.value)
        return None


@dataclass(frozen=True)
class _Check:
    """One check of an entry whose fields are good."""

    field: str | None
    """The field checked, at the line of its value (the check is skipped when the entry has none of
    it); None: the entry as a whole (the validator is given all its values), at its first line."""
    validator: Validator
    otherwise: Callable[[_Entry, str], None] | None = None
    """What becomes of the entry when the check fails (the problem is reported all the same);
    None: the entry is left out."""


@dataclass(frozen=True)
class _Kind:
    """A kind of entry: its fields, the checks once they are good, and the value built from it."""

    what: str
    fields: tuple[Field, ...]
    checks: tuple[_Check, ...]
    build: Callable[[_Entry], Any]

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


# -- checks that look beyond the value: at other entries and at the files folder ----------


def unique_id(entry: _Entry, spec: Field, ident: str) -> None:
    """No entry of the same kind before it has the id (``dgx.duplicate_id``, naming the first's line)."""
    seen = entry.loader.seen_ids.setdefault(entry.what, {})
    if ident in seen:
        raise InvalidError(
            Subtype.DUPLICATE_ID,
            f"duplicate {entry.what} id {brief(ident)} (first defined at {entry.loader.path}:{seen[ident]})",
        )
    seen[ident] = entry.line_of(spec.name)


def known_group(entry: _Entry, spec: Field, name: str) -> None:
    """The working group is in the catalogue (``dgx.unknown_group``, with a close id)."""
    groups = entry.loader.groups
    entry.group = groups.get(name)
    if entry.group is None and name in entry.loader.group_ids:
        raise InvalidError(None)  # the group is left out: its own problem says what to fix
    if entry.group is None:
        raise InvalidError(
            Subtype.UNKNOWN_GROUP,
            f"{entry.subject} names unknown working group {brief(name)}{suggest(name, groups)}",
        )


def valid_links(entry: _Entry, spec: Field, links: list[Any]) -> None:
    """Every link is a good link entry; the first that is not leaves the working group out."""
    found = []
    for node in entry.nodes[spec.name].value:
        link = entry.loader.entry(node, _LINK, within=entry.subject)
        if link is None:
            raise InvalidError(None)  # the link's own problem says what to fix
        found.append(link)
    entry.links = tuple(found)


def file_or_url(entry: _Entry, spec: None, values: dict[str, Any]) -> None:
    """Exactly one of ``file`` and ``url`` (``dgx.file_or_url``)."""
    has_file, has_url = "file" in values, "url" in values
    if has_file == has_url:
        both = "both 'file' and 'url'" if has_file else "neither 'file' nor 'url'"
        raise InvalidError(Subtype.FILE_OR_URL, f"{entry.subject} has {both}")


def inside_files(entry: _Entry, spec: Field, name: str) -> None:
    """The path stays inside the files folder, links followed (``dgx.bad_path``)."""
    entry.loader.files.refuse_outside(name, entry.owner)


def readable(entry: _Entry, spec: Field, name: str) -> None:
    """The file exists and can be read (``dgx.missing_file``, naming the close names in files/)."""
    entry.loader.files.head(name, entry.owner)


def image(entry: _Entry, spec: Field, name: str) -> None:
    """A PNG or JPEG image, judged by its content (``dgx.bad_cover``); missing: ``dgx.missing_file``."""
    if not entry.loader.files.head(name, entry.owner).startswith(IMAGE_MAGIC):
        raise InvalidError(
            Subtype.BAD_COVER, f"{entry.owner}: cover {brief('files/' + name)} is not a PNG or JPEG image"
        )


def _without_download(entry: _Entry, name: str) -> None:
    entry.file_ok = False  # the report stays, without its file


def _left_out(entry: _Entry, name: str) -> None:
    del entry.values[name]  # the report stays: its cover is the first page of its file


def _list_of_entries(inst: None, spec: Field, node: yaml.Node) -> None:
    """A top-level value is a YAML list (``dgx.structure``)."""
    if not isinstance(node, yaml.SequenceNode):
        raise InvalidError(Subtype.STRUCTURE, f"{spec.name!r} must be {spec.what}, not {_node_kind(node)}")


# -- what each kind of entry builds ---------------------------------------------------------


def _link(entry: _Entry) -> Link:
    v = entry.values
    return Link(v["title"].strip(), v["url"].strip(), entry.line)


def _group(entry: _Entry) -> WorkingGroup:
    v = entry.values
    return WorkingGroup(
        id=v["id"],
        name=_clean(v["name"]),
        year=int(v["year"]),  # four digits: year_between
        summary=_clean(v["summary"]),
        line=entry.line,
        special_edition=v.get("special_edition", False),
        links=entry.links,
    )


def _report(entry: _Entry) -> Report:
    v, group = entry.values, entry.group
    assert group is not None  # known_group found it
    reference = v.get("reference")
    return Report(
        id=v["id"],
        title=_clean(v["title"]),
        group=group.id,
        year=int(v["year"]) if "year" in v else group.year,
        summary=_clean(v["summary"]),
        line=entry.line,
        file=v.get("file"),
        url=v["url"].strip() if "url" in v else None,
        tags=tuple(t.strip() for t in v.get("tags", [])),
        reference=reference.strip() if reference is not None else None,
        cover=v.get("cover"),
        file_ok=entry.file_ok,
        file_line=entry.line_of("file") if "file" in entry.nodes else None,
    )


# -- the tables -------------------------------------------------------------------------------

_TEXT = and_(instance_of(str), not_blank, printable)
"""Text without control characters; blank text (or text that shows nothing) counts as not given."""
_ID = matches(ID_PATTERN, Subtype.BAD_ID, "lower-case letters, digits and hyphens")
_YEAR_TEXT = and_(instance_of((str, int)), year_digits)
"""A year as written (``year: 02021`` is not 1041): a whole number in the digits 0-9, then the range."""
_YEAR = year_between(*YEAR_RANGE, Subtype.BAD_YEAR)
_ID_FIELD = Field("id", str, required=True, validator=_TEXT)
_ID_CHECKS = (_Check("id", _ID), _Check("id", unique_id))
"""Working groups and reports: an id of the pattern, unique among the entries of its kind."""

_LINK_FIELDS = (
    Field("title", str, required=True, validator=_TEXT),
    Field("url", str, required=True, validator=_TEXT),
)
_LINK_CHECKS = (_Check("url", web_address),)

_GROUP_FIELDS = (
    _ID_FIELD,
    Field("name", str, required=True, validator=_TEXT),
    Field("year", (str, int), required=True, validator=_YEAR_TEXT, what="a whole number", as_written=True),
    Field("summary", str, required=True, validator=_TEXT),
    Field("special_edition", bool, validator=instance_of(bool), what="true or false"),
    Field("links", list, validator=instance_of(list), what="a list of links (title and url)"),
)
_GROUP_CHECKS = (
    *_ID_CHECKS,
    _Check("year", _YEAR),
    _Check("links", valid_links),
)

_REPORT_FIELDS = (
    _ID_FIELD,
    Field("title", str, required=True, validator=_TEXT),
    Field("working_group", str, required=True, validator=_TEXT),
    Field("year", (str, int), validator=_YEAR_TEXT, what="a whole number", as_written=True),
    Field("summary", str, required=True, validator=_TEXT),
    Field("file", str, validator=_TEXT),
    Field("url", str, validator=_TEXT),
    Field("tags", list, validator=instance_of(list), what="a list of text"),
    Field("reference", str, validator=_TEXT, as_written=True),
    Field("cover", str, validator=_TEXT),
)
_REPORT_CHECKS = (
    *_ID_CHECKS,
    _Check("working_group", known_group),
    _Check("year", _YEAR),
    _Check("tags", deep_iterable(and_(_TEXT, one_word))),
    _Check(None, file_or_url),
    _Check("url", web_address),
    _Check("file", inside_files),
    _Check("file", readable, otherwise=_without_download),
    _Check("cover", and_(inside_files, image), otherwise=_left_out),
)

_LINK = _Kind("link", _LINK_FIELDS, _LINK_CHECKS, build=_link)
_GROUP = _Kind("working group", _GROUP_FIELDS, _GROUP_CHECKS, build=_group)
_REPORT = _Kind("report", _REPORT_FIELDS, _REPORT_CHECKS, build=_report)
_TOP_FIELDS = {
    spec.name: spec
    for spec in (
        Field("working_groups", list, validator=_list_of_entries, what="a list of entries"),
        Field("reports", list, validator=_list_of_entries, what="a list of entries"),
    )
}
"""The top level: a mapping whose values are lists of entries (a value left empty is an empty list)."""
_TOP_KEYS = tuple(_TOP_FIELDS)
_KNOWN_KEYS = frozenset({*_TOP_KEYS, *(f.name for kind in (_GROUP, _REPORT, _LINK) for f in kind.fields)})
"""Every field name: a line that starts with one is a field, when a YAML syntax error is explained."""


# -- the loader ---------------------------------------------------------------------------


class _Loader:
    """Reads the catalogue against the tables above; every mistake becomes a problem."""

    def __init__(self, path: str, files_dir: str) -> None:
        self.path = path
        self.files_dir = files_dir
        self.files = _Files(files_dir)
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.lines: list[str] = []
        self.cut_lines: set[int] = set()
        self.seen_ids: dict[str, dict[str, int]] = {}
        """By kind of entry: the line of each id met so far."""
        self.groups: dict[str, WorkingGroup] = {}
        """The working groups loaded, by id."""
        self.group_ids: set[str] = set()
        """The ids of every working group as written, also of those left out."""

    def load(self, text: str) -> Catalogue:
        empty = Catalogue(self.path, self.files_dir)
        try:
            root = yamlsyntax.compose(text, _COMPOSER)
        except yamlsyntax.RefusedError as refused:
            self.problem(Subtype.YAML_REFUSED, refused.message, refused.line)
            return self.done(empty, readable=False)
        except yaml.YAMLError as error:
            line, reason = yamlsyntax.explain(error, text, _KNOWN_KEYS, _COMPOSER)
            self.problem(Subtype.YAML_ERROR, f"the catalogue is not valid YAML: {reason}", line)
            return self.done(empty, readable=False)
        self.lines = yamlsyntax.source_lines(text)
        if root is None:
            self.problem(Subtype.EMPTY_CATALOGUE, _EMPTY, 1)
            return self.done(empty)
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                Subtype.STRUCTURE,
                f"the catalogue must be a mapping with {' and '.join(map(repr, _TOP_KEYS))}, "
                f"not {_node_kind(root)}",
                root.start_mark.line + 1,
            )
            return self.done(empty, readable=False)
        sections = self.sections(root)
        groups = self.entries(sections.get("working_groups"), _GROUP)
        self.groups = {g.id: g for g in groups}
        self.group_ids = _ids_as_written(sections.get("working_groups"))
        reports = self.entries(sections.get("reports"), _REPORT)
        if not any(s.value for s in sections.values()) and not self.problems:
            self.problem(Subtype.EMPTY_CATALOGUE, _EMPTY, root.start_mark.line + 1)
        return self.done(Catalogue(self.path, self.files_dir, tuple(groups), tuple(reports)))

    def sections(self, root: yaml.MappingNode) -> dict[str, yaml.SequenceNode]:
        """The lists of entries under the top-level keys (:data:`_TOP_FIELDS`), by key."""
        sections: dict[str, yaml.SequenceNode] = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            try:
                key = self.value(key_node)
                empty = isinstance(value_node, yaml.ScalarNode) and self.value(value_node) is None
            except _UnusableError:
                continue
            if key not in _TOP_KEYS:  # a tuple: a key may be a list, which has no hash
                hint = suggest(str(key), _TOP_KEYS) if isinstance(key, str) else ""
                self.problem(Subtype.UNKNOWN_KEY, f"unknown top-level key {brief(key)}{hint}", line)
            elif key in sections:
                self.problem(Subtype.DUPLICATE_KEY, f"key {key!r} is given twice", line)
            elif empty:
                sections[key] = yaml.SequenceNode("tag:yaml.org,2002:seq", [])
            elif self.valid(None, _TOP_FIELDS[key], value_node, value_node):
                sections[key] = value_node
        return sections

    def entries(self, node: yaml.SequenceNode | None, kind: _Kind) -> list[Any]:
        """The entries of one top-level list that pass their kind's fields and checks."""
        found = (self.entry(item, kind) for item in (node.value if node is not None else ()))
        return [item for item in found if item is not None]

    def entry(self, node: yaml.Node, kind: _Kind, within: str | None = None) -> Any:
        """One entry, checked against its kind and built; None when it is left out.

        *within*: the entry it belongs to (a link's working group), which messages name.
        """
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.problem(Subtype.STRUCTURE, f"each {kind.what} must be a mapping of fields", line)
            return None
        subject = kind.what + _label(node, within)
        entry = _Entry(self, kind, line, subject, owner=within or subject)
        self.read_fields(node, entry)
        self.check_fields(entry)
        if entry.usable:
            self.run_checks(entry)
        return kind.build(entry) if entry.usable else None

    def read_fields(self, node: yaml.MappingNode, entry: _Entry) -> None:
        """Read the values of the entry's fields, reporting bad, repeated and unknown keys."""
        fields = entry.kind.by_name
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            try:
                key = self.value(key_node)
            except _UnusableError:
                entry.usable = False
                continue
            if not isinstance(key, str):
                self.problem(Subtype.STRUCTURE, f"field names must be text, not {brief(key)}", key_line)
                entry.usable = False
            elif key in entry.nodes:
                self.problem(
                    Subtype.DUPLICATE_KEY, f"key {key!r} is given twice in this {entry.what}", key_line
                )
                entry.usable = False
            elif key not in fields:
                hint = suggest(key, fields)
                self.problem(
                    Subtype.UNKNOWN_KEY, f"unknown key {brief(key)} in {entry.subject}{hint}", key_line
                )
            else:
                try:
                    entry.values[key] = self.field_value(fields[key], value_node)
                except _UnusableError:
                    entry.usable = False
                    entry.unreadable.add(key)
                    continue
                entry.nodes[key] = value_node
                self.cut_comment(entry, fields[key], value_node)

    def check_fields(self, entry: _Entry) -> None:
        """Each field of the entry's kind: given when required, and good for its validator."""
        for spec in entry.kind.fields:
            if spec.name in entry.values:
                value = entry.values[spec.name]
                if not self.valid(entry, spec, value, entry.nodes[spec.name]):
                    entry.usable = False
            elif spec.required and spec.name not in entry.unreadable:
                self.problem(Subtype.MISSING_FIELD, f"{entry.subject} has no {spec.name!r}", entry.line)
                entry.usable = False

    def run_checks(self, entry: _Entry) -> None:
        """The checks of the entry's kind, in order, until one leaves the entry out."""
        for check in entry.kind.checks:
            if check.field is not None and check.field not in entry.values:
                continue
            spec = None if check.field is None else entry.kind.by_name[check.field]
            value = entry.values if check.field is None else entry.values[check.field]
            try:
                check.validator(entry, spec, value)
            except InvalidError as invalid:
                self.invalid(invalid, entry.line_of(check.field))
                if check.otherwise is None:
                    entry.usable = False
                    return
                check.otherwise(entry, check.field)

    def valid(self, inst: _Entry | None, spec: Field, value: Any, node: yaml.Node) -> bool:
        """Whether *value* passes the field's validator (a problem says why not).

        A value that counts as not given is dropped from the entry.
        """
        try:
            if spec.validator is not None:
                spec.validator(inst, spec, value)
        except NotGivenError:
            if inst is not None:
                del inst.values[spec.name]
        except InvalidError as invalid:
            self.invalid(invalid, node.start_mark.line + 1)
            return False
        return True

    def cut_comment(self, entry: _Entry, spec: Field, node: yaml.Node) -> None:
        """Warn when YAML took the end of an unquoted text value for a comment (`` #`` on its line)."""
        value = entry.values[spec.name]
        kinds = spec.type if isinstance(spec.type, tuple) else (spec.type,)
        if str not in kinds or not isinstance(value, str) or not isinstance(node, yaml.ScalarNode):
            return
        if node.style or node.tag in _NUMBER_TAGS:  # quoted or a block; a number as written: no text cut
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
            f"{spec.name} of {entry.subject} stops at ' #': YAML reads {brief(lost)} as a comment; "
            f"put the whole value in quotes: {fix}",
            end.line + 1,
        )
        self.cut_lines.add(end.line + 1)

    def field_value(self, spec: Field, node: yaml.Node) -> Any:
        """The value of a field: as written for a field read so (:attr:`Field.as_written`) where YAML's
        rules would read a number or a date; else :meth:`value`."""
        if spec.as_written and isinstance(node, yaml.ScalarNode) and not node.style:
            implicit = self.constructor.resolve(yaml.ScalarNode, node.value, (True, False))
            if node.tag in _NUMBER_TAGS and node.tag == implicit:
                return node.value
        return self.value(node)

    def value(self, node: yaml.Node) -> Any:
        """The Python value of a node; raises :class:`_UnusableError` (already reported) when it has none."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            reason = shorten(getattr(error, "problem", None) or str(error).splitlines()[0], 200)
            self.problem(Subtype.YAML_ERROR, f"this value cannot be read: {reason}", node.start_mark.line + 1)
            raise _UnusableError from error

    def invalid(self, invalid: InvalidError, line: int) -> None:
        """Report why a value was refused (nothing when another problem says so)."""
        if invalid.subtype is not None:
            self.problem(invalid.subtype, invalid.message, line)

    def problem(self, subtype: Subtype, message: str, line: int | None) -> None:
        if line in self.cut_lines and subtype in _FOLLOWS_FROM_CUT:
            return  # the value was cut short at its "#": that warning says what to fix
        self.problems.append(Problem(subtype, message, self.path, line))

    def done(self, catalogue: Catalogue, readable: bool = True) -> Catalogue:
        return dataclasses.replace(catalogue, problems=tuple(self.problems), readable=readable)


def _label(node: yaml.MappingNode, within: str | None) -> str:
    """`` 'id'`` from the entry's id as written, else `` of <within>``, else nothing."""
    label = f" of {within}" if within else ""
    for key_node, value_node in node.value:
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            label = f" {brief(value_node.value)}"
    return label


def _ids_as_written(node: yaml.SequenceNode | None) -> set[str]:
    """The ids of the entries of a list as written (text ids of entries that are mappings)."""
    ids = set()
    for item in node.value if node is not None else ():
        if isinstance(item, yaml.MappingNode):
            ids.update(v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode))
    return ids


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a single value"


def _clean(text: str) -> str:
    """Fold runs of white space (YAML block scalars keep newlines) into single spaces."""
    return " ".join(text.split())


def load(
    path: str | os.PathLike[str], files_dir: str | os.PathLike[str], max_bytes: int = MAX_BYTES
) -> Catalogue:
    """Read and check the catalogue at *path*; report files are looked up in *files_dir*.

    Never raises for bad content or a missing file: see :attr:`Catalogue.problems`. Reads a
    regular file only, and at most *max_bytes* of it.
    """
    path, files_dir = os.fspath(path), os.fspath(files_dir)
    loader = _Loader(path, files_dir)
    try:
        data = read_bounded(path, max_bytes)
    except TooLargeError:
        limit = f"dgx_catalogue_max_bytes ({max_bytes:,} bytes)"
        advice = "point dgx_catalogue at the catalogue itself, or raise dgx_catalogue_max_bytes in conf.py"
        loader.problem(Subtype.CATALOGUE_TOO_LARGE, f"the catalogue is larger than {limit}: {advice}", None)
        return loader.done(Catalogue(path, files_dir), readable=False)
    except NotRegularFileError as error:
        reason = f"{error.strerror}: point dgx_catalogue at the YAML file"
        loader.problem(Subtype.MISSING_CATALOGUE, f"cannot read the catalogue: {reason}", None)
        return loader.done(Catalogue(path, files_dir), readable=False)
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
