"""The built site in Chromium: axe-core in light and dark mode on every page (the reports' own
pages too), the 2021 page's screenshots, its downloads and the report pages its card titles open,
keyboard focus and accessible names, and no console errors or remote requests.

Each test opens its own browser context per page and closes it after. Axe results and the
screenshots are written to the artefacts folder.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest
from PIL import Image, ImageStat

from checking import DOWNLOADS, REPORTS_DIR, browsing, node_tool, report_pages, visit, wait_for_search
from support import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Page

PAGE_2021 = "working-groups/2021.html"
TITLES = ".dgx-report-card .dgx-heading a"
REPORTS_ON_2021 = 3
MODES = ["light", "dark"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_TABS = 200
LOCAL_SCHEMES = ("data:", "about:", "blob:")
SEARCH = "search.html?q=cloud"


# -- Helpers -------------------------------------------------------------------


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` as four numbers."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    assert len(numbers) in (3, 4), f"not an rgb() colour: {css!r}"
    return (*numbers[:3], numbers[3] if len(numbers) == 4 else 1.0)


def luminance(css: str) -> float:
    """WCAG relative luminance of an opaque CSS colour."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = parse_colour(css)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_colour_scheme(page: Page, mode: str) -> None:
    """The page follows the context's colour scheme: furo's "auto" theme and the body background."""
    state = page.evaluate(
        """() => ({
            theme: document.body.dataset.theme,
            prefersDark: matchMedia("(prefers-color-scheme: dark)").matches,
            background: getComputedStyle(document.body).backgroundColor,
        })"""
    )
    assert state["theme"] == "auto", f"furo's theme is {state['theme']!r}, not the fresh context's 'auto'"
    assert state["prefersDark"] is (mode == "dark")
    shade = luminance(state["background"])
    if mode == "dark":
        assert shade < 0.05, f"dark mode, but the body background is {state['background']}"
    else:
        assert shade > 0.9, f"light mode, but the body background is {state['background']}"


def slug(name: str) -> str:
    return name.removesuffix(".html").replace("/", "-")


# -- 1. axe-core on every page, light and dark -------------------------------------


def run_axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )


def describe(where: str, violation: dict[str, Any], nodes: list[dict[str, Any]]) -> str:
    targets = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:3])
    return (
        f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
        f" - {len(nodes)} element(s), e.g. {targets}"
    )


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_wcag21_aa_violations_on_any_page(browser, server, site, pages, artefacts, mode):
    reports = report_pages(site)
    assert reports and set(reports) <= set(pages), f"the report pages {reports} are not all checked"
    found: list[str] = []
    for name in pages:
        with browsing(browser, color_scheme=mode) as page:
            visit(page, server, name)
            check_colour_scheme(page, mode)
            results = run_axe(page)
            (artefacts / f"axe-{slug(name)}-{mode}.json").write_text(json.dumps(results, indent=2))
            assert len(results["passes"]) >= 10, f"axe checked too little on {name}: {results['passes']}"
            found += [describe(f"{name} [{mode}]", v, v["nodes"]) for v in results["violations"]]
    assert not found, f"axe found {len(found)} violation(s):\n" + "\n".join(found)


# -- 2. Screenshots of the 2021 page -------------------------------------------------


def load_visible_images(page: Page) -> None:
    """Scroll each shown image into view so that lazy ones load; all must load."""
    page.evaluate(
        "() => { for (const img of document.images) if (img.getClientRects().length) img.scrollIntoView(); }"
    )
    page.wait_for_function(
        "() => [...document.images].every(img => !img.getClientRects().length || img.complete)"
    )
    broken = page.evaluate(
        """() => [...document.images]
            .filter(img => img.getClientRects().length && !img.naturalWidth)
            .map(img => img.src)"""
    )
    assert not broken, f"images that did not load: {broken}"
    page.evaluate("() => window.scrollTo(0, 0)")


