"""Editing, adding and removing catalogue entries reads again exactly the pages that show them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, warnings_of

ROOT = TESTS / "roots" / "test-incremental"


def edit(src: Path, change) -> None:
    path = src / "catalogue.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def report(data: dict, ident: str) -> dict:
    return next(r for r in data["reports"] if r["id"] == ident)


def group(data: dict, ident: str) -> dict:
    return next(g for g in data["working_groups"] if g["id"] == ident)


def add_report(data: dict) -> None:
    data["reports"].append(
        {"id": "data-2022", "title": "Data, a year on", "working_group": "cloud-2022", "summary": "New.",
         "url": "https://example.org/data-2022"}
    )  # fmt: skip


CASES = {
    "no change": (lambda d: None, []),
    "a report's summary": (lambda d: report(d, "cloud-2021").update(summary="Revised."), ["tagged", "y2021"]),
    "a report's title": (
        lambda d: report(d, "data-2021").update(title="Data stewards"),
        ["cited", "groups", "y2021"],
    ),
    # a report that moves among those of its year: every page that shows it (tagged too, where
    # the order of its one 2021 card cannot change, is read again: the check is per entry)
    "reports in another order": (lambda d: d["reports"].reverse(), ["tagged", "y2021"]),
    "a group's summary": (lambda d: group(d, "data-2021").update(summary="Met twice."), ["groups"]),
    "a group's name": (
        lambda d: group(d, "data-2021").update(name="Data Governance"),
        ["cited", "groups", "y2021"],
    ),
    "a new report": (add_report, ["y2022"]),
    "a removed report": (lambda d: d["reports"].remove(report(d, "cloud-2022")), ["tagged", "y2022"]),
    "a new tag": (lambda d: report(d, "data-2021").update(tags=["cloud"]), ["tagged", "y2021"]),
}


def test_moving_lines_without_changing_entries_reads_nothing(tmp_path, make_app):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = make_app("html", srcdir=src, freshenv=True)
    first.build()
    first.cleanup()
    path = src / "catalogue.yaml"
    path.write_text("# The catalogue, with a comment on top.\n\n" + path.read_text(), encoding="utf-8")
    again = make_app("html", srcdir=src)
    read: list[str] = []
    again.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    again.build()
    assert read == []


@pytest.mark.parametrize("name", CASES)
def test_an_edit_reads_again_only_the_pages_that_show_it(name, tmp_path, make_app):
    change, expected = CASES[name]
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = make_app("html", srcdir=src, freshenv=True)
    first.build()
    assert warnings_of(first._warning) == []
    first.cleanup()
    edit(src, change)
    again = make_app("html", srcdir=src)
    read: list[str] = []
    again.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    again.build()
    assert sorted(read) == expected
    assert warnings_of(again._warning) == []
    # and what was read again is what a clean build gives
    again.cleanup()
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = make_app("html", srcdir=clean_src, freshenv=True)
    clean.build()
    for page in ("y2021", "y2022", "groups", "cited", "tagged"):
        ours = (Path(again.outdir) / f"{page}.html").read_text()
        theirs = (Path(clean.outdir) / f"{page}.html").read_text()
        assert ours == theirs, page
    clean.cleanup()
