"""An unchanged catalogue is not parsed again; anything it depends on changing reads it again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sphinx_dgx import catalogue as cat
from sphinx_dgx import catalogue_cache

CATALOGUE = """\
working_groups:
  - id: cloud-2021
    name: Cloud
    year: 2021
    summary: The cloud WG met.
reports:
  - id: cloud-2021
    title: Cloud governance
    working_group: cloud-2021
    summary: Baseline policies.
    file: cloud.pdf
"""


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path, Path]:
    files = tmp_path / "files"
    files.mkdir()
    (files / "cloud.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    path = tmp_path / "catalogue.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path, files, tmp_path / "cache"


def load(site):
    path, files, cache = site
    return catalogue_cache.load(str(path), str(files), cat.MAX_BYTES, cache)


def test_an_unchanged_catalogue_comes_from_the_cache_as_it_was_read(site):
    first, kept = load(site)
    assert not kept
    again, kept = load(site)
    assert kept and again == first
    assert again == cat.load(site[0], site[1])


def test_content_not_time_decides(site):
    path = site[0]
    load(site)
    stat = path.stat()
    path.write_text(CATALOGUE.replace("Baseline policies.", "Baseline rules!!!."), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same size and time
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    again, kept = load(site)
    assert not kept
    assert again.reports_by_id["cloud-2021"].summary == "Baseline rules!!!."


def test_a_change_in_the_files_folder_reads_it_again(site):
    _path, files, _ = site
    load(site)
    (files / "cloud.pdf").unlink()
    missing, kept = load(site)
    assert not kept and [p.subtype.value for p in missing.problems] == ["missing_file"]
    (files / "cloud.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    found, kept = load(site)
    assert not kept and found.problems == ()


def test_problems_come_back_with_the_catalogue(site):
    path = site[0]
    path.write_text(CATALOGUE.replace("    year: 2021\n", "    year: 20x1\n"), encoding="utf-8")
    first, _ = load(site)
    again, kept = load(site)
    assert kept and again.problems == first.problems and first.problems


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x04K\x01."])
def test_a_damaged_cache_is_ignored_and_written_again(site, damage):
    first, _ = load(site)
    (site[2] / catalogue_cache.FILE_NAME).write_bytes(damage)
    again, kept = load(site)
    assert not kept and again == first
    _, kept = load(site)
    assert kept


def test_another_version_of_the_extension_reads_it_again(site, monkeypatch):
    load(site)
    monkeypatch.setattr(catalogue_cache, "__version__", "99.0")
    _, kept = load(site)
    assert not kept


def test_a_catalogue_that_cannot_be_read_is_never_cached(site):
    path, _files, cache = site
    path.unlink()
    missing, kept = load(site)
    assert not kept and [p.subtype.value for p in missing.problems] == ["missing_catalogue"]
    assert not (cache / catalogue_cache.FILE_NAME).exists()


def test_a_cache_that_cannot_be_written_only_costs_time(site, tmp_path):
    path, files, _ = site
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    loaded, kept = catalogue_cache.load(str(path), str(files), cat.MAX_BYTES, blocked)
    assert not kept and loaded.reports


@pytest.mark.sphinx("html", testroot="basic", srcdir="catalogue-cache-build", freshenv=True)
def test_a_rebuild_reads_an_unchanged_catalogue_from_the_cache(app, make_app):
    app.build()
    assert "(unchanged: from the cache)" not in app.status.getvalue()
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert (
        "dgx: catalogue catalogue.yaml: 4 working groups, 3 reports, 0 problems (unchanged: from the cache)"
        in (again.status.getvalue())
    )
