"""The built site, checked the way a visitor meets it: served on localhost, in a real browser.

These tests run under ``nox -s check``, which builds the site afresh and points ``DGX_SITE``
at it. Artefacts (screenshots, reports) go to ``DGX_ARTEFACTS``.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from checking import CHROMIUM, CHROMIUM_ARGS
from support import REPO, require_tools


@pytest.fixture(scope="session")
def site() -> Path:
    """The folder of the built HTML site."""
    folder = Path(os.environ.get("DGX_SITE", REPO / "docs" / "_build" / "check" / "html"))
    if not (folder / "index.html").is_file():
        pytest.fail(f"no built site at {folder}: run `nox -s check`, which builds it")
    return folder


@pytest.fixture(scope="session")
def artefacts() -> Path:
    folder = Path(os.environ.get("DGX_ARTEFACTS", REPO / "docs" / "_build" / "check" / "artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    """Every generated HTML page, as a path relative to the site root (``index.html``, ...)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site) -> Iterator[str]:
    """The site served on localhost; yields its base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    require_tools(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
