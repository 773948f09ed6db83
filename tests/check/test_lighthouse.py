"""Lighthouse on the 2021 page and on a report's own page: accessibility, best practices and SEO
score at least 95 each, and on the report page accessibility and SEO score 100.

The report page is the first ``reports/*.html`` of the built site. One Lighthouse run per page
(Lighthouse's default mobile emulation, the way search engines and most visitors meet the page)
serves every test of that page; its JSON and HTML reports are kept in the artefacts folder as
``lighthouse-<page>.report.json`` and ``.report.html`` (``lighthouse-2021``,
``lighthouse-reports-<id>``). Performance is only required to be measured: its score depends on
the machine running it.

Chromium must reach nothing but the site on localhost: every host name other than
127.0.0.1 fails to resolve (``--host-resolver-rules``), so a run can neither fetch from nor
wait on the network.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from checking import CHROMIUM, CHROMIUM_ARGS, first_report_page, node_tool
from support import REPO, require_tools

PAGE_2021 = "working-groups/2021.html"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 95
# the least score of a category, where it is more than THRESHOLD: by kind of page
REQUIRED = {"report page": {"accessibility": 100, "seo": 100}}
TIMEOUT = 180  # seconds for the whole run; one takes about 20 s
MAX_WAIT_FOR_LOAD = 30_000  # ms
CHROME_FLAGS = [
    "--headless=new",
    *CHROMIUM_ARGS,
    # any host but the local server fails at once, without a DNS query (Chromium otherwise
    # looks up accounts.google.com and clients2.google.com even with background networking off)
    "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'",
]


def _descendants(pid: int) -> list[int]:
    """The processes started by *pid*, at any depth (Chromium runs in a session of its own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_tree(process: subprocess.Popen) -> None:
    """Kill Lighthouse and the Chromium it launched, by process id."""
    for pid in [*_descendants(process.pid), process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:]) or "(empty)"


def _score(lhr: dict[str, Any], category: str) -> int | None:
    """A category's score out of 100, rounded as the Lighthouse report shows it."""
    score = lhr["categories"][category]["score"]
    return None if score is None else int(score * 100 + 0.5)


def _shortfalls(lhr: dict[str, Any], category: str) -> str:
    """The audits of *category* scoring below 1: id, title, displayValue and where."""
    lines = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if audit.get("errorMessage"):
            lines.append(f"  {audit['id']}: {audit['title']} -- error: {audit['errorMessage']}")
            continue
        if audit["score"] is None or audit["score"] >= 1:
            continue
        shown = f" [{audit['displayValue']}]" if audit.get("displayValue") else ""
        lines.append(
            f"  {audit['id']} (score {audit['score']}, weight {ref['weight']}): {audit['title']}{shown}"
        )
        for item in (audit.get("details") or {}).get("items", [])[:5]:
            node = item.get("node") or {}
            where = node.get("snippet") or item.get("url") or (item.get("sourceLocation") or {}).get("url")
            label = node.get("nodeLabel")
            named = f"  ({label})" if label and label != node.get("selector") else ""
            if where:
                lines.append(f"      {where}{named}")
    return "\n".join(lines) or "  (no audit scored below 1)"


def _run(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, str, str, bool]:
    """Run *command* for at most TIMEOUT seconds: the process, its stdout and stderr, and whether it
    was killed for taking longer (with the Chromium it launched)."""
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timed_out = False
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_tree(process)
        stdout, stderr = process.communicate()
    finally:
        if process.poll() is None:
            _kill_tree(process)
    return process, stdout, stderr, timed_out


