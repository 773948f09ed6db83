"""``nox -s new-year -- <year>``: the year's page, plain refusals, and a catalogue skeleton that loads.

Every run works on a copy of docs/ and files/; expectations come from the copy's own catalogue and
pages, so the tests hold as the real catalogue grows year by year.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sites import copy_site

from sphinx_dgx import catalogue as cat
from sphinx_dgx.newyear import END, TO_DO, main
from support import soup

PAGES = "working-groups"
FOUR_DIGITS = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A copy of docs/ (without _build) and files/, side by side as in the repository."""
    return copy_site(tmp_path)


def loaded(docs: Path) -> cat.Catalogue:
    return cat.load(docs / "catalogue.yaml", docs.parent / "files")


def year_pages(docs: Path) -> dict[int, Path]:
    return {int(p.stem): p for p in (docs / PAGES).glob("*.md") if FOUR_DIGITS.fullmatch(p.stem)}


def next_year(docs: Path) -> int:
    """A year that has neither a page nor catalogue entries yet: the one after the newest."""
    return max([*loaded(docs).years, *year_pages(docs)]) + 1


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def closing_paragraph(page: Path) -> str:
    return page.read_text(encoding="utf-8").strip().split("\n\n")[-1]


def printed_skeleton(out: str) -> str:
    """The YAML printed between the marker comments (the markers included: they are comments)."""
    start = out.index("# ---- add to ")
    return out[start : out.index(END, start) + len(END)]


def paste(catalogue_text: str, skeleton: str) -> str:
    """What an editor does: the skeleton's groups at the end of working_groups:, its reports at the end."""
    assert catalogue_text.count("\nreports:\n") == 1
    groups_part, reports_part = skeleton.split("\nreports:\n")
    group_items = groups_part.split("working_groups:\n", 1)[1]
    head, tail = catalogue_text.split("\nreports:\n")
    return f"{head.rstrip()}\n\n{group_items.strip(chr(10))}\n\nreports:\n{tail.rstrip()}\n\n{reports_part}\n"


@pytest.mark.parametrize("later", [0, 9])
def test_page_has_the_year_everywhere_and_nothing_else(docs, capsys, later):
    year = next_year(docs) + later
    newest = year_pages(docs)[max(year_pages(docs))]
    status, out, err = run(capsys, str(docs), str(year))
    assert (status, err) == (0, "")
    page = docs / PAGES / f"{year}.md"
    text = page.read_text(encoding="utf-8")
    assert f"Wrote {page}." in out
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == f"Working Groups {year}"
    assert str(year) in front["description"] and "now!" not in front["description"]
    assert f"```{{dgx-working-groups}}\n:year: {year}\n```" in text
    assert f"```{{dgx-reports}}\n:year: {year}\n:kind: file\n```" in text
    assert f"## Overview\n\n**{TO_DO}**" in text
    assert f"## DGX WG Reports\n\nOur WGs have also produced in-depth reports on {year}'s topics." in text
    assert set(FOUR_DIGITS.findall(text)) == {str(year)}
    assert text.strip().endswith(closing_paragraph(newest))


def test_contact_sentence_comes_from_the_newest_page(docs, capsys):
    year = next_year(docs)
    older, newer = year - 2, year - 1
    (docs / PAGES / f"{older}.md").write_text(f"# {older}\n\nWrite to <old@example.org>.\n", encoding="utf-8")
    (docs / PAGES / f"{newer}.md").write_text(
        f"# {newer}\n\nText.\n\nQuestions about {newer}?\nWrite to <wg@example.org>.\n", encoding="utf-8"
    )
    status, out, _ = run(capsys, str(docs), str(year))
    assert status == 0
    text = (docs / PAGES / f"{year}.md").read_text(encoding="utf-8")
    assert text.endswith(f"\n\nQuestions about {year}?\nWrite to <wg@example.org>.\n")
    assert "old@example.org" not in text and "tmo@tech.gov.sg" not in text
    assert f"from {docs / PAGES / f'{newer}.md'}" in out


