"""What the catalogue accepts (issue 12): YAML within bounds, values as written, text every output can carry.

Every test runs with libyaml (``yaml.CSafeLoader``, what the site uses when PyYAML has it) and with
PyYAML's pure-Python parser. Lines in the assertions are the 1-based lines of the texts.
"""

from __future__ import annotations

import time
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_yaml_messages import GOOD, change, loader  # noqa: F401  (loader: a fixture, used by every test)
from test_yaml_messages import one_problem as one_yaml_problem

from sphinx_dgx.catalogue import Catalogue, loads
from sphinx_dgx.problems import Problem, Subtype
from sphinx_dgx.validators import SHOWN, invisible

# GOOD: one working group (lines 1-5) and one report (lines 6-11).
LONGEST_MESSAGE = 600
"""No message is longer: values in messages are cut to about SHOWN characters."""
pytestmark = pytest.mark.usefixtures("loader")  # each test with libyaml's parser, then PyYAML's own


def add(line: str, text: str = GOOD) -> str:
    """GOOD with one more field of the report, on line 12."""
    return text + f"    {line}\n"


def one_problem(catalogue: Catalogue, subtype: Subtype, line: int, *fragments: str) -> Problem:
    """The one problem of *catalogue*, of *subtype* at *line* with *fragments*, and a message of a line."""
    problem = one_yaml_problem(catalogue, subtype, line, *fragments)
    assert len(problem.message) <= LONGEST_MESSAGE, problem.message
    return problem


# --------------------------------------------------------------------------
# YAML within bounds: nesting, anchors and aliases are refused before any node is built


@pytest.mark.parametrize("depth", [51, 500, 100_000])
def test_deeply_nested_lists_are_one_located_warning(depth: int) -> None:
    text = GOOD + "    tags: " + "[" * depth + "]" * depth + "\n"
    catalogue = one_problem(loads(text), Subtype.YAML_REFUSED, 12, "nest more than 50 deep", "remove")
    assert catalogue.message.startswith("lists and mappings nest more than 50 deep on this line")


def test_deep_block_nesting_is_refused_at_its_line() -> None:
    nested = "".join(f"{'  ' * level}- \n" for level in range(60))  # 60 levels of block lists
    text = GOOD + "extra:\n" + nested
    line = 13 + 51 - 2  # extra's list (line 13) is the second level, one line per level
    one_problem(loads(text), Subtype.YAML_REFUSED, line, "nest more than 50 deep")


