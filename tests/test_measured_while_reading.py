"""Report files are measured while Sphinx reads the pages; a page is bound to them after reading.

The directive leaves a placeholder where a card shows what its file is (cover, link, format,
size, pages); the files not in the cache are measured by a pool meanwhile, and the snapshot is
made whole before anything is written or pickled. With ``-j``, the processes that read take the
snapshot with them: it is whole before they start.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from test_parallel_measure import make_site

from sphinx_dgx import collect
from sphinx_dgx.domain import get_domain

CARDS = Path(__file__).parent / "roots" / "test-cards"


def pending_when(app, event: str) -> list[bool]:
    """Whether files were still being measured, each time *event* was emitted (after sphinx_dgx's
    own handlers)."""
    seen: list[bool] = []

    def note(app, *args):
        seen.append(get_domain(app.env).snapshot.pending is not None)

    app.connect(event, note, priority=900)
    return seen


def cards_app(make_app, tmp_path: Path, name: str, **kwargs):
    site = tmp_path / name
    shutil.copytree(CARDS, site)
    overrides = {"dgx_report_pages": False, "dgx_measure_processes": 2, **kwargs.pop("confoverrides", {})}
    return make_app("html", srcdir=site, freshenv=True, confoverrides=overrides, **kwargs)


def test_files_are_measured_while_the_pages_are_read(make_app, tmp_path):
    app = cards_app(make_app, tmp_path, "overlap")
    read = pending_when(app, "doctree-read")
    app.build()
    assert read and all(read)  # the page was read before its files were all measured
    snapshot = get_domain(app.env).snapshot
    assert snapshot.pending is None and snapshot.files  # whole after reading
    with open(Path(app.doctreedir) / "environment.pickle", "rb") as handle:
        kept = pickle.load(handle).domaindata["dgx"]["snapshot"]
    assert kept == snapshot and kept.pending is None
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "dgx_file_facts" not in html and 'class="dgx-cover"' in html and "pages" in html


@pytest.mark.parametrize(("builder", "overrides"), [("html", {"dgx_report_pages": True}), ("latex", {})])
def test_nothing_waits_for_a_file_before_reading_ends(make_app, tmp_path, monkeypatch, builder, overrides):
    """A file asked for before the pages are read is measured then, in this process: the pool
    would measure the files one by one in the order they are asked for."""
    asked: list[str] = []
    entry = collect.Measuring.entry

    def noted(self, report_id):
        asked.append(report_id)
        return entry(self, report_id)

    monkeypatch.setattr(collect.Measuring, "entry", noted)
    site = tmp_path / builder
    shutil.copytree(CARDS, site)
    overrides["dgx_measure_processes"] = 2
    app = make_app(builder, srcdir=site, freshenv=True, confoverrides=overrides)
    app.build()
    assert asked == []
    assert get_domain(app.env).snapshot.covers  # measured all the same


def test_a_page_shows_the_same_whoever_measured_its_files(make_app, tmp_path):
    pooled = cards_app(make_app, tmp_path, "pooled")
    pooled.build()
    alone = cards_app(make_app, tmp_path, "alone", confoverrides={"dgx_measure_processes": 1})
    alone.build()
    pages = [(Path(app.outdir) / "index.html").read_text(encoding="utf-8") for app in (pooled, alone)]
    assert pages[0] == pages[1]


def test_a_parallel_read_has_every_file_measured_before_it_starts(make_app, tmp_path):
    app = cards_app(make_app, tmp_path, "parallel", parallel=2)
    assert app.is_parallel_allowed("read")
    before = pending_when(app, "env-before-read-docs")
    app.build()
    assert before == [False]


def test_a_build_that_fails_while_reading_stops_measuring(make_app, tmp_path):
    app = cards_app(make_app, tmp_path, "failing")
    measuring: list[collect.Measuring] = []

    def fail(app, doctree):
        measuring.append(get_domain(app.env).snapshot.pending)
        raise RuntimeError("a page cannot be read")

    app.connect("doctree-read", fail)
    with pytest.raises(Exception, match="a page cannot be read"):
        app.build()
    [pending] = measuring
    assert pending is not None and pending.pool is None and not pending.futures


def test_a_page_that_asks_waits_for_its_file_only(tmp_path):
    catalogue = make_site(tmp_path / "site", 6)
    serial = collect.measure_files(catalogue, tmp_path / "serial", processes=1)
    measuring = collect.Measuring(catalogue, tmp_path / "pooled", processes=2)
    prints = collect.fingerprints_of(catalogue)
    snapshot = collect.take_snapshot(catalogue, measuring.known, False, prints, measuring)
    assert "r3" in measuring and "r3" not in snapshot.files
    assert snapshot.facts("r3") == serial["r3"].facts
    assert snapshot.file_problem("broken") == serial["broken"].problem
    whole = collect.take_snapshot(catalogue, measuring.finish(), False, prints)
    assert whole.facts("r3") == serial["r3"].facts and whole.pending is None
    again = collect.measure_files(catalogue, tmp_path / "pooled")  # from the cache it saved
    assert whole == collect.take_snapshot(catalogue, again, False, prints)


def test_measuring_stopped_early_is_finished_here(tmp_path):
    catalogue = make_site(tmp_path / "site", 5)
    serial = collect.measure_files(catalogue, tmp_path / "serial", processes=1)
    measuring = collect.Measuring(catalogue, tmp_path / "stopped", processes=2)
    measuring.abandon()
    assert measuring.pool is None
    found = measuring.finish()
    assert {k: (v.facts, v.problem) for k, v in found.items()} == {
        k: (v.facts, v.problem) for k, v in serial.items()
    }


def test_a_card_of_a_report_gone_from_the_catalogue_shows_nothing_of_a_file(make_app, tmp_path):
    from sphinx_dgx.directives import bind_file_facts
    from sphinx_dgx.nodes import dgx_cover, dgx_heading, dgx_report_card

    app = cards_app(make_app, tmp_path, "gone")
    app.build()
    domain = get_domain(app.env)
    tree = app.env.get_doctree("index")  # as read: the cards not bound to their files yet
    gone, *others = tree.findall(dgx_report_card)
    assert others and all(card.get("unbound") == "card" for card in [gone, *others])
    gone["report_id"] = "gone-since"

    def shown(card):
        heading = next(card.findall(dgx_heading))
        lines = [n.astext() for n in card.findall(nodes.paragraph) if "dgx-meta" in n["classes"]]
        return heading.astext(), lines, len(list(card.findall(dgx_cover)))

    bind_file_facts(domain, tree)
    assert shown(gone) == ("", [], 0)
    bound = [shown(card) for card in others]
    assert all(title and len(lines) == 1 and lines[0] for title, lines, _ in bound)
    assert any(covers == 1 for *_, covers in bound)
    assert not any("unbound" in card for card in [gone, *others])
    bind_file_facts(domain, tree)  # bound once: binding again adds nothing
    assert [shown(card) for card in others] == bound
