"""One way to warn: ``type="dgx"``, a documented subtype, and always a location."""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

from .problems import Problem, Subtype

WARNING_TYPE = "dgx"
logger = logging.getLogger("sphinx_dgx")


def warn(subtype: Subtype, message: str, location: Any) -> None:
    """Log a ``dgx.<subtype>`` warning at *location* (a node, ``(docname, line)`` or ``"file:line"``)."""
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location)


def warn_problem(problem: Problem) -> None:
    """Log a catalogue problem at its ``catalogue.yaml:LINE`` location."""
    warn(problem.subtype, problem.message, problem.location)
