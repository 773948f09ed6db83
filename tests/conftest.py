"""Shared fixtures: Sphinx's own test kit, with the roots under tests/roots/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
REPO = TESTS.parent
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


IN_CI = bool(os.environ.get("CI"))


def require_tools(*tools: str) -> None:
    """Skip when a system tool is missing on a developer's machine; under CI=true, fail instead."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (see the README for the packages to install)"
    if IN_CI:
        pytest.fail(f"CI is set and this test {message}")
    pytest.skip(message)
