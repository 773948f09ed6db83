"""Shared fixtures: Sphinx's own test kit, with the roots under tests/roots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
REPO = TESTS.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


def warnings_of(warning) -> list[str]:
    """The warning lines of a build, colour codes removed."""
    return [line for line in ANSI.sub("", warning.getvalue()).splitlines() if line.strip()]