def test_without_a_contact_sentence_the_page_ends_with_the_reports(docs, capsys):
    year = next_year(docs)
    (docs / PAGES / f"{year - 1}.md").write_text("# A page\n\n```{dgx-reports}\n```\n", encoding="utf-8")
    status, out, _ = run(capsys, str(docs), str(year))
    assert status == 0
    assert (docs / PAGES / f"{year}.md").read_text(encoding="utf-8").endswith(":kind: file\n```\n")
    assert "No year page ends with a contact sentence" in out


def test_a_second_run_refuses_and_leaves_the_page_alone(docs, capsys):
    year = next_year(docs)
    page = docs / PAGES / f"{year}.md"
    assert run(capsys, str(docs), str(year))[0] == 0
    page.write_text(page.read_text(encoding="utf-8") + "An editor's words.\n", encoding="utf-8")
    before = page.read_bytes()
    status, out, err = run(capsys, str(docs), str(year))
    assert (status, out) == (1, "")
    assert err == f"error: {page} already exists; nothing was written\n"
    assert page.read_bytes() == before


@pytest.mark.parametrize(
    ("year", "says"),
    [
        ("22", "four digits"),
        ("abcd", "four digits"),
        ("\uff12\uff10\uff12\uff12", "four digits"),  # full-width digits
        ("20221", "four digits"),
        ("1800", f"between {cat.YEAR_RANGE[0]} and {cat.YEAR_RANGE[1]}"),
        (str(cat.YEAR_RANGE[1] + 1), "between"),
    ],
)
def test_a_bad_year_is_refused_plainly(docs, capsys, year, says):
    before = sorted((docs / PAGES).iterdir())
    status, out, err = run(capsys, str(docs), year)
    assert (status, out) == (1, "")
    assert err.startswith("error: ") and says in err and err.count("\n") == 1
    assert sorted((docs / PAGES).iterdir()) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["22"],
        ["1800"],
        [],
        ["2022", "--pages-dir"],
        ["2022", "--no-such-option"],
        ["2022", "--pages-dir", "no-such-folder"],
    ],
)
def test_no_traceback_from_the_command_line(docs, argv, capsys, monkeypatch):
    """What ``python -m sphinx_dgx.newyear`` runs, in this process: an exception would fail the test."""
    monkeypatch.chdir(docs.parent)
    args = argv if not argv or argv[0] != "2022" else [str(next_year(docs)), *argv[1:]]
    status, out, err = run(capsys, *([str(docs)] if argv else []), *args)
    assert status == 1, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert out == ""


@pytest.mark.parametrize(
    ("newest", "says"),
    [
        (lambda page: page.write_bytes(b"Caf\xe9 <wg@example.org>\n"), "is not UTF-8 text"),
        (lambda page: page.mkdir(), "Is a directory"),
    ],
)
def test_an_unreadable_newest_page_is_refused_plainly(docs, capsys, newest, says):
    year = next_year(docs) + 1
    newest(docs / PAGES / f"{year - 1}.md")
    status, out, err = run(capsys, str(docs), str(year))
    assert (status, out) == (1, "")
    assert err.startswith("error: ") and says in err and f"{year - 1}.md" in err and err.count("\n") == 1
    assert not (docs / PAGES / f"{year}.md").exists()


def test_pages_dir_takes_another_layout(docs, capsys):
    (docs / PAGES).rename(docs / "years")
    year = next_year(docs)
    assert run(capsys, str(docs), str(year), "--pages-dir", "years")[0] == 0
    assert (docs / "years" / f"{year}.md").is_file()
    assert not (docs / PAGES).exists()
    status, _, err = run(capsys, str(docs), str(year + 1))
    assert status == 1 and str(docs / PAGES) in err and "does not exist" in err