@pytest.mark.parametrize(("width", "mode"), [(375, "light"), (1280, "light"), (1280, "dark")])
def test_2021_page_screenshots(browser, server, artefacts, width, mode):
    path = artefacts / f"2021-{width}-{mode}.png"
    path.unlink(missing_ok=True)
    with browsing(browser, color_scheme=mode, viewport={"width": width, "height": 800}) as page:
        visit(page, server, PAGE_2021)
        check_colour_scheme(page, mode)
        load_visible_images(page)
        assert page.locator(".dgx-report-card img.dgx-cover").count() == REPORTS_ON_2021
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, f"the page scrolls sideways at {width} px: {overflow} px wide"
        page.screenshot(path=str(path), full_page=True)

    assert path.is_file()
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width == width
        assert image.height > 800, f"full page is only {image.height} px high"
        grey = image.convert("L")
        spread = ImageStat.Stat(grey).stddev[0]
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        mean = ImageStat.Stat(grey).mean[0]
    assert spread > 10, f"the screenshot is nearly blank (grey levels vary by {spread:.1f})"
    assert colours is not None and len(colours) > 100, "the screenshot has hardly any colours"
    if mode == "dark":
        assert mean < 80, f"a dark page should be mostly dark (mean grey {mean:.0f})"
    else:
        assert mean > 180, f"a light page should be mostly light (mean grey {mean:.0f})"


# -- 3. Downloads ------------------------------------------------------------------


def test_every_download_link_fetches_the_report_file(browser, server):
    with browsing(browser) as page:
        visit(page, server, PAGE_2021)
        hrefs = page.locator(DOWNLOADS).evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == REPORTS_ON_2021
        assert len(set(hrefs)) == REPORTS_ON_2021, f"two cards download the same file: {hrefs}"
        for href in hrefs:
            assert href.startswith(server + "files/"), href
            name = unquote(href.removeprefix(server + "files/"))
            source = REPO / "files" / name
            assert source.is_file(), f"{href} is not a file of files/"
            response = page.request.get(href)
            assert response.status == 200, f"{href} answered {response.status}"
            assert response.headers["content-type"] == "application/pdf"
            assert response.body() == source.read_bytes(), f"{href} differs from files/{name}"


CARD_LINKS = """([title, download]) => [...document.querySelectorAll(".dgx-report-card")].map(card => [
    card.querySelector(title)?.href ?? null, card.querySelector(download)?.href ?? null,
])"""


def test_card_titles_open_the_reports_pages_which_download_the_same_file(browser, server):
    with browsing(browser) as page:
        visit(page, server, PAGE_2021)
        cards = page.evaluate(CARD_LINKS, [TITLES, DOWNLOADS])
        assert len(cards) == REPORTS_ON_2021
        assert len({title for title, _ in cards}) == REPORTS_ON_2021, f"two cards open the same page: {cards}"
        for title, download in cards:
            assert title and re.fullmatch(re.escape(f"{server}{REPORTS_DIR}/") + r"[^/?#]+\.html", title), (
                f"a card's title should open the report's page, not {title}"
            )
            assert download and download.startswith(server + "files/"), download
            visit(page, server, title.removeprefix(server))
            here = page.evaluate(CARD_LINKS, [TITLES, DOWNLOADS])
            assert here == [[None, download]], f"{title}: its card should download {download}: {here}"
            assert page.locator("section#page-1").count() == 1, f"{title} has no text of its first page"


# -- 4. Keyboard -----------------------------------------------------------------------

FOCUSED = """selector => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    let behind = el.parentElement, background = "rgba(0, 0, 0, 0)";
    while (behind) {
        background = getComputedStyle(behind).backgroundColor;
        if (!/rgba\\(.*, 0\\)$/.test(background) && background !== "transparent") break;
        behind = behind.parentElement;
    }
    return {
        href: el.href || null,
        download: el.matches(selector),
        focusVisible: el.matches(":focus-visible"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        outlineColor: style.outlineColor,
        boxShadow: style.boxShadow,
        background: background,
    };
}"""