def run_lighthouse(url: str, out: Path, tmp: Path) -> tuple[dict[str, Any], float]:
    """Lighthouse's result (the LHR) for *url*, its reports written to *out* plus ``.report.json``
    and ``.report.html``; and the seconds it took. Fails the test if it does not finish."""
    require_tools(CHROMIUM, "node")
    cli = node_tool("lighthouse/cli/index.js")
    report = out.with_name(out.name + ".report.json")
    report.unlink(missing_ok=True)
    command = [
        "node",
        str(cli),
        url,
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        f"--only-categories={','.join(CATEGORIES)}",
        f"--max-wait-for-load={MAX_WAIT_FOR_LOAD}",
        "--no-enable-error-reporting",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        "--quiet",
    ]
    # Chromium's profile goes to TMPDIR: a folder of this run, so nothing is left behind elsewhere
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "TMPDIR": str(tmp)}
    started = time.monotonic()
    process, stdout, stderr, timed_out = _run(command, env)
    seconds = time.monotonic() - started
    if timed_out:
        pytest.fail(
            f"Lighthouse did not finish within {TIMEOUT} s on {url}; killed it and its Chromium.\n"
            f"stderr:\n{_tail(stderr)}\nstdout:\n{_tail(stdout)}",
            pytrace=False,
        )
    if process.returncode != 0 or not report.is_file():
        pytest.fail(
            f"Lighthouse failed on {url} (exit status {process.returncode}, {seconds:.0f} s).\n"
            f"stderr:\n{_tail(stderr)}\nstdout:\n{_tail(stdout)}",
            pytrace=False,
        )
    return json.loads(report.read_text(encoding="utf-8")), seconds


@pytest.fixture(scope="module", params=["2021 page", "report page"])
def measured(request, site) -> tuple[str, str]:
    """The kind of page Lighthouse measures, and the page: the 2021 page, or the first report page."""
    return request.param, PAGE_2021 if request.param == "2021 page" else first_report_page(site)


@pytest.fixture(scope="module")
def lighthouse(measured, server, artefacts, tmp_path_factory) -> dict[str, Any]:
    """Lighthouse's result (the LHR) for the measured page, run once per page for this module."""
    _, page = measured
    name = "2021" if page == PAGE_2021 else page.removesuffix(".html").replace("/", "-")
    out = artefacts / f"lighthouse-{name}"
    lhr, seconds = run_lighthouse(server + page, out, tmp_path_factory.mktemp("lighthouse"))
    scores = ", ".join(f"{c} {_score(lhr, c)}" for c in CATEGORIES)
    print(
        f"\nLighthouse {lhr['lighthouseVersion']} ({lhr['configSettings']['formFactor']}) on {page}: "
        f"{scores} ({seconds:.0f} s; report {out}.report.json)"
    )
    for warning in lhr.get("runWarnings", []):
        print(f"Lighthouse warning: {warning}")
    return lhr


def test_lighthouse_measures_performance(lighthouse, measured):
    assert lighthouse["finalDisplayedUrl"].endswith(measured[1])
    performance = lighthouse["categories"]["performance"]["score"]
    assert isinstance(performance, (int, float)), (
        f"Lighthouse gave no performance score; audits that failed:\n{_shortfalls(lighthouse, 'performance')}"
    )
    print(f"performance {_score(lighthouse, 'performance')} (informative: it depends on the machine)")


@pytest.mark.parametrize(
    "category",
    ["accessibility", "best-practices", "seo"],
)
def test_lighthouse_category_scores_what_the_page_requires(lighthouse, measured, category):
    kind, page = measured
    least = max(THRESHOLD, REQUIRED.get(kind, {}).get(category, THRESHOLD))
    score = _score(lighthouse, category)
    assert score is not None and score >= least, (
        f"Lighthouse {category} score {score} on {page} is below {least}; audits scoring below 1:\n"
        f"{_shortfalls(lighthouse, category)}"
    )


def test_lighthouse_fetched_only_the_local_site(lighthouse, server):
    """Every request of the page went to the local server (or was a data: URL)."""
    requests = lighthouse["audits"]["network-requests"]["details"]["items"]
    elsewhere = sorted({r["url"] for r in requests if not r["url"].startswith((server, "data:"))})
    assert requests
    assert not elsewhere, f"the page requested more than the local site: {elsewhere}"
