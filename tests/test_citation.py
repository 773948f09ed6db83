"""How a report is cited: the formatted citation, BibTeX, RIS, CSL-JSON, Highwire tags and schema.org.

Each format is read back by a reader of its own here (a brace-counting BibTeX reader that turns
LaTeX's escapes back into text, RIS line by line, ``json.loads``, an HTML parser for the tags and
the ``<script>``), so hostile text must keep every format well-formed and come back as the text the
reader sees.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from sphinx_dgx.catalogue import Report, WorkingGroup
from sphinx_dgx.citation import (
    Citable,
    bibtex,
    citable,
    csl_json,
    formatted,
    highwire,
    ris,
    schema_report,
)
from sphinx_dgx.feeds import script_json
from support import REPO, require, require_tools, soup

PAGE = "https://example.org/site/reports/cloud-2021.html"
PDF = "https://example.org/site/files/Cloud%20Report%202021.pdf"
GROUP = WorkingGroup(id="cloud-2021", name="Cloud WG", year=2021, summary="Cloud.", line=3)
REPORT = Report(
    id="cloud-2021",
    title="Cloud governance",
    group="cloud-2021",
    year=2021,
    summary="Baseline policies for cloud services.",
    line=9,
    file="Cloud Report 2021.pdf",
    reference="DGX/CL/2021-07",
)
ORDINARY = citable(REPORT, GROUP, "Digital Government Exchange", PAGE, PDF, 24)

# (what, as written, as a reader sees it): one line, controls gone, white space runs one space
HOSTILE = [
    ("braces", "{Cloud} }, note = {owned} {", "{Cloud} }, note = {owned} {"),
    ("backslash", r"C:\new \end{document} \input{x}", r"C:\new \end{document} \input{x}"),
    (
        "tex specials",
        "100% & #1 $5 a_b c^d ~e <f> g|h @i --- ,,j `k' ``l''",
        "100% & #1 $5 a_b c^d ~e <f> g|h @i --- ,,j `k' ``l''",
    ),
    ("lines", "first\nER  - \nTY  - JOUR\r\nlast\u2028x", "first ER - TY - JOUR last x"),
    (
        "markup",
        "</script><script>alert(1)</script><!-- \"q\" 'a'",
        "</script><script>alert(1)</script><!-- \"q\" 'a'",
    ),
    (
        "controls",
        "bell\x07 esc\x1b[31m nul\x00 del\x7f nel\x85 bidi\u202eevil\ufeff",
        "bell esc[31m nul del nel bidievil",
    ),
    (
        "emoji",
        "family \U0001f468\u200d\U0001f469\u200d\U0001f467 cloud \u2601\ufe0f",
        "family \U0001f468\u200d\U0001f469\u200d\U0001f467 cloud \u2601\ufe0f",
    ),
    ("arabic", "تقرير الحوكمة السحابية", "تقرير الحوكمة السحابية"),
]
FIELDS = ("title", "publisher", "group", "summary", "reference")
# the characters that matter to one format or another, mixed into arbitrary text
SPECIAL = [
    *"{}\\%&#$_^~<>|\"'`@,=-\n\r\t\x00\x1b\x7f\x85\u2028\u202e\u200d\ufeff ",
    "ER  - ",
    "</script",
    "<!--",
]
anything = st.lists(st.sampled_from(SPECIAL) | st.characters(exclude_categories=[]), max_size=40).map("".join)
# text without control or format characters: what comes back is it with its white space folded
seen = st.lists(
    st.sampled_from([*"{}\\%&#$_^~<>|\"'`@,=- \n\t", "\u2028", "ER  - ", "</script"])
    | st.characters(exclude_categories=["Cc", "Cf", "Cs"]),
    max_size=40,
).map("".join)


def folded(text: str) -> str:
    return " ".join(text.split())


# -- readers -----------------------------------------------------------------------------------------

BIB_ENTRY = re.compile(r"@(\w+)\{([A-Za-z0-9_.:-]+),\n")
BIB_FIELD = re.compile(r"  ([a-z]+) = \{")
LATEX = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    r"\textless{}": "<",
    r"\textgreater{}": ">",
    r"\textbar{}": "|",
    r"\textquotedbl{}": '"',
    r"\textquotesingle{}": "'",
    r"\textasciigrave{}": "`",
    **{f"\\{char}": char for char in "%&#$_"},
    "{}": "",
}
LATEX_TOKEN = re.compile("|".join(map(re.escape, sorted(LATEX, key=len, reverse=True))) + r"|[\\{}]")


def read_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """The type, key and raw fields of one entry, counting braces as BibTeX does (``\\{`` too)."""
    head = BIB_ENTRY.match(text)
    assert head, text
    fields: dict[str, str] = {}
    position = head.end()
    while True:
        field = BIB_FIELD.match(text, position)
        assert field, text[position:]
        depth, end = 1, field.end()
        while depth:
            assert end < len(text), f"unbalanced braces: {text}"
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        assert field.group(1) not in fields
        assert "\n" not in text[field.end() : end - 1], "a value is one line"
        fields[field.group(1)] = text[field.end() : end - 1]
        if not text.startswith(",\n", end):
            break
        position = end + 2
    assert text[end:] == "\n}\n", text[end:]
    return head.group(1), head.group(2), fields


def latex_text(value: str) -> str:
    """What LaTeX prints for a value that only uses the escapes of a BibTeX field; fails on any other."""

    def token(match: re.Match[str]) -> str:
        assert match.group() in LATEX, f"stray {match.group()!r} in {value!r}"
        return LATEX[match.group()]

    return LATEX_TOKEN.sub(token, value)


def protected(value: str) -> str:
    """The text of a value in braces of its own (title, institution as author): one plain group."""
    assert value.startswith("{") and value.endswith("}"), value
    inner = value[1:-1]
    depth = 0
    for char in inner:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, f"the group closes early: {value!r}"
    assert not inner.startswith("\\"), "a group starting with a command is a BibTeX 'special character'"
    return latex_text(inner)


def read_ris(text: str) -> list[tuple[str, str]]:
    """The tags of one RIS record: CRLF lines, ``TY`` first, ``ER`` last and only there."""
    assert (
        text.endswith("\r\n")
        and "\n" not in text.replace("\r\n", "")
        and "\r" not in text.replace("\r\n", "")
    )
    lines = text[:-2].split("\r\n")
    tags = []
    for line in lines:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        tags.append((match.group(1), match.group(2)))
    assert tags[0] == ("TY", "RPRT") and tags[-1] == ("ER", "")
    assert [tag for tag, _ in tags].count("ER") == 1 and [tag for tag, _ in tags].count("TY") == 1
    return tags[1:-1]


def read_meta(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs as an HTML parser reads them back from ``<meta>`` tags written with ``html.escape``."""
    html = "".join(
        f'<meta name="{escape(n, quote=True)}" content="{escape(v, quote=True)}">' for n, v in pairs
    )
    page = soup(f"<html><head>{html}</head><body><p>after</p></body></html>")
    assert page.select_one("body p").get_text() == "after"
    return [(meta["name"], meta["content"]) for meta in page.find_all("meta")]


def read_script(document: dict) -> dict:
    """The JSON-LD as a browser reads it back from ``<script>``, written with :func:`feeds.script_json`."""
    data = script_json(document)
    assert "</script" not in data.lower() and "<!--" not in data
    script = f'<script type="application/ld+json">{data}</script>'
    page = soup(f"<html><head>{script}</head><body><p>after</p></body></html>")
    (script,) = page.find_all("script")
    assert page.select_one("body p").get_text() == "after"
    return json.loads(script.string)


def read_back(c: Citable) -> dict[str, dict[str, str | None]]:
    """Per format, the text of each field as its reader gets it (None: not there)."""
    kind, _, bib = read_bibtex(bibtex(c))
    assert kind == "techreport"
    if "author" in bib:
        assert latex_text(bib["institution"]) == protected(bib["author"])
    tags = dict(read_ris(ris(c)))
    assert tags.get("AU") == tags.get("PB")
    (item,) = json.loads(csl_json(c))
    if item.get("author"):
        assert item["author"] == [{"literal": item["publisher"]}]
    meta = dict(read_meta(highwire(c)))
    schema = read_script(schema_report(c))
    assert schema == schema_report(c)
    formats = {
        "bibtex": {
            "title": protected(bib["title"]) if "title" in bib else None,
            "publisher": protected(bib["author"]) if "author" in bib else None,
            "kind": latex_text(bib["type"]),
            "summary": latex_text(bib["abstract"]) if "abstract" in bib else None,
            "reference": latex_text(bib["number"]) if "number" in bib else None,
        },
        "ris": {"title": tags.get("TI"), "publisher": tags.get("AU"), "kind": tags.get("M3")}
        | {"summary": tags.get("AB"), "reference": tags.get("SN")},
        "csl": {"title": item.get("title"), "publisher": item.get("publisher"), "kind": item.get("genre")}
        | {"summary": item.get("abstract"), "reference": item.get("number")},
        "highwire": {"title": meta.get("citation_title"), "publisher": meta.get("citation_author")}
        | {"reference": meta.get("citation_technical_report_number")},
        "schema": {"title": schema["name"], "publisher": schema["author"]["name"]}
        | {"group": schema.get("contributor", {}).get("name"), "summary": schema.get("abstract")}
        | {"reference": schema.get("reportNumber")},
    }
    return {name: {key: value or None for key, value in fields.items()} for name, fields in formats.items()}


def expected(title: str, publisher: str, group: str, summary: str, reference: str | None) -> dict:
    """What every reader should get back, from the texts as written."""
    group = folded(group)
    texts = {
        "title": folded(title),
        "publisher": folded(publisher),
        "group": group,
        "kind": f"{group} report" if group else "Report",
        "summary": folded(summary),
        "reference": folded(reference) if reference is not None else None,
    }
    return {key: value or None for key, value in texts.items()}


def assert_carried(c: Citable, wanted: dict) -> None:
    for name, fields in read_back(c).items():
        assert fields == {key: wanted[key] for key in fields}, name
    line = formatted(c)
    assert "\n" not in line and "\r" not in line
    for key in ("title", "publisher", "reference"):
        assert wanted[key] is None or wanted[key] in line


def hostile(field: str, text: str) -> Citable:
    return dataclasses.replace(ORDINARY, **{field: text})


# -- the citable -------------------------------------------------------------------------------------


def test_citable_is_made_of_the_report_and_its_group():
    assert ORDINARY == Citable(
        id="cloud-2021",
        title="Cloud governance",
        publisher="Digital Government Exchange",
        group="Cloud WG",
        year=2021,
        page_url=PAGE,
        pdf_url=PDF,
        summary="Baseline policies for cloud services.",
        reference="DGX/CL/2021-07",
        language="en",
        pages=24,
        date_modified=None,
    )


def test_citable_refuses_a_group_that_is_not_the_reports():
    other = dataclasses.replace(GROUP, id="identity-2022")
    with pytest.raises(ValueError, match="identity-2022"):
        citable(REPORT, other, "DGX", PAGE, PDF)


@pytest.mark.parametrize("change", [{"year": "2021"}, {"year": True}, {"pages": 2.0}])
def test_citable_refuses_numbers_that_are_not_numbers(change):
    with pytest.raises(TypeError):
        dataclasses.replace(ORDINARY, **change)


def test_a_reference_that_shows_nothing_is_none():
    assert dataclasses.replace(ORDINARY, reference=" \n\x00\u200b\t").reference is None
    assert dataclasses.replace(ORDINARY, reference=" A\n1 ").reference == "A 1"


# -- each format, for an ordinary report ---------------------------------------------------------------


def test_formatted_is_apa_for_a_report_by_an_institution():
    assert formatted(ORDINARY) == (
        "Digital Government Exchange. (2021). Cloud governance (Cloud WG report DGX/CL/2021-07). " + PAGE
    )
    plain = dataclasses.replace(ORDINARY, reference=None, publisher="Acme Inc.", title="Why clouds?")
    assert formatted(plain) == f"Acme Inc. (2021). Why clouds? (Cloud WG report). {PAGE}"


def test_formatted_with_a_site_relative_page():
    relative = dataclasses.replace(ORDINARY, page_url="reports/cloud-2021.html")
    assert formatted(relative).endswith(" reports/cloud-2021.html")


def test_bibtex_of_an_ordinary_report():
    kind, key, fields = read_bibtex(bibtex(ORDINARY))
    assert (kind, key) == ("techreport", "cloud-2021")
    assert fields == {
        "author": "{Digital Government Exchange}",
        "title": "{Cloud governance}",
        "institution": "Digital Government Exchange",
        "type": "Cloud WG report",
        "number": "DGX/CL/2021-07",
        "year": "2021",
        "url": PAGE,
        "abstract": "Baseline policies for cloud services.",
        "pagetotal": "24",
        "langid": "english",
    }


def test_bibtex_leaves_out_what_the_report_does_not_have():
    _, _, fields = read_bibtex(
        bibtex(dataclasses.replace(ORDINARY, reference=None, pages=None, language="xx"))
    )
    assert {"number", "pagetotal", "langid"}.isdisjoint(fields)


@pytest.mark.parametrize(
    ("ident", "key"),
    [("cloud-2021", "cloud-2021"), ("Ünïcode id/1", "Unicode-id-1"), ("{a}, b=c", "a-b-c"), ("😀", "report")],
)
def test_bibtex_key_is_ascii_from_the_id(ident, key):
    _, found, _ = read_bibtex(bibtex(dataclasses.replace(ORDINARY, id=ident)))
    assert found == key
    assert dict(read_ris(ris(dataclasses.replace(ORDINARY, id=ident))))["ID"] == key


def test_ris_of_an_ordinary_report():
    text = ris(ORDINARY)
    assert text.startswith("TY  - RPRT\r\n") and text.endswith("\r\nER  - \r\n")
    assert read_ris(text) == [
        ("ID", "cloud-2021"),
        ("AU", "Digital Government Exchange"),
        ("TI", "Cloud governance"),
        ("PY", "2021"),
        ("PB", "Digital Government Exchange"),
        ("M3", "Cloud WG report"),
        ("SN", "DGX/CL/2021-07"),
        ("UR", PAGE),
        ("L1", PDF),
        ("AB", "Baseline policies for cloud services."),
        ("LA", "en"),
    ]


def test_ris_without_a_file_or_reference_has_no_tag_for_them():
    tags = dict(read_ris(ris(dataclasses.replace(ORDINARY, pdf_url=None, reference=None))))
    assert "L1" not in tags and "SN" not in tags and tags["UR"] == PAGE


def test_csl_json_of_an_ordinary_report():
    assert json.loads(csl_json(ORDINARY)) == [
        {
            "id": "cloud-2021",
            "type": "report",
            "title": "Cloud governance",
            "author": [{"literal": "Digital Government Exchange"}],
            "issued": {"date-parts": [[2021]]},
            "publisher": "Digital Government Exchange",
            "genre": "Cloud WG report",
            "number": "DGX/CL/2021-07",
            "URL": PAGE,
            "abstract": "Baseline policies for cloud services.",
            "language": "en",
            "number-of-pages": 24,
        }
    ]


def test_highwire_of_an_ordinary_report():
    assert highwire(ORDINARY) == [
        ("citation_title", "Cloud governance"),
        ("citation_author", "Digital Government Exchange"),
        ("citation_publication_date", "2021"),
        ("citation_pdf_url", PDF),
        ("citation_public_url", PAGE),
        ("citation_publisher", "Digital Government Exchange"),
        ("citation_technical_report_institution", "Digital Government Exchange"),
        ("citation_technical_report_number", "DGX/CL/2021-07"),
        ("citation_language", "en"),
    ]
    names = [name for name, _ in highwire(dataclasses.replace(ORDINARY, reference=None, pdf_url=None))]
    assert "citation_technical_report_number" not in names and "citation_pdf_url" not in names


def test_schema_report_of_an_ordinary_report():
    institution = {"@type": "Organization", "name": "Digital Government Exchange"}
    assert schema_report(dataclasses.replace(ORDINARY, date_modified="2022-03-01")) == {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": "Cloud governance",
        "author": institution,
        "publisher": institution,
        "contributor": {"@type": "Organization", "name": "Cloud WG"},
        "datePublished": "2021",
        "dateModified": "2022-03-01",
        "url": PAGE,
        "reportNumber": "DGX/CL/2021-07",
        "inLanguage": "en",
        "abstract": "Baseline policies for cloud services.",
        "numberOfPages": 24,
        "encoding": {"@type": "MediaObject", "contentUrl": PDF, "encodingFormat": "application/pdf"},
    }
    assert "encoding" not in schema_report(dataclasses.replace(ORDINARY, pdf_url=None))


def test_every_reader_gets_the_ordinary_report_back():
    assert_carried(
        ORDINARY,
        expected(REPORT.title, "Digital Government Exchange", "Cloud WG", REPORT.summary, REPORT.reference),
    )


# -- hostile text --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("what", "text", "shown"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_text_keeps_every_format_whole(field, what, text, shown):
    c = hostile(field, text)
    assert getattr(c, field) == shown
    texts = {"title": REPORT.title, "publisher": "Digital Government Exchange", "group": "Cloud WG"}
    texts |= {"summary": REPORT.summary, "reference": REPORT.reference, field: shown}
    assert_carried(c, expected(**texts))


@pytest.mark.parametrize(("what", "text", "shown"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_text_in_every_field_at_once(what, text, shown):
    c = Citable(text, text, text, text, 2021, PAGE, PDF, text, text, pages=1)
    assert_carried(c, expected(shown, shown, shown, shown, shown))


def test_csl_json_holds_no_markup_characters():
    text = csl_json(hostile("title", "</script><!-- a & b >"))
    assert not set("<>&") & set(text)
    assert json.loads(text)[0]["title"] == "</script><!-- a & b >"


def test_urls_are_percent_encoded_where_a_url_must_be():
    c = dataclasses.replace(
        ORDINARY, page_url=' https://example.org/a b/{x}"<y>\n\tzé#f ', pdf_url="files/Cloud%20Report.pdf"
    )
    page = "https://example.org/a%20b/%7Bx%7D%22%3Cy%3Ez%C3%A9#f"
    assert c.page_url == page and c.pdf_url == "files/Cloud%20Report.pdf"
    assert read_bibtex(bibtex(c))[2]["url"] == page
    tags = dict(read_ris(ris(c)))
    assert (tags["UR"], tags["L1"]) == (page, "files/Cloud%20Report.pdf")
    assert json.loads(csl_json(c))[0]["URL"] == page
    assert dict(read_meta(highwire(c)))["citation_public_url"] == page
    assert read_script(schema_report(c))["url"] == page


def test_a_title_that_starts_with_a_special_character_keeps_its_case():
    _, _, fields = read_bibtex(bibtex(hostile("title", "%CPU Or {GPU}")))
    assert fields["title"] == r"{{}\%CPU Or \textbraceleft{}GPU\textbraceright{}}"
    assert protected(fields["title"]) == "%CPU Or {GPU}"


# -- determinism ----------------------------------------------------------------------------------------


def outputs(c: Citable) -> tuple:
    return formatted(c), bibtex(c), ris(c), csl_json(c), highwire(c), json.dumps(schema_report(c))


def test_the_same_report_gives_the_same_text():
    again = citable(REPORT, GROUP, "Digital Government Exchange", PAGE, PDF, 24)
    assert outputs(again) == outputs(ORDINARY)


def sorted_everywhere(value) -> bool:
    if isinstance(value, dict):
        return list(value) == sorted(value) and all(map(sorted_everywhere, value.values()))
    if isinstance(value, list):
        return all(map(sorted_everywhere, value))
    return True


def test_csl_json_keys_are_sorted():
    assert sorted_everywhere(json.loads(csl_json(ORDINARY)))
    assert csl_json(ORDINARY).endswith("}\n]\n")


def test_outputs_do_not_depend_on_the_hash_seed():
    program = (
        "import json\nfrom sphinx_dgx.citation import *\n"
        "c = Citable('a', 'T é', 'P', 'G', 2020, 'u', 'p', 's', 'r', pages=3, date_modified='2021-01-01')\n"
        "print(json.dumps([formatted(c), bibtex(c), ris(c), csl_json(c), highwire(c), schema_report(c)]))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            cwd=REPO,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(runs) == 1


def test_the_module_imports_no_sphinx():
    program = (
        "import sys\nfor name in ('sphinx', 'docutils'):\n    sys.modules[name] = None\n"
        "import sphinx_dgx.citation\nprint('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO)
    assert run.stdout == "ok\n", run.stderr


# -- properties --------------------------------------------------------------------------------------------


@given(
    ident=anything, title=anything, publisher=anything, group=anything, summary=anything, reference=anything
)
def test_any_text_keeps_every_format_well_formed(ident, title, publisher, group, summary, reference):
    c = Citable(ident, title, publisher, group, 2021, f"https://example.org/{title}", PDF, summary, reference)
    read_back(c)  # each reader asserts its format's structure
    for text in outputs(c)[:4]:
        text.encode("utf-8")  # no lone surrogate
        assert not re.search(
            "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]", text
        )


@given(title=seen, publisher=seen, group=seen, summary=seen, reference=seen)
def test_visible_text_comes_back_from_every_format(title, publisher, group, summary, reference):
    c = Citable("r", title, publisher, group, 2021, PAGE, PDF, summary, reference)
    assert_carried(c, expected(title, publisher, group, summary, reference))


# -- the real tools ------------------------------------------------------------------------------------------


def run_bibtex(tmp_path, c: Citable, style: str = "plain") -> str:
    (tmp_path / "refs.bib").write_text(bibtex(c), encoding="utf-8")
    (tmp_path / "cite.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n")
    run = subprocess.run(["bibtex", "cite"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "Warning" not in run.stdout, run.stdout
    return (tmp_path / "cite.bbl").read_text(encoding="utf-8")


def test_bibtex_reads_hostile_entries_without_a_warning(tmp_path):
    require_tools("bibtex")
    for index, (what, text, shown) in enumerate(HOSTILE):
        folder = tmp_path / str(index)
        folder.mkdir()
        bbl = run_bibtex(folder, Citable("r", text, text, text, 2021, PAGE, PDF, text, text))
        if what in ("emoji", "arabic"):
            assert shown in bbl, what


@pytest.mark.slow
def test_latex_prints_the_hostile_title_as_written(tmp_path):
    require_tools("bibtex", "pdflatex", "kpsewhich")
    require([] if subprocess.run(["kpsewhich", "lmodern.sty"], capture_output=True).stdout else ["lmodern"])
    texts = [text for what, text, _ in HOSTILE if what not in ("emoji", "arabic")]
    c = Citable("r", " ".join(texts), "Inst {A} & B_C", "G%1 WG", 2021, PAGE, PDF, "s", "R#1")
    document = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}\n"
        "\\begin{document}\\nocite{*}\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n"
    )
    (tmp_path / "cite.tex").write_text(document)
    latex = [shutil.which("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "cite"]
    run_bibtex(tmp_path, c)
    subprocess.run(latex, cwd=tmp_path, capture_output=True, check=True)
    printed = re.sub(r"\s+", "", PdfReader(tmp_path / "cite.pdf").pages[0].extract_text())
    for text in (c.title, c.publisher, c.kind, c.reference):
        assert re.sub(r"\s+", "", text) in printed, text