@pytest.mark.parametrize("mode", MODES)
def test_tab_reaches_every_download_link_with_a_visible_focus_indicator(browser, server, mode):
    with browsing(browser, color_scheme=mode) as page:
        visit(page, server, PAGE_2021)
        expected = page.locator(DOWNLOADS).evaluate_all("links => links.map(a => a.href)")
        assert len(expected) == REPORTS_ON_2021
        reached: dict[str, dict[str, Any]] = {}
        presses = 0
        while len(reached) < len(expected) and presses < MAX_TABS:
            page.keyboard.press("Tab")
            presses += 1
            focused = page.evaluate(FOCUSED, DOWNLOADS)
            if focused and focused["download"]:
                reached.setdefault(focused["href"], focused)
    missing = sorted(set(expected) - set(reached))
    assert not missing, f"{MAX_TABS} presses of Tab never reached {missing}"
    for href, focus in reached.items():
        assert focus["focusVisible"], f"{href}: focused by Tab but not :focus-visible"
        outlined = focus["outlineStyle"] not in ("none", "hidden") and focus["outlineWidth"] >= 2
        shadowed = focus["boxShadow"] != "none"
        assert outlined or shadowed, f"{href}: no visible focus indicator: {focus}"
        if outlined:
            ratio = contrast(focus["outlineColor"], focus["background"])
            assert ratio >= 3, (
                f"{href}: focus outline {focus['outlineColor']} on {focus['background']} has contrast "
                f"{ratio:.2f}:1, WCAG 1.4.11 asks 3:1"
            )


# -- 5. Console errors and remote requests ----------------------------------------------------


def test_no_console_errors_and_no_remote_requests_on_any_page(browser, server, pages):
    problems: list[str] = []
    visited = [*pages, SEARCH]  # the search page also runs a search
    for name in visited:
        with browsing(browser) as page:
            errors: list[str] = []
            remote: list[str] = []

            def on_console(message: Any, errors: list[str] = errors) -> None:
                # Chromium's own request for /favicon.ico (made once per browser, so it would fail
                # whichever test comes first) is left to test_every_page_names_an_icon
                if message.type == "error" and message.location.get("url") != server + "favicon.ico":
                    errors.append(f"console: {message.text} ({message.location.get('url')})")

            page.on("console", on_console)
            page.on("pageerror", lambda error, errors=errors: errors.append(f"uncaught: {error}"))
            page.on(
                "request",
                lambda request, remote=remote: (
                    None if request.url.startswith((server, *LOCAL_SCHEMES)) else remote.append(request.url)
                ),
            )
            visit(page, server, name, wait_until="networkidle")
            if name == SEARCH:
                wait_for_search(page)
            problems += [f"{name}: {error}" for error in errors]
            problems += [f"{name}: remote request {url}" for url in remote]
    assert len(visited) == len(pages) + 1 >= 6
    assert not problems, "\n".join(problems)


def test_every_page_names_an_icon(browser, server, pages):
    for name in pages:
        with browsing(browser) as page:
            visit(page, server, name)
            icons = page.locator('link[rel~="icon"]').evaluate_all("links => links.map(l => l.href)")
            assert icons, f"{name} names no icon"
            for href in icons:
                assert page.request.get(href).status == 200, f"{name}: icon {href} is not served"


# -- 6. Accessible names of the download links ----------------------------------------------------


def chromium_names(page: Page, selector: str) -> list[str]:
    """The accessible names Chromium computes for the elements matching *selector* (via CDP)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        names = []
        for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
            tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})
            node = next(n for n in tree["nodes"] if not n.get("ignored"))
            assert node["role"]["value"] == "link", node
            names.append(" ".join(node["name"]["value"].split()))
        return names
    finally:
        cdp.detach()


def test_download_links_are_named_for_what_they_download(browser, server):
    with browsing(browser) as page:
        visit(page, server, PAGE_2021)
        names = chromium_names(page, DOWNLOADS)
        shown = page.locator(DOWNLOADS).evaluate_all(
            """links => links.map(a => {
                const copy = a.cloneNode(true);
                copy.querySelectorAll(".dgx-visually-hidden").forEach(hidden => hidden.remove());
                return copy.textContent.trim();
            })"""
        )
        assert len(names) == len(shown) == REPORTS_ON_2021
        for name, text in zip(names, shown, strict=True):
            assert name.startswith("Download "), name
            assert "PDF" in name and "pages" in name, name
            assert re.search(r"\b\d+ pages?$", name), f"the name should end with the page count: {name!r}"
            assert text and text in name, f"the visible title {text!r} is not in the name {name!r}"
            # Playwright finds the same link by that name
            assert page.get_by_role("link", name=name, exact=True).count() == 1, name
