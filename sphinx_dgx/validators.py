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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from .problems import Subtype


class Subject(Protocol):
    """What messages say of the entry whose field is checked."""

    what: str
    """The kind of entry: ``"report"``."""
    subject: str
    """The entry: ``"report 'cloud-2021'"``, or ``"report"`` when it has no id."""
    owner: str
    """The entry that a url or a file belongs to: the subject, or for a link its working group."""


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


def describe(value: Any) -> str:
    """A value in words, for messages: ``"the number 42"``, ``"a list"``, ``"nothing"``."""
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


def instance_of(kind: type | tuple[type, ...]) -> Validator:
    """A value of *kind* (``true`` and ``false`` are no numbers): else ``dgx.wrong_type``."""

    def validator(inst: Subject, field: Field, value: Any) -> None:
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise InvalidError(
                Subtype.WRONG_TYPE,
                f"{field.name!r} of {inst.subject} must be {field.what}, not {describe(value)}",
            )

    return validator


def not_blank(inst: Subject, field: Field, value: str) -> None:
    """Blank text is no value: a required field is empty (``dgx.missing_field``), any other left out."""
    if not value.strip():
        if field.required:
            raise InvalidError(Subtype.MISSING_FIELD, f"{field.name!r} of {inst.subject} is empty")
        raise NotGivenError


def and_(*validators: Validator) -> Validator:
    """Every one of *validators*, in turn; the first to refuse the value says why."""

    def validator(inst: Subject, field: Field, value: Any) -> None:
        for each in validators:
            each(inst, field, value)

    return validator


def deep_iterable(member: Validator) -> Validator:
    """Every item of the value passes *member*: else ``dgx.wrong_type``, naming the whole field."""

    def validator(inst: Subject, field: Field, value: Any) -> None:
        for item in value:
            try:
                member(inst, field, item)
            except (InvalidError, NotGivenError) as error:
                raise InvalidError(
                    Subtype.WRONG_TYPE, f"{field.name!r} of {inst.subject} must be {field.what}"
                ) from error

    return validator


def matches(pattern: re.Pattern[str], subtype: Subtype, words: str) -> Validator:
    """The whole value matches *pattern* (described by *words*): else a problem of *subtype*."""

    def validator(inst: Subject, field: Field, value: str) -> None:
        if not pattern.fullmatch(value):
            raise InvalidError(subtype, f"{inst.what} {field.name} {value!r} must be {words}")

    return validator


def in_range(low: int, high: int, subtype: Subtype) -> Validator:
    """A number from *low* to *high*, both included: else a problem of *subtype*."""

    def validator(inst: Subject, field: Field, value: int) -> None:
        if not low <= value <= high:
            raise InvalidError(subtype, f"{field.name} {value} of {inst.subject} is outside {low}-{high}")

    return validator


def web_address(inst: Subject, field: Field, value: str) -> None:
    """An absolute http or https address: else ``dgx.bad_url``."""
    try:
        parts = urlsplit(value.strip())
        good = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:  # a bracket that opens no IPv6 address
        good = False
    if not good:
        raise InvalidError(
            Subtype.BAD_URL,
            f"{field.name} {value!r} of {inst.owner} must be an absolute address starting with "
            "https:// or http://",
        )
