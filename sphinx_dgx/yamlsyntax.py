"""YAML syntax errors in plain words: what is wrong on which line, and what to do.

This module imports no Sphinx. :func:`explain` maps the errors of PyYAML and of libyaml
(their words differ a little) to a line and a message for a content editor: a colon inside an
unquoted value, a tab in the indentation, a quote or bracket never closed (at the line where it
opened), indentation that does not line up, and a few more. Each explainer is one row of
``_EXPLAINERS``; anything else keeps the parser's words behind a readable start.

:func:`compose` builds the node tree only from events checked first: YAML the catalogue never
needs and an attacker can use (anchors and aliases, nesting beyond :data:`MAX_DEPTH`) is refused
before any node is built, with :class:`RefusedError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import yaml
import yaml.composer
import yaml.resolver

from .validators import brief, shorten

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""What PyYAML and libyaml both count as a line break, so that source lines match their marks."""
_KEY_LINE = re.compile(
    r"(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[^\s:#'\"][^:]*?):[ \t]+(?P<value>\S(?:.*\S)?)\s*$"
)
"""A line ``key: value`` (perhaps after ``- ``): the value runs to the end of the line."""
_FIELD_LINE = re.compile(r"(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[\w-]+):(?:\s|$)")
COMMENT_AFTER = re.compile(r"[ \t]+#")
_CLOSERS = {"[": "]", "{": "}"}
_FLOW = {"[": "a list", "{": "a mapping"}
_RESERVED_STARTS = "@`%*&!|>"
"""Characters YAML reads as something other than text at the start of a value."""
_TAB = "the line is indented with a tab: YAML indents with spaces only; replace the tab with spaces"
MAX_DEPTH = 50
"""How deep lists and mappings may nest. The catalogue needs 5 (the top, a list of entries, an entry,
its links, a link); PyYAML's own composer exhausts Python's stack from about 300."""
_ALIAS = "an alias (a copy of a value marked with &), and the catalogue takes no aliases"
_ANCHOR = "an anchor (a mark for copying the value with *), and the catalogue takes no anchors"
_TOO_DEEP = (
    f"lists and mappings nest more than {MAX_DEPTH} deep on this line; the catalogue needs 5 at most (the "
    "top, a list of entries, an entry, its links, a link): remove the brackets [ and { that open lists "
    "or mappings within each other"
)


class RefusedError(Exception):
    """YAML refused before any node is built: an anchor, an alias, or nesting beyond MAX_DEPTH."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Replay(yaml.composer.Composer, yaml.resolver.Resolver):
    """PyYAML's composer (and the resolver both its loaders use) over events each checked before it
    gets them: one at a time, none kept (a catalogue of 2,000 reports has some 100,000)."""

    def __init__(self, events: Iterator[yaml.Event]) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.events = events
        self.next: yaml.Event | None = next(events, None)

    def check_event(self, *choices: type) -> bool:
        return self.next is not None and (not choices or isinstance(self.next, choices))

    def peek_event(self) -> yaml.Event:
        return self.next

    def get_event(self) -> yaml.Event:
        event, self.next = self.next, next(self.events, None)
        return event


def compose(text: str, loader: type) -> yaml.Node | None:
    """The node tree of *text* (None for an empty document), read with *loader*'s parser.

    Each of the parser's events is checked before the composer gets it: :class:`RefusedError` at
    the first anchor, alias or list or mapping nested deeper than :data:`MAX_DEPTH`, so that no
    alias can multiply a value and no nesting can exhaust the stack; ``yaml.YAMLError`` for a
    syntax error.
    """
    try:
        return _Replay(_checked(text, loader)).get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is not None and "nesting depth" in str(getattr(error, "problem", "")):
            raise RefusedError(mark.line + 1, _TOO_DEEP) from None  # libyaml's own limit, scanning ahead
        raise


def _checked(text: str, loader: type) -> Iterator[yaml.Event]:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise RefusedError(*_anchor_or_alias(text, event))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RefusedError(event.start_mark.line + 1, _TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        yield event


def _anchor_or_alias(text: str, event: yaml.Event) -> tuple[int, str]:
    """The line of an anchor or alias, and the fix: quotes for text that starts with & or *."""
    mark = event.start_mark
    lines = source_lines(text)
    line = _KEY_LINE.match(lines[mark.line] if mark.line < len(lines) else "")
    scalar = isinstance(event, (yaml.AliasEvent, yaml.ScalarEvent))  # text, or meant as text
    if scalar and line and line["value"][0] in "&*" and line.start("value") == mark.column:
        key, value = line["key"], line["value"]
        return mark.line + 1, (
            f"the value of {brief(key)} starts with {value[0]}, which YAML reads as "
            f"{_ALIAS if value[0] == '*' else _ANCHOR}: put the whole value in quotes: {_fix(key, value)}"
        )
    if isinstance(event, yaml.AliasEvent):
        return mark.line + 1, (
            f"{brief('*' + event.anchor)} is {_ALIAS}: write the value out in full where it is used"
        )
    return mark.line + 1, (
        f"{brief('&' + event.anchor)} is {_ANCHOR}: remove it, and write out in full each entry it "
        "was meant to copy"
    )


def source_lines(text: str) -> list[str]:
    """The lines of *text* as YAML marks count them (a byte order mark is no column)."""
    return _LINE_BREAK.split(text.removeprefix("\ufeff"))


def quoted(value: str) -> str:
    """*value* in YAML quotes: double quotes, or single quotes when it holds ``"`` or ``\\``."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _fix(key: str, value: str) -> str:
    """``key: "value"``, each cut to a length a message can show."""
    return f"{shorten(key)}: {quoted(shorten(value))}"