def test_fifty_levels_are_read_as_usual() -> None:
    text = GOOD + "    tags: " + "[" * 47 + "]" * 47 + "\n"  # the top, reports, the report: 50 in all
    one_problem(loads(text), Subtype.WRONG_TYPE, 12, "'tags' of report 'r1' must be a list of text")


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
? *i
: 1
"""


def test_billion_laughs_as_a_key_is_refused_at_the_first_anchor_at_once() -> None:
    started = time.perf_counter()
    catalogue = loads(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    problem = one_problem(catalogue, Subtype.YAML_REFUSED, 1, "'&a' is an anchor", "write out in full")
    assert "lol" not in problem.message
    assert not catalogue.readable and catalogue.groups == ()


@pytest.mark.parametrize(
    ("old", "new", "line", "fragments"),
    [
        (
            "title: Cloud governance",
            "title: *Important",
            8,
            ["the value of 'title' starts with *, which YAML reads as an alias", 'title: "*Important"'],
        ),
        (
            "title: Cloud governance",
            "title: &co governance",
            8,
            ["the value of 'title' starts with &, which YAML reads as an anchor", 'title: "&co governance"'],
        ),
        ("  - id: r1\n", "  - &first\n    id: r1\n", 7, ["'&first' is an anchor", "write out in full"]),
    ],
)
def test_anchors_and_aliases_are_refused(old: str, new: str, line: int, fragments: list[str]) -> None:
    catalogue = loads(change(old, new))
    one_problem(catalogue, Subtype.YAML_REFUSED, line, *fragments)
    assert not catalogue.readable


def test_an_alias_that_copies_an_entry_is_refused() -> None:
    text = change("  - id: r1\n", "  - &r\n    id: r1\n") + "  - *r\n"
    one_problem(loads(text), Subtype.YAML_REFUSED, 7, "'&r' is an anchor", "write out in full")


def test_a_long_anchor_name_is_cut() -> None:
    name = "x" * 5000
    problem = one_problem(
        loads(change("title: Cloud governance", f"title: &{name} t")), Subtype.YAML_REFUSED, 8
    )
    assert "…" in problem.message


# --------------------------------------------------------------------------
# No message prints an unbounded key or value


@pytest.mark.parametrize(
    ("text", "subtype", "line"),
    [
        (add("k" * 1000 + ": 1"), Subtype.UNKNOWN_KEY, 12),  # YAML's longest key without "?"
        (GOOD + "k" * 1000 + ": 1\n", Subtype.UNKNOWN_KEY, 12),
        (add("? [" + ", ".join(["item"] * 20_000) + "]\n    : 1"), Subtype.STRUCTURE, 12),
        (change("working_group: cloud-2021", "working_group: " + "c" * 100_000), Subtype.UNKNOWN_GROUP, 9),
        (change("id: r1", "id: " + "R" * 100_000), Subtype.BAD_ID, 7),
        (change("title: Cloud governance", "title: " + "a: " * 50_000), Subtype.YAML_ERROR, 8),
        (change("title: Cloud governance", 'title: "x" ' + "y" * 100_000), Subtype.YAML_ERROR, 8),
        (change("title: Cloud governance", "title: !" + "t" * 100_000 + " x"), Subtype.YAML_ERROR, 8),
        (add("reference: R" + " #" + "c" * 100_000), Subtype.COMMENT_IN_VALUE, 12),
    ],
    ids=["key", "top key", "list key", "group", "id", "colon", "after quotes", "tag", "comment"],
)
def test_long_keys_and_values_are_cut_in_messages(text: str, subtype: Subtype, line: int) -> None:
    problem = one_problem(loads(text), subtype, line)
    assert "…" in problem.message


def test_a_long_id_is_cut_in_every_message_that_names_its_entry() -> None:
    ident = "r" * 100_000
    catalogue = loads(change("id: r1", f"id: {ident}").replace("    title: Cloud governance\n", ""))
    problem = one_problem(catalogue, Subtype.MISSING_FIELD, 7, "has no 'title'")
    assert len(problem.message) < 2 * SHOWN


# --------------------------------------------------------------------------
# Years, references and ids are read as written, never by YAML's number rules


@pytest.mark.parametrize(
    "written",
    [
        "02021",
        "2021.0",
        "0x7E5",
        "2_021",
        "+2021",
        "33:41",
        "2021-01-01",
        "²⁰²¹",
        "\uff12\uff10\uff12\uff11",
        "abc",
    ],
)
def test_a_year_is_four_digits_as_written(written: str) -> None:
    catalogue = loads(change("year: 2021", f"year: {written}"))
    problem = one_problem(catalogue, Subtype.YEAR_FORMAT, 4)
    assert problem.message == (
        f"year {written!r} of working group 'cloud-2021' must be written as four digits 0-9, such as 2021"
    )
    assert catalogue.groups == ()


def test_a_reports_year_is_read_as_written_too() -> None:
    catalogue = loads(add("year: 02022"))
    one_problem(catalogue, Subtype.YEAR_FORMAT, 12, "year '02022' of report 'r1'")
    assert catalogue.reports == ()


@pytest.mark.parametrize(("written", "year"), [("2022", 2022), ('"2022"', 2022), ("'1990'", 1990)])
def test_four_digits_make_a_year_quoted_or_not(written: str, year: int) -> None:
    catalogue = loads(add(f"year: {written}"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].year == year and isinstance(catalogue.reports[0].year, int)


@pytest.mark.parametrize("written", ["0", "20210", "-2021", "9" * 5000])
def test_a_whole_number_that_is_no_year_is_out_of_range(written: str) -> None:
    problem = one_problem(
        loads(change("year: 2021", f"year: {written}")), Subtype.BAD_YEAR, 4, "outside 1990-2100"
    )
    assert len(problem.message) <= 2 * SHOWN


@pytest.mark.parametrize(
    "written",
    ["012345", "0x1F", "12:30:00", "1e3", ".inf", "1_000", "2021-01-01", "2021-13-45", "0o17", "-0", "3.10"],
)
def test_a_reference_is_kept_as_written(written: str) -> None:
    catalogue = loads(add(f"reference: {written}"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].reference == written


def test_a_reference_with_a_comment_after_a_number_is_not_cut() -> None:
    catalogue = loads(add("reference: 012345 # the ISBN"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].reference == "012345"


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("012345", "the number 012345"), ("2021", "the number 2021"), ("10.5", "the number 10.5")],
)
def test_an_id_that_yaml_reads_as_a_number_is_refused_with_the_fix(written: str, read_as: str) -> None:
    catalogue = loads(change("id: r1", f"id: {written}"))
    problem = one_problem(catalogue, Subtype.WRONG_TYPE, 7)
    assert problem.message == (
        f"'id' of report {written!r} must be text, not {read_as}: YAML reads {written} as a number when "
        f'it is not in quotes; put it in quotes: id: "{written}"'
    )
    assert catalogue.reports == ()


def test_an_id_that_yaml_reads_as_true_or_false_is_refused_with_the_fix() -> None:
    problem = one_problem(loads(change("id: r1", "id: yes")), Subtype.WRONG_TYPE, 7)
    assert problem.message.endswith(
        "not true/false: YAML reads yes as true or false when it is not in quotes; "
        'put it in quotes: id: "yes"'
    )


def test_an_id_in_quotes_is_kept() -> None:
    catalogue = loads(change("id: r1", 'id: "012345"'))
    assert catalogue.problems == ()
    assert catalogue.reports[0].id == "012345"


def test_a_date_for_a_title_is_named_as_written() -> None:
    problem = one_problem(
        loads(change("title: Cloud governance", "title: 2021-01-01")), Subtype.WRONG_TYPE, 8
    )
    assert "not the date 2021-01-01: YAML reads 2021-01-01 as a date" in problem.message


# --------------------------------------------------------------------------
# Text every output can carry: no control characters, nothing invisible


@pytest.mark.parametrize(
    ("escape", "char"),
    [
        ("\\x01", "\x01"),
        ("\\e", "\x1b"),
        ("\\a", "\x07"),
        ("\\x7f", "\x7f"),
        ("\\x85", "\x85"),
        ("\\u202E", "\u202e"),
        ("\\u202A", "\u202a"),
        ("\\u2066", "\u2066"),
        ("\\u2069", "\u2069"),
        ("\\u200B", "\u200b"),
        ("\\u00AD", "\u00ad"),
        ("\\uFEFF", "\ufeff"),
        ("\\U000E0041", "\U000e0041"),
    ],
)
def test_a_control_character_in_a_title_is_named_with_its_position(escape: str, char: str) -> None:
    catalogue = loads(change("title: Cloud governance", f'title: "Cloud{escape}governance"'))
    problem = one_problem(catalogue, Subtype.CONTROL_CHARACTER, 8)
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    named = f"{code} {name}" if name else code
    assert problem.message.startswith(
        f"title of report 'r1' holds the control character {named} at character 6 ("
    )
    assert problem.message.endswith(
        "delete it (it may be invisible, pasted with the text, or written as an "
        "escape such as \\x1b in double quotes)"
    )
    assert char not in problem.message  # shown escaped
    assert catalogue.reports == ()  # left out, like any other wrong value


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("name: Cloud", 'name: "Cloud\\e[31m"', 3, "name of working group 'cloud-2021'"),
        ("summary: The cloud WG met.", 'summary: "\\u202Etxt.exe"', 5, "summary of working group"),
        ("working_group: cloud-2021", 'working_group: "cloud-2021\\a"', 9, "working_group of report 'r1'"),
        ("url: https://example.org/r1", 'url: "https://example.org/\\u2066r1"', 11, "url of report 'r1'"),
        ("url: https://example.org/r1", 'url: x\n    reference: "A\\x00B"', 12, "reference of report"),
        ("url: https://example.org/r1", 'url: x\n    tags: ["ok", "b\\x1bad"]', 12, "tags of report 'r1'"),
        ("url: https://example.org/r1", 'file: "r\\u202Efdp.exe"', 11, "file of report 'r1'"),
    ],
)
def test_a_control_character_in_any_text_value(old: str, new: str, line: int, field: str) -> None:
    catalogue = loads(change(old, new))
    problems = [p for p in catalogue.problems if p.subtype is Subtype.CONTROL_CHARACTER]
    assert [(p.line, field in p.message) for p in problems] == [(line, True)], catalogue.problems


def test_a_control_character_in_a_link_title() -> None:
    links = '    links:\n      - title: "Blog\\u202E"\n        url: https://example.org/blog\n'
    catalogue = loads(GOOD.replace("reports:\n", links + "reports:\n"))
    one_problem(
        catalogue, Subtype.CONTROL_CHARACTER, 7, "title of link of working group 'cloud-2021'", "U+202E"
    )
    assert catalogue.groups == ()


@pytest.mark.parametrize(
    "title",
    [
        "Cloud\tgovernance",  # a tab
        "Cloud\ngovernance",  # a line break
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 families",  # emoji joined by zero-width joiners
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a zero-width non-joiner
        "\u0d15\u0d4d\u200d\u0d15",  # Malayalam with a zero-width joiner
        "Caf\u00e9 \u00a0 \u6570\u5b57 \u0b9f\u0bbf",  # accents, a no-break space, Chinese, Tamil
    ],
)
def test_ordinary_white_space_and_joiners_inside_words_are_fine(title: str) -> None:
    quoted = title.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    catalogue = loads(change("title: Cloud governance", f'title: "{quoted}"'))
    assert catalogue.problems == ()


@pytest.mark.parametrize(
    "escape", ["\\u200B", "\\u3164", "\\u200C\\u200D", "\\u2060", "\\uFEFF", " \\u200B ", "\\u2800"]
)
def test_text_that_shows_nothing_is_empty(escape: str) -> None:
    catalogue = loads(change("title: Cloud governance", f'title: "{escape}"'))
    problem = one_problem(
        catalogue, Subtype.MISSING_FIELD, 8, "'title' of report 'r1' is empty: it holds nothing"
    )
    first = escape.strip().encode().decode("unicode_escape")[0]
    assert f"(U+{ord(first):04X} {unicodedata.name(first)}); write the text" in problem.message
    assert catalogue.reports == ()


def test_an_optional_field_that_shows_nothing_is_left_out_like_an_empty_one() -> None:
    catalogue = loads(add('reference: "\\u3164"'))
    assert catalogue.problems == ()
    assert catalogue.reports[0].reference is None


# --------------------------------------------------------------------------
# Tags are single words


@pytest.mark.parametrize(
    ("tags", "tag", "what", "fix"),
    [
        ("[digital identity]", "digital identity", "a space", "digital-identity"),
        ('["cloud,policy"]', "cloud,policy", "a comma", "cloud-policy"),
        ('["a\\u00a0b"]', "a\u00a0b", "a space", "a-b"),
    ],
)
def test_a_tag_with_a_space_or_comma_is_refused(tags: str, tag: str, what: str, fix: str) -> None:
    catalogue = loads(add(f"tags: {tags}"))
    problem = one_problem(catalogue, Subtype.BAD_TAG, 12)
    assert problem.message == (
        f"tag {tag!r} of report 'r1' holds {what}, so no :tag: filter can choose it (filters split on spaces "
        f"and commas): tags are single words such as digital-identity; write {fix!r}"
    )
    assert catalogue.reports == ()


def test_single_word_tags_are_fine() -> None:
    catalogue = loads(add("tags: [digital-identity, covid-19, ' cloud ']"))
    assert catalogue.problems == ()
    assert catalogue.reports[0].tags == ("digital-identity", "covid-19", "cloud")


# --------------------------------------------------------------------------
# Any scalar in these fields: no exception, only documented subtypes at real lines

FIELDS = {
    "id": "id: r1",
    "title": "title: Cloud governance",
    "working_group": "working_group: cloud-2021",
    "summary": "summary: Baseline policies.",
    "url": "url: https://example.org/r1",
    "year": "year: 2021",
    "name": "name: Cloud",
}
ADDED = ["reference", "tags", "file", "cover", "year"]


def written(text: str, style: str) -> str:
    """*text* as a YAML scalar: plain as it is, or in quotes with YAML's escapes."""
    if style == "plain":
        return text.replace("\n", " ")
    return (
        yaml.safe_dump(text, default_style=style, width=10_000, allow_unicode=True)
        .rstrip("\n")
        .removesuffix("\n...")
    )


