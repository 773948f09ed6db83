"""Field specs and validators, in the manner of attrs and MyST-Parser's ``config/dc_validators.py``.

This module imports no Sphinx. A :class:`Field` describes one field of an entry: its name, its
Python type, whether it is required, its validator, and the words messages use for a good value.
A validator is called as ``validator(inst, field, value)``: *inst* is the entry being checked
(see :class:`Subject`), *field* the spec, *value* the value read. It returns nothing when the value
is good and raises :class:`InvalidError` with the problem's subtype and message otherwise.
Validators compose: :func:`and_` runs several in turn, :func:`deep_iterable` checks every item.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from . import weburl
from .problems import Subtype


class Subject(Protocol):
    """What messages say of the entry whose field is checked."""

    what: str
    """The kind of entry: ``"report"``."""
    subject: str
    """The entry: ``"report 'cloud-2021'"``, or ``"report"`` when it has no id."""
    owner: str
    """The entry that a url or a file belongs to: the subject, or for a link its working group."""

    def written(self, name: str) -> str | None:
        """A field's value as written, when YAML read it as something other than text (a number, a
        date, true or false); else None."""


Validator = Callable[[Any, "Field", Any], None]


@dataclass(frozen=True)
class Field:
    """The spec of one field of an entry."""

    name: str
    type: type | tuple[type, ...]
    required: bool = False
    validator: Validator | None = None
    what: str = "text"
    """A good value in words, for messages: ``'year' of report 'x' must be a whole number``."""
    as_written: bool = False
    """Read from the text as written where YAML would read a number or a date: ``012345`` stays
    ``"012345"`` (not 5349), ``12:30:00`` stays text (not 45000)."""


class InvalidError(ValueError):
    """A value is refused: the problem's subtype and message.

    A subtype of None refuses the value without a problem of its own (another one says why).
    """

    def __init__(self, subtype: Subtype | None, message: str = "") -> None:
        super().__init__(message)
        self.subtype = subtype
        self.message = message


class NotGivenError(Exception):
    """The value counts as not given (blank text in a field that may be left out): it is dropped."""


SHOWN = 80
"""The most characters of a value a message shows; a longer one is cut in the middle with an ellipsis."""
_OTHER_THAN_TEXT = {bool: "true or false", int: "a number", float: "a number"}
_ORDINARY_SPACE = frozenset("\t\n\r")
_JOINERS = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: needed inside words of Indic and Arabic scripts, and emoji."""
_INVISIBLE = re.compile(
    "[\\s\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*"
)
"""White space, and characters that show nothing: Unicode's default-ignorable code points, the Hangul
fillers and the blank Braille pattern."""
_WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_TAG_BREAK = re.compile(r"[\s,]+")
"""Where a directive's ``:tag:`` filter splits its value (and so where a tag would be split)."""


def shorten(text: str, limit: int = SHOWN) -> str:
    """*text*, or when longer than *limit* characters its start and its end around `` … ``."""
    if len(text) <= limit:
        return text
    end = (limit - 3) // 3
    return f"{text[: limit - 3 - end]} … {text[len(text) - end :]}"


def brief(value: Any, limit: int = SHOWN) -> str:
    """A value in a message: its ``repr`` (control characters escaped), cut with :func:`shorten`."""
    return repr(shorten(value, limit)) if isinstance(value, str) else shorten(repr(value), limit)


def describe(value: Any, written: str | None = None) -> str:
    """A value in words, for messages: ``"the number 42"``, ``"a list"``, ``"nothing"``.

    *written*: the value as written, when YAML read it as a number or a date (named as written).
    """
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {shorten(written) if written is not None else repr(value)}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if written is not None:
        return f"the date {shorten(written)}"
    return type(value).__name__


def _quote_hint(field: Field, value: Any, written: str | None) -> str:
    """For text read by YAML as something else: that it did, and the value in quotes."""
    if written is None or field.type is not str:
        return ""
    shown = shorten(written)
    read_as = _OTHER_THAN_TEXT.get(type(value), "a date")
    fix = f'{field.name}: "{shown}"'
    return f": YAML reads {shown} as {read_as} when it is not in quotes; put it in quotes: {fix}"


def instance_of(kind: type | tuple[type, ...]) -> Validator:
    """A value of *kind* (``true`` and ``false`` are no numbers): else ``dgx.wrong_type``.

    Text that YAML read as a number, a date or true/false is named as written, with the fix: quotes.
    """

    def validator(inst: Subject, field: Field, value: Any) -> None:
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            written = inst.written(field.name)
            raise InvalidError(
                Subtype.WRONG_TYPE,
                f"{field.name!r} of {inst.subject} must be {field.what}, not {describe(value, written)}"
                + _quote_hint(field, value, written),
            )

    return validator


def invisible(text: str) -> bool:
    """Whether *text* shows nothing: only white space and characters without a glyph (U+200B, U+3164...)."""
    return _INVISIBLE.fullmatch(text) is not None