def _indentation(text: str, blanks: str = " ") -> str:
    return text[: len(text) - len(text.lstrip(blanks))]


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _tokens(s: _Syntax) -> Iterator[yaml.Token]:
    """The tokens of the text, up to its first syntax error."""
    try:
        yield from yaml.scan(s.text, Loader=s.loader)
    except yaml.YAMLError:
        return


@dataclass(frozen=True)
class _Syntax:
    """A YAML syntax error and the text it was met in (lines and columns count from 0)."""

    text: str
    lines: list[str]
    words: str
    """PyYAML's own words: the context and the problem."""
    line: int
    column: int
    opened: yaml.Mark | None
    """Where the thing being read began (PyYAML's context mark), when it says."""
    keys: frozenset[str]
    """The field names of the catalogue: a line starting with one is a field, not a value."""
    loader: type
    """The YAML loader class that read the text (libyaml's or PyYAML's own)."""

    def at(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""


_Explained = tuple[int, str] | None
"""A line (from 1) and the plain words, or None when an explainer does not recognise the error."""


def _inside(quote: str) -> str:
    """How a quote is written inside a value in the same quotes."""
    if quote == "'":
        return "a ' inside a value in single quotes must be doubled: ''"
    return 'a " inside a value in double quotes must be escaped: \\"'


def _never_closed(line: int, quote: str) -> tuple[int, str]:
    return line + 1, (
        f"the quote {quote} opened on this line is never closed: add the closing {quote} at the end "
        f"of the value ({_inside(quote)})"
    )


def _runaway_quote(s: _Syntax) -> _Explained:
    """A quote never closed that runs on over lines of fields, up to the next quote further down."""
    for token in _tokens(s):
        if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
            first, last = token.start_mark.line, token.end_mark.line
            for number in range(first + 1, last + 1):
                field = _FIELD_LINE.match(s.at(number))
                if field and field["key"] in s.keys:
                    return _never_closed(first, token.style)
    return None


def _open_quote(s: _Syntax) -> _Explained:
    """A quote that runs to the end of the file: the line where it opened."""
    if s.opened is None:
        return None
    text = s.at(s.opened.line)
    quote = text[s.opened.column : s.opened.column + 1]
    if quote not in ("'", '"'):
        found = re.search("['\"]", text)
        quote = found[0] if found else '"'
    return _never_closed(s.opened.line, quote)


def _open_bracket(s: _Syntax) -> _Explained:
    """A ``[`` or ``{`` never closed: the line where it opened."""
    opened: list[yaml.Mark] = []
    for token in _tokens(s):
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            opened.append(token.start_mark)
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
            opened.pop()
    mark = opened[-1] if opened else s.opened
    bracket = s.at(mark.line)[mark.column : mark.column + 1] if mark else ""
    if bracket not in _CLOSERS:
        return None
    return mark.line + 1, (
        f"the {bracket} opened on this line is never closed: add the closing {_CLOSERS[bracket]} after "
        f"the last item (or, if the value is text that starts with {bracket}, put it in quotes)"
    )


def _tab(s: _Syntax) -> _Explained:
    """A tab in the indentation of the line or of one of the next two (libyaml looks ahead), or within it."""
    for number in range(s.line, s.line + 3):
        text = s.at(number)
        if "\t" in _indentation(text, " \t"):
            return number + 1, _TAB
    if s.at(s.line)[s.column : s.column + 1] == "\t":
        return s.line + 1, "the line has a tab where YAML does not allow one: replace the tab with a space"
    return None


def _colon(s: _Syntax) -> _Explained:
    """``key: a: b``, or a field name alone at the start of a line that is indented too far."""
    text = s.at(s.line)
    line = _KEY_LINE.match(text)
    if line and line.end("key") < s.column:
        key, value = line["key"], line["value"]
        return s.line + 1, (
            f"the value of {brief(key)} has a colon followed by a space, which YAML reads as the start of "
            f"another field; put the whole value in quotes: {_fix(key, value)}"
        )
    field = _FIELD_LINE.match(text)
    if field and field.end("key") == s.column and field["key"] in s.keys:
        return _misaligned(s)
    return s.line + 1, (
        "this line has a colon followed by a space inside a value that is not in quotes, which YAML "
        "reads as the start of another field; put the whole value in quotes"
    )


def _misaligned(s: _Syntax) -> _Explained:
    """A line whose indentation lines up with none above: name the fields it could line up with."""
    indent = len(_indentation(s.at(s.line)))
    above = (_FIELD_LINE.match(s.at(number)) for number in range(s.line - 1, -1, -1))
    anchors: dict[int, str] = {}
    opened = _FIELD_LINE.match(s.at(s.opened.line)) if s.opened else None
    for match in (next(filter(None, above), None), opened):
        if match and match.end("dash") != indent:
            anchors.setdefault(match.end("dash"), match["key"])
    where = ", ".join(f"{brief(key)} is at {_spaces(column)}" for column, key in anchors.items())
    return s.line + 1, (
        f"this line is indented by {_spaces(indent)}, which does not match the lines above"
        f"{f' ({where})' if where else ''}: the fields of an entry line up under its first one"
    )


def _after_close(s: _Syntax) -> _Explained:
    """Text after the closing quote or bracket of a value that starts with one."""
    text = s.at(s.line)
    line = _KEY_LINE.match(text)
    closing, rest = text[: s.column].rstrip()[-1:], text[s.column :].rstrip()
    if not line or not closing or closing not in "'\"]}" or rest[:1] in ("]", "}", ","):
        return None
    key, value = line["key"], line["value"]
    if value[0] in _FLOW and _CLOSERS[value[0]] == closing:
        return s.line + 1, (
            f"the value of {brief(key)} starts with {value[0]}, which YAML reads as the start of "
            f"{_FLOW[value[0]]}; put the whole value in quotes: {_fix(key, value)}"
        )
    if value[0] != closing:
        return None
    if len(value) > 1 and value.endswith(closing):  # a quote inside the quotes closes them early
        return s.line + 1, (
            f"the value of {brief(key)} is in quotes that close early, at the {closing} before "
            f"{brief(rest)}: {_inside(closing)}; or use the other quotes: {_fix(key, value[1:-1])}"
        )
    return s.line + 1, (
        f"the value of {brief(key)} is in quotes that close at the {closing} before {brief(rest)}, and "
        f"YAML allows nothing after them; put the whole value in quotes: {_fix(key, value)}"
    )


def _unexpected(s: _Syntax) -> _Explained:
    """Something YAML did not expect: a line out of line, or text after a closing quote or bracket."""
    if s.column == len(_indentation(s.at(s.line))):
        return _misaligned(s)
    return _after_close(s)


def _reserved_start(s: _Syntax) -> _Explained:
    """A value that starts with a character YAML reads as something else (``@``, ``*``, a backtick)."""
    line = _KEY_LINE.match(s.at(s.line))
    if not line or line["value"][0] not in _RESERVED_STARTS:
        return None
    key, value = line["key"], line["value"]
    return s.line + 1, (
        f"the value of {brief(key)} starts with {value[0]}, which YAML does not read as text there; "
        f"put the whole value in quotes: {_fix(key, value)}"
    )


def _second_document(s: _Syntax) -> _Explained:
    return s.line + 1, "a line '---' starts a second YAML document: the catalogue is one; remove the line"


_EXPLAINERS: tuple[tuple[re.Pattern[str], Callable[[_Syntax], _Explained]], ...] = (
    # (PyYAML's words, pure Python or libyaml, matched in order; the first explainer that answers wins)
    (re.compile(""), _runaway_quote),
    (re.compile(r"tab|cannot start any token"), _tab),
    (re.compile(r"mapping values are not allowed"), _colon),
    (re.compile(r"quoted scalar.*end of stream"), _open_quote),
    (re.compile(r"cannot start any token|alias|anchor|block scalar|tag"), _reserved_start),
    (re.compile(r"block (mapping|collection)"), _unexpected),
    (re.compile(r"flow (node|sequence|mapping)"), _open_bracket),
    (re.compile(r"another document"), _second_document),
)


def explain(error: yaml.YAMLError, text: str, keys: frozenset[str], loader: type) -> tuple[int, str]:
    """The line (from 1) of a YAML syntax error, and what is wrong and what to do in plain words."""
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return (
            line,
            f"character {chr(error.character)!r} is not allowed in YAML: delete it (it may be invisible)",
        )
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    parts = (getattr(error, "context", None), getattr(error, "problem", None))
    words = shorten(", ".join(filter(None, parts)) or str(error).splitlines()[0], 200)
    if problem_mark is not None:
        syntax = _Syntax(
            text,
            source_lines(text),
            words,
            problem_mark.line,
            problem_mark.column,
            context_mark,
            keys,
            loader,
        )
        for pattern, explainer in _EXPLAINERS:
            found = explainer(syntax) if pattern.search(words) else None
            if found:
                return found
    mark = problem_mark or context_mark
    if context_mark and problem_mark and problem_mark.index >= len(text.rstrip()):
        mark = context_mark  # "unexpected end of stream": point where the open thing began
    line = mark.line + 1 if mark else 1
    return (
        line,
        f"check the quotes, colons and indentation of this line and the one above (YAML says: {words})",
    )
