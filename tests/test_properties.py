"""Property-based tests of the catalogue loader: any text in, only documented problems out."""

from __future__ import annotations

import dataclasses

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_dgx.catalogue import ID_PATTERN, YEAR_RANGE, Catalogue, dump, loads
from sphinx_dgx.problems import Problem, Subtype
from sphinx_dgx.validators import invisible
from support import REPO

# How many examples: conftest.py's profile, 300 (30 in the quick loop, -m "not slow")
ROUND_TRIPS = settings(max_examples=max(settings.default.max_examples // 3, 10))  # larger examples
REAL = (REPO / "docs" / "catalogue.yaml").read_text(encoding="utf-8")

ids = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 40)
# text a catalogue accepts: no control or format characters (Cc, Cf), and something visible
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf")), min_size=1, max_size=60
).filter(lambda s: not invisible(s))
years = st.integers(*YEAR_RANGE)
urls = st.builds(lambda host, path: f"https://{host}.example.org/{path}", ids, ids)


@st.composite
def catalogues(draw) -> dict:
    """A valid catalogue as Python data: groups, and url reports naming them."""
    group_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    groups = [
        {
            "id": gid,
            "name": draw(words),
            "year": draw(years),
            "summary": draw(words),
            **({"special_edition": True} if draw(st.booleans()) else {}),
            **({"links": [{"title": draw(words), "url": draw(urls)}]} if draw(st.booleans()) else {}),
        }
        for gid in group_ids
    ]
    report_ids = draw(st.lists(ids, max_size=6, unique=True))
    reports = [
        {
            "id": rid,
            "title": draw(words),
            "working_group": draw(st.sampled_from(group_ids)),
            "summary": draw(words),
            "url": draw(urls),
            **({"tags": draw(st.lists(ids, max_size=3))} if draw(st.booleans()) else {}),
            **({"reference": draw(words)} if draw(st.booleans()) else {}),
            **({"year": draw(years)} if draw(st.booleans()) else {}),
        }
        for rid in report_ids
    ]
    return {"working_groups": groups, "reports": reports}


def without_lines(catalogue: Catalogue) -> tuple:
    def strip(item):
        changes = {"line": 0}
        if hasattr(item, "links"):
            changes["links"] = tuple(dataclasses.replace(link, line=0) for link in item.links)
        return dataclasses.replace(item, **changes)

    return tuple(map(strip, catalogue.groups)), tuple(map(strip, catalogue.reports))


def check_problems(catalogue: Catalogue, text: str) -> None:
    """Only documented problems, each at a line of the text."""
    last = text.count("\n") + 2
    for problem in catalogue.problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.subtype, Subtype)
        assert problem.message and "\n" not in problem.message
        assert problem.line is None or 1 <= problem.line <= last, (problem, last)


@ROUND_TRIPS
@given(catalogues())
def test_a_valid_catalogue_loads_without_problems_and_survives_a_round_trip(data):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    first = loads(text)
    assert first.problems == ()
    assert len(first.groups) == len(data["working_groups"]) and len(first.reports) == len(data["reports"])
    again = loads(dump(first))
    assert again.problems == ()
    assert without_lines(again) == without_lines(first)


@given(st.text(max_size=400))
def test_any_text_gives_only_documented_problems(text):
    check_problems(loads(text), text)


@st.composite
def mutated(draw) -> str:
    """The real catalogue with a few random edits: characters deleted, inserted or lines moved."""
    lines = REAL.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "drop", "indent", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if kind == "delete" and line:
            j = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:j] + line[j + 1 :]
        elif kind == "insert":
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j] + draw(st.sampled_from(list(":-[]{}'\"#&*!|>%@`\t\n x1\\"))) + line[j:]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "drop":
            del lines[i]
        elif kind == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "   ", "      "])) + line.lstrip(" ")
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            break
    return "".join(lines)


@given(mutated())
def test_a_mutated_catalogue_gives_only_documented_problems(text):
    catalogue = loads(text, files_dir=str(REPO / "files"))
    check_problems(catalogue, text)
    # what loads is still consistent: every report's group exists, ids are unique
    assert {r.group for r in catalogue.reports} <= set(catalogue.groups_by_id)
    assert len(catalogue.reports_by_id) == len(catalogue.reports)
    assert len(catalogue.groups_by_id) == len(catalogue.groups)
