"""Every generated page is valid HTML, as the Nu Html Checker (vnu) sees it.

vnu starts a JVM, which is slow, so it runs once for the module: over every page of the site
and, in the same run, over a page broken on purpose (the canary), which proves that the run,
the parsing of its JSON and the assertions below can fail. The full JSON goes to
``artefacts/vnu.json`` and a summary (every warning, the counts of info messages) to
``artefacts/vnu-summary.txt``; the summary is also printed (``pytest -rA`` or ``-s`` shows it).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from checking import node_tool
from support import require_tools

VNU_JAR = "vnu-jar/build/dist/vnu.jar"
VNU_TIMEOUT = 600  # seconds, for the whole run


# The canary: one error of each kind, on known lines, in a file whose name needs percent-encoding.
CANARY_NAME = "broken on purpose.html"
CANARY = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body>
<p class="caption" role="heading"><span class="caption-text">Contents</span></p>
<p id="twice">one</p><p id="twice">two</p>
<img src="cover.png">
<div><li>a list item outside a list</li></div>
</body>
</html>
"""
CANARY_ERRORS = {5: "aria-level", 6: "Duplicate ID", 7: "alt", 8: "li"}


@dataclass
class VnuRun:
    """One run of vnu: what it says it checked, and its messages."""

    checked: list[str]  # the files as passed, from --verbose
    messages: list[dict]
    raw: str

    def of(self, path: Path) -> list[dict]:
        """The messages about one file."""
        return [m for m in self.messages if message_file(m) == path.resolve()]


def message_file(message: dict) -> Path | None:
    """The file a message is about (vnu gives a percent-encoded ``file:`` URL), or None."""
    url = message.get("url")
    if not url:
        return None
    return Path(unquote(urlparse(url).path)).resolve()


def errors(messages: list[dict]) -> list[dict]:
    """The messages that make a page invalid (and those that say a page could not be checked)."""
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def warnings(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]


def describe(message: dict, site: Path | None = None) -> str:
    """``page:line:column: type: message`` with the extract, for a failure or the summary."""
    path = message_file(message)
    where = str(path) if path else "(no file)"
    if path and site:
        try:
            where = path.relative_to(site.resolve()).as_posix()
        except ValueError:
            pass
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", message.get("lastColumn", "?"))
    kind = message.get("subType") or message.get("type")
    extract = " ".join(message.get("extract", "").split())
    text = f"{where}:{line}:{column}: {kind}: {message.get('message', '')}"
    return f"{text}\n    {extract}" if extract else text


def run_vnu(jar: Path, files: list[Path]) -> VnuRun:
    """Check *files* in one run of vnu; its JSON goes to stderr, the --verbose list to stdout."""
    command = ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", "--verbose"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=VNU_TIMEOUT, check=False
    )
    assert result.returncode == 0, f"vnu failed ({result.returncode}):\n{result.stderr[-3000:]}"
    start = result.stderr.find('{"')  # the JVM may print notes before the JSON
    assert start >= 0, f"vnu wrote no JSON:\n{result.stderr[-3000:]}"
    report = json.loads(result.stderr[start:])
    checked = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    return VnuRun(checked=checked, messages=report["messages"], raw=result.stderr[start:])


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("vnu-canary") / CANARY_NAME
    path.write_text(CANARY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def unreadable(canary) -> Path:
    """A page that is not there: vnu only warns about it, so --verbose is what tells."""
    return canary.with_name("never written.html")


@pytest.fixture(scope="module")
def vnu(site, pages, canary, unreadable, artefacts) -> VnuRun:
    """vnu over every page of the site and the two test files, once; the JSON goes to the artefacts."""
    require_tools("java")
    jar = node_tool(VNU_JAR)
    run = run_vnu(jar, [site / page for page in pages] + [canary, unreadable])
    (artefacts / "vnu.json").write_text(run.raw, encoding="utf-8")
    return run


@pytest.fixture(scope="module")
def site_messages(vnu, canary, unreadable) -> list[dict]:
    tests = {canary.resolve(), unreadable.resolve()}
    return [m for m in vnu.messages if message_file(m) not in tests]


# -- The harness can fail -----------------------------------------------------------------


def test_vnu_reports_the_errors_of_a_page_broken_on_purpose(vnu, canary):
    found = errors(vnu.of(canary))
    by_line = {m.get("lastLine"): m["message"] for m in found}
    for line, words in CANARY_ERRORS.items():
        assert words in by_line.get(line, ""), f"vnu missed line {line} ({words}):\n{json.dumps(found)}"
    assert str(canary) in vnu.checked


def test_a_page_vnu_could_not_read_counts_as_unchecked(vnu, unreadable):
    """vnu reports a missing file only as a warning: the list of checked pages is what tells."""
    assert str(unreadable) not in vnu.checked
    assert any("not found" in m.get("message", "").lower() for m in vnu.of(unreadable))


# -- The site ------------------------------------------------------------------------------


def test_vnu_checked_every_page(vnu, site_messages, site, pages):
    assert len(pages) >= 5, pages
    expected = {str(site / page) for page in pages}
    unchecked = sorted(expected - set(vnu.checked))
    assert not unchecked, f"vnu did not check {len(unchecked)} of {len(pages)} pages: {unchecked}"
    missing = [m for m in site_messages if "not found" in m.get("message", "").lower()]
    assert not missing, "\n".join(describe(m, site) for m in missing)


def test_no_page_could_not_be_checked(site_messages, site):
    failed = [m for m in site_messages if m.get("type") == "non-document-error"]
    assert not failed, "\n".join(describe(m, site) for m in failed)


def test_pages_have_no_html_errors(site_messages, site):
    found = errors(site_messages)
    assert not found, f"{len(found)} HTML errors:\n" + "\n".join(describe(m, site) for m in found)


def test_warnings_are_summarised(site_messages, site, pages, artefacts):
    """Warnings do not fail the check; they are printed and kept in vnu-summary.txt."""
    found = warnings(site_messages)
    info = [m for m in site_messages if m.get("type") == "info" and not m.get("subType")]
    counts = Counter(m.get("type") for m in errors(site_messages))
    lines = [
        f"vnu: {len(pages)} pages checked, {counts['error']} errors, "
        f"{counts['non-document-error']} non-document errors, {len(found)} warnings, {len(info)} info",
        "",
        "Warnings by message:",
        *(f"  {n} x {text}" for text, n in Counter(m["message"] for m in found).most_common()),
        "",
        "Warnings:",
        *(describe(m, site) for m in found),
        "",
        "Info messages by message:",
        *(f"  {n} x {text}" for text, n in Counter(m["message"] for m in info).most_common()),
    ]
    summary = "\n".join(lines) + "\n"
    (artefacts / "vnu-summary.txt").write_text(summary, encoding="utf-8")
    print(summary)
    assert (artefacts / "vnu.json").is_file()
