"""What every test module may need, without fixtures: paths, and the rule for missing tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
IN_CI = bool(os.environ.get("CI"))


def require_tools(*tools: str) -> None:
    """Skip when a system tool is missing on a developer's machine; under CI=true, fail instead."""
    require([tool for tool in tools if shutil.which(tool) is None])


def require(missing: list[str]) -> None:
    """Skip (fail under CI=true) when anything is *missing*; names what, and where to get it."""
    if not missing:
        return
    message = f"needs {', '.join(missing)} (see the README for what to install)"
    if IN_CI:
        pytest.fail(f"CI is set and this test {message}")
    pytest.skip(message)
