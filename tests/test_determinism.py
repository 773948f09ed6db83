"""Nothing lost, nothing stale: the same sources give the same bytes, however the build got there."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sites import copy_site

from support import tree

pytestmark = pytest.mark.slow


def sphinx(src: Path, out: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), *extra]
    return subprocess.Popen(
        [*command, str(src), str(out / "html")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def build(src: Path, out: Path, *extra: str) -> Path:
    process = sphinx(src, out, *extra)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr.decode()
    assert b"WARNING" not in stderr, stderr.decode()
    return out / "html"


@pytest.fixture
def site(tmp_path) -> Path:
    """A copy of the real site: docs/ and files/ side by side."""
    return copy_site(tmp_path)


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    first = tree(build(site, tmp_path / "one"))
    second = tree(build(site, tmp_path / "two"))
    assert (
        len(first) > 30
        and "reports.json" in first
        and "files/dgx_2021_digital_identity_in_response_to_covid-19.pdf" in first
    )
    assert first == second


def edit_catalogue(site: Path) -> None:
    """Rename one report's file and remove another report."""
    catalogue_path = site / "catalogue.yaml"
    data = yaml.safe_load(catalogue_path.read_text(encoding="utf-8"))
    reports = data["reports"]
    cloud = next(r for r in reports if r["id"] == "cloud-2021")
    old = site.parent / "files" / cloud["file"]
    cloud["file"] = "DGX Cloud Report 2021 (renamed).pdf"
    old.rename(old.with_name(cloud["file"]))
    data["reports"] = [r for r in reports if r["id"] != "digital-maturity-2021"]
    (
        site.parent / "files" / "DGX Digital Maturity Working Group Report 2021 - Digital Maturity MVP.pdf"
    ).unlink()
    catalogue_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_renaming_and_removing_reports_leaves_nothing_stale(site, tmp_path):
    incremental = tmp_path / "incremental"
    before = tree(build(site, incremental))
    assert any(name.startswith("files/DGX Digital Maturity") for name in before)
    edit_catalogue(site)
    after = tree(build(site, incremental))
    clean = tree(build(site, tmp_path / "clean"))
    assert after == clean
    assert not any(
        "Digital Maturity Working Group Report" in name or "Baseline Policies" in name for name in after
    )
    assert "files/DGX Cloud Report 2021 (renamed).pdf" in after
    page = (incremental / "html" / "working-groups" / "2021.html").read_text(encoding="utf-8")
    assert page.count('class="dgx-report-card') == 2  # cloud (renamed file) and identity
    listed = json.loads((incremental / "html" / "reports.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in listed["reports"]] == ["cloud-2021", "digital-identity-2021", "safe-travel-2021"]


def test_an_interrupted_build_followed_by_a_normal_one_equals_a_clean_build(site, tmp_path):
    interrupted = tmp_path / "interrupted"
    process = sphinx(site, interrupted)
    deadline = time.monotonic() + 120
    # stop it mid-way: once it has begun to write pages
    while time.monotonic() < deadline and not list((interrupted / "html").glob("**/*.html")):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be interrupted"
    resumed = tree(build(site, interrupted))
    clean = tree(build(site, tmp_path / "clean"))
    assert resumed == clean
