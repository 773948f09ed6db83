"""What the checks of the built site share besides fixtures: the browser's settings and the npm tools."""

from __future__ import annotations

import os
from pathlib import Path

from support import REPO, require

CHROMIUM = os.environ.get("DGX_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = REPO / "node_modules"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def node_tool(relative: str) -> Path:
    """A file installed by ``npm ci`` (e.g. ``axe-core/axe.min.js``); fails under CI when missing."""
    path = NODE_MODULES / relative
    require([] if path.exists() else [f"node_modules/{relative} (run `npm ci`)"])
    return path