def _code(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; a control character without a name: ``U+001B``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def not_blank(inst: Subject, field: Field, value: str) -> None:
    """Blank text is no value: a required field is empty (``dgx.missing_field``), any other left out.

    Text that shows nothing (only zero-width spaces, Hangul fillers...) is blank too.
    """
    if not invisible(value):
        return
    if not field.required:
        raise NotGivenError
    message = f"{field.name!r} of {inst.subject} is empty"
    seen = value.strip()
    if seen:
        message += f": it holds nothing but invisible characters ({_code(seen[0])}); write the text"
    raise InvalidError(Subtype.MISSING_FIELD, message)


def _control_at(text: str) -> int | None:
    """The index of the first control or format character that is not ordinary white space, or None.

    A zero-width joiner or non-joiner between two visible characters is part of the word.
    """
    if text.isprintable():
        return None
    for index, char in enumerate(text):
        if char in _ORDINARY_SPACE or unicodedata.category(char) not in ("Cc", "Cf"):
            continue
        if char in _JOINERS and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if before.isprintable() and after.isprintable() and not (before + after).isspace():
                continue
        return index
    return None


def printable(inst: Subject, field: Field, value: str) -> None:
    """No control or format character (``\\x1b``, a bidi control such as U+202E): else
    ``dgx.control_character``, naming the character and where it is."""
    index = _control_at(value)
    if index is None:
        return
    start, end = max(index - 20, 0), index + 21
    around = ("…" if start else "") + brief(value[start:end]) + ("…" if end < len(value) else "")
    raise InvalidError(
        Subtype.CONTROL_CHARACTER,
        f"{field.name} of {inst.subject} holds the control character {_code(value[index])} at character "
        f"{index + 1} ({around}): delete it (it may be invisible, pasted with the text, or written as an "
        "escape such as \\x1b in double quotes)",
    )


def and_(*validators: Validator) -> Validator:
    """Every one of *validators*, in turn; the first to refuse the value says why."""

    def validator(inst: Subject, field: Field, value: Any) -> None:
        for each in validators:
            each(inst, field, value)

    return validator


def deep_iterable(member: Validator) -> Validator:
    """Every item of the value passes *member*: else ``dgx.wrong_type``, naming the whole field.

    A problem of another subtype (a control character, a tag of two words) is the member's own.
    """

    def validator(inst: Subject, field: Field, value: Any) -> None:
        for item in value:
            try:
                member(inst, field, item)
            except InvalidError as error:
                if error.subtype not in (Subtype.WRONG_TYPE, Subtype.MISSING_FIELD):
                    raise
                raise InvalidError(
                    Subtype.WRONG_TYPE, f"{field.name!r} of {inst.subject} must be {field.what}"
                ) from error
            except NotGivenError as error:
                raise InvalidError(
                    Subtype.WRONG_TYPE, f"{field.name!r} of {inst.subject} must be {field.what}"
                ) from error

    return validator


def matches(pattern: re.Pattern[str], subtype: Subtype, words: str) -> Validator:
    """The whole value matches *pattern* (described by *words*): else a problem of *subtype*."""

    def validator(inst: Subject, field: Field, value: str) -> None:
        if not pattern.fullmatch(value):
            raise InvalidError(subtype, f"{inst.what} {field.name} {brief(value)} must be {words}")

    return validator


def one_word(inst: Subject, field: Field, value: str) -> None:
    """A tag holds no space or comma, where a ``:tag:`` filter would split it: else ``dgx.bad_tag``."""
    tag = value.strip()
    if _TAG_BREAK.search(tag):
        what = "a comma" if "," in tag else "a space"
        joined = "-".join(filter(None, _TAG_BREAK.split(tag)))
        fix = f"write {brief(joined)}" if joined else "remove it"
        raise InvalidError(
            Subtype.BAD_TAG,
            f"tag {brief(tag)} of {inst.subject} holds {what}, so no :tag: filter can choose it (filters "
            f"split on spaces and commas): tags are single words such as digital-identity; {fix}",
        )


def year_digits(inst: Subject, field: Field, value: str | int) -> None:
    """A year written as a whole number in the digits 0-9 (read as written, not as YAML reads it):
    else ``dgx.year_format``, naming what was written. Its range is :func:`year_between`'s."""
    text = str(value)
    if not _WHOLE_NUMBER.fullmatch(text):
        raise InvalidError(
            Subtype.YEAR_FORMAT,
            f"{field.name} {brief(text)} of {inst.subject} must be written as four digits 0-9, such as 2021",
        )


def year_between(low: int, high: int, subtype: Subtype) -> Validator:
    """A year of four digits from *low* to *high*, both included: else a problem of *subtype*."""

    def validator(inst: Subject, field: Field, value: str | int) -> None:
        text = str(value)
        if not (_FOUR_DIGITS.fullmatch(text) and low <= int(text) <= high):
            raise InvalidError(
                subtype, f"{field.name} {shorten(text)} of {inst.subject} is outside {low}-{high}"
            )

    return validator


def web_address(inst: Subject, field: Field, value: str) -> None:
    """An http or https address whose host is the one browsers go to (:func:`weburl.parse`): else
    ``dgx.bad_url``, saying what is wrong and how to write it."""
    try:
        weburl.parse(value.strip())
    except weburl.UrlError as error:
        raise InvalidError(
            Subtype.BAD_URL, f"{field.name} {weburl.quote(shorten(error.url))} of {inst.owner} {error.reason}"
        ) from None