def test_printed_skeleton_loads_once_pasted(docs, capsys):
    year = next_year(docs)
    before = loaded(docs)
    source = before.years[0]
    old_groups = before.select_groups([source])
    status, out, _ = run(capsys, str(docs), str(year))
    assert status == 0
    skeleton = printed_skeleton(out)
    parsed = yaml.safe_load(skeleton)
    expected = [re.sub(r"-[0-9]{4}$", "", g.id) + f"-{year}" for g in old_groups]
    assert [g["id"] for g in parsed["working_groups"]] == expected
    assert [g["name"] for g in parsed["working_groups"]] == [g.name for g in old_groups]
    assert {(g["year"], g["summary"]) for g in parsed["working_groups"]} == {(year, "...")}
    [report] = parsed["reports"]
    assert set(report) == {"id", "title", "working_group", "summary", "file"}
    assert report["working_group"] == expected[0] and report["title"] == "..."
    for words in ("files/", "exactly this name", "#dgx-wg-<id>", "#dgx-report-<id>", "choose it once"):
        assert words in skeleton
    assert out.index(skeleton) < out.index("files/, each") < out.index("nox -s docs")
    (docs.parent / "files" / report["file"]).write_bytes(b"%PDF-1.4\n%%EOF\n")
    text = paste((docs / "catalogue.yaml").read_text(encoding="utf-8"), skeleton)
    after = cat.loads(text, files_dir=str(docs.parent / "files"))
    assert after.problems == ()
    assert [g.id for g in after.select_groups([year])] == expected
    assert after.select_groups([source]) == before.select_groups([source])
    assert [r.id for r in after.select_reports([year])] == [report["id"]]


def test_skeleton_comes_from_the_newest_year_only(docs, capsys):
    year = next_year(docs)
    (docs / "catalogue.yaml").write_text(
        "working_groups:\n"
        f"  - {{id: ethics, name: 'Ethics: AI', year: {year - 1}, summary: S.}}\n"
        f"  - {{id: older-{year - 2}, name: Older, year: {year - 2}, summary: S.}}\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, str(docs), str(year))
    assert status == 0
    parsed = yaml.safe_load(printed_skeleton(out))
    assert parsed["working_groups"] == [
        {"id": f"ethics-{year}", "name": "Ethics: AI", "year": year, "summary": "..."}
    ]


@pytest.mark.slow
def test_the_site_builds_with_the_new_year(docs, capsys, tmp_path):
    year = next_year(docs)
    status, out, _ = run(capsys, str(docs), str(year))
    assert status == 0
    groups_part = printed_skeleton(out).split("\nreports:\n")[0]
    names = [g["name"] for g in yaml.safe_load(groups_part)["working_groups"]]
    summaries = [f"What the {name} WG found in {year}." for name in names]
    for summary in summaries:  # as an editor would: each placeholder in turn
        groups_part = groups_part.replace('summary: "..."', f'summary: "{summary}"', 1)
    catalogue = docs / "catalogue.yaml"
    catalogue.write_text(
        paste(catalogue.read_text(encoding="utf-8"), groups_part + "\nreports:\n"), encoding="utf-8"
    )
    new_groups = loaded(docs).select_groups([year])
    assert [(g.name, g.summary) for g in new_groups] == list(zip(names, summaries, strict=True))
    page_source = docs / PAGES / f"{year}.md"  # and the overview, in place of the placeholder
    text = page_source.read_text(encoding="utf-8")
    overview = f"The {year} Working Groups met four times."
    page_source.write_text(re.sub(rf"\*\*{re.escape(TO_DO)}\*\*.*?\n\n", overview + "\n\n", text, flags=re.S))
    out = tmp_path / "out"
    sphinx = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-d", str(out / "doctrees")]
    result = subprocess.run([*sphinx, str(docs), str(out / "html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = soup(out / "html" / PAGES / f"{year}.html")
    text = " ".join(page.select_one("article").get_text(" ").split())
    assert f"Working Groups {year}" in text
    for group in new_groups:
        assert group.name in text and group.summary in text
    home = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert f'href="{PAGES}/{year}.html"' in home
