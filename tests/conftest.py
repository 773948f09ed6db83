"""Shared fixtures: Sphinx's own test kit, with the roots under tests/roots/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from support import IN_CI, REPO, TESTS, require, require_tools  # noqa: F401 - shared with the test modules

pytest_plugins = ["sphinx.testing.fixtures"]

# The checks of the built site run under `nox -s check`, which builds it and sets DGX_SITE.
collect_ignore = [] if os.environ.get("DGX_SITE") else ["check"]

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


@pytest.fixture
def built(app):
    """The test root's app, built."""
    app.build()
    return app


def visible(element) -> str:
    """The text a sighted reader sees: without the notes for screen readers, white space folded."""
    from bs4 import BeautifulSoup

    copy = BeautifulSoup(str(element), "html.parser")
    for hidden in copy.select(".dgx-visually-hidden"):
        hidden.decompose()
    return re.sub(r"\s+", " ", copy.get_text()).strip()


def warnings_of(warning) -> list[str]:
    """The warning lines of a build, colour codes removed."""
    return [line for line in ANSI.sub("", warning.getvalue()).splitlines() if line.strip()]
