"""Editing, adding and removing catalogue entries reads again exactly the pages that show them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import clean_build, recording, warnings_of


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


@pytest.mark.sphinx("html", testroot="incremental", srcdir="incremental-lines", freshenv=True)
def test_moving_lines_without_changing_entries_reads_nothing(app, make_app):
    app.build()
    app.cleanup()
    path = Path(app.srcdir) / "catalogue.yaml"
    path.write_text("# The catalogue, with a comment on top.\n\n" + path.read_text(), encoding="utf-8")
    again = make_app("html", srcdir=app.srcdir)
    with recording(again) as seen:
        again.build()
    assert seen.read == []


@pytest.mark.parametrize("name", CASES)
@pytest.mark.sphinx("html", testroot="incremental", srcdir="incremental-edit", freshenv=True)
def test_an_edit_reads_again_only_the_pages_that_show_it(name, app, make_app):
    change, expected = CASES[name]
    app.build()
    assert warnings_of(app) == []
    app.cleanup()
    edit(Path(app.srcdir), change)
    again = make_app("html", srcdir=app.srcdir)
    with recording(again) as seen:
        again.build()
    assert sorted(seen.read) == expected
    assert warnings_of(again) == []
    # and what was read again is what a clean build gives
    again.cleanup()
    clean = clean_build(make_app, Path(app.srcdir))
    for page in ("y2021", "y2022", "groups", "cited", "tagged"):
        ours = (Path(again.outdir) / f"{page}.html").read_text()
        theirs = (Path(clean.outdir) / f"{page}.html").read_text()
        assert ours == theirs, page
    clean.cleanup()
