"""Files measured by a pool of processes give what one process gives, byte for byte, in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinx_dgx import catalogue as cat
from sphinx_dgx import collect
from support import tree


def make_site(folder: Path, count: int) -> cat.Catalogue:
    from fpdf import FPDF

    files = folder / "files"
    files.mkdir(parents=True)
    entries = []
    for number in range(count):
        pdf = FPDF(unit="pt", format=(595, 842) if number % 3 else (720, 405))
        for page in range(1 + number % 4):
            pdf.add_page()
            pdf.set_font("Helvetica", size=14)
            pdf.text(40, 60, f"Report {number}, page {page + 1}")
        (files / f"r{number}.pdf").write_bytes(bytes(pdf.output()))
        entries.append(
            f"  - {{id: r{number}, title: R{number}, working_group: g, summary: S, file: r{number}.pdf}}"
        )
    (files / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really\n")
    entries.append("  - {id: broken, title: B, working_group: g, summary: S, file: broken.pdf}")
    entries.append("  - {id: twin, title: T, working_group: g, summary: S, file: r1.pdf}")  # a content twice
    text = (
        "working_groups:\n  - {id: g, name: G, year: 2021, summary: S}\nreports:\n"
        + "\n".join(entries)
        + "\n"
    )
    (folder / "catalogue.yaml").write_text(text, encoding="utf-8")
    return cat.load(folder / "catalogue.yaml", files)


@pytest.mark.parametrize("processes", [2, 3])
def test_a_pool_measures_what_one_process_measures(tmp_path, processes):
    catalogue = make_site(tmp_path / "site", 9)
    serial = collect.measure_files(catalogue, tmp_path / "serial", processes=1)
    pooled = collect.measure_files(catalogue, tmp_path / "pooled", processes=processes)
    assert list(pooled) == list(serial) == [r.id for r in catalogue.reports]

    def relative(measured, root):
        values = {
            "facts": measured.facts,
            "problem": measured.problem,
            "caveats": measured.caveats,
            "cover": measured.cover and (Path(measured.cover.path).relative_to(root), measured.cover.width),
            "text": measured.text and Path(measured.text).relative_to(root),
        }
        return values

    for ident in serial:
        assert relative(pooled[ident], tmp_path / "pooled") == relative(serial[ident], tmp_path / "serial"), (
            ident
        )
    files = {name: digest for name, digest in tree(tmp_path / "serial").items() if name != "index.json"}
    assert {n: d for n, d in tree(tmp_path / "pooled").items() if n != "index.json"} == files  # byte for byte
    index = [
        json.loads((tmp_path / run / "index.json").read_text(encoding="utf-8"))
        for run in ("serial", "pooled")
    ]
    assert index[0]["entries"] == index[1]["entries"]  # the stamps differ: when each file was hashed
    assert len(index[1]["entries"]) == 10  # nine contents and the broken one; the twin measured once
    assert serial["broken"].problem is not None and serial["twin"].facts == serial["r1"].facts


def test_a_rebuild_measures_nothing_whatever_the_processes(tmp_path, monkeypatch):
    catalogue = make_site(tmp_path / "site", 4)
    first = collect.measure_files(catalogue, tmp_path / "cache", processes=2)

    def measured_again(*args):
        raise AssertionError(f"measured again: {args}")

    monkeypatch.setattr(collect.facts_, "measure_file", measured_again)
    again = collect.measure_files(catalogue, tmp_path / "cache", processes=2)
    assert again == first
