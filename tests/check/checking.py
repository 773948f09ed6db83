"""What the checks of the built site share besides fixtures: the browser's settings and helpers, the
npm tools, and the report pages of the site."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from support import REPO, require

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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
# A report's page is reports/<id>.html; on it and on the cards, the download is the file link of the facts
REPORTS_DIR = "reports"
DOWNLOADS = ".dgx-report-card .dgx-meta a.dgx-download"


def node_tool(relative: str) -> Path:
    """A file installed by ``npm ci`` (e.g. ``axe-core/axe.min.js``); fails under CI when missing."""
    path = NODE_MODULES / relative
    require([] if path.exists() else [f"node_modules/{relative} (run `npm ci`)"])
    return path


def report_pages(site: Path) -> list[str]:
    """The reports' own pages of the built site (``reports/<id>.html``), in order of their names."""
    return sorted(f"{REPORTS_DIR}/{path.name}" for path in (site / REPORTS_DIR).glob("*.html"))


def first_report_page(site: Path) -> str:
    """The first report page of the site; the site must have one."""
    found = report_pages(site)
    assert found, f"the site at {site} has no report pages ({REPORTS_DIR}/*.html)"
    return found[0]


@contextmanager
def browsing(browser: Browser, **options: Any) -> Iterator[Page]:
    """A page in a fresh browser context (no stored theme choice), closed afterwards."""
    context = browser.new_context(**options)
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(page: Page, server: str, name: str, wait_until: str = "load") -> None:
    response = page.goto(server + name, wait_until=wait_until)
    assert response is not None, f"no response for {name}"
    assert response.status == 200, f"{name} answered {response.status}"


def wait_for_search(page: Page) -> str:
    """Wait for the search page to finish its search; returns its summary."""
    summary = page.wait_for_selector("#search-results .search-summary", timeout=10_000)
    text = summary.inner_text()
    assert text.startswith("Search finished, found"), text
    return text