scalars = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[+-]?[0-9_.:eExXoO-]{0,12}", fullmatch=True),  # what YAML's number rules read
    st.sampled_from(["02021", "0x1F", "12:30:00", "yes", "~", "null", "2021-01-01", ".nan", "\u3164", "a b"]),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    field=st.sampled_from([*FIELDS, *(f"+{name}" for name in ADDED)]),
    value=scalars,
    style=st.sampled_from(["plain", "'", '"']),
    as_list=st.booleans(),
)
def test_any_scalar_in_any_field_gives_only_documented_problems_at_real_lines(
    field: str, value: str, style: str, as_list: bool
) -> None:
    """Run once with each parser (the loader fixture): the parser stays the same for every example."""
    scalar = written(value, style)
    if field.startswith("+"):
        name = field[1:]
        text = add(f"{name}: [{scalar}]" if as_list or name == "tags" else f"{name}: {scalar}")
    else:
        text = change(FIELDS[field], f"{field}: {scalar}")
    catalogue = loads(text)
    last = text.count("\n") + 1
    for problem in catalogue.problems:
        assert isinstance(problem.subtype, Subtype)
        assert problem.line is not None and 1 <= problem.line <= last, (problem, text)
        assert "\n" not in problem.message and len(problem.message) <= LONGEST_MESSAGE
        assert "Traceback" not in problem.message
    for report in catalogue.reports:  # what loads is clean: years are years, text is printable
        assert isinstance(report.year, int) and 1990 <= report.year <= 2100
        for text_value in (report.title, report.summary, report.reference or "x", *report.tags):
            assert not invisible(text_value)
            assert all(
                c in "\t\n\r\u200c\u200d" or unicodedata.category(c) not in ("Cc", "Cf") for c in text_value
            )
    for group in catalogue.groups:
        assert isinstance(group.year, int) and 1990 <= group.year <= 2100
