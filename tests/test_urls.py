"""URLs show the host the browser will go to (:mod:`sphinx_dgx.weburl`): every url of the catalogue is
read as browsers read it (the WHATWG URL standard), refused with one located ``dgx.bad_url`` warning when
that reading could mislead, and shown on a card by the host the browser resolves."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_dgx.catalogue import loads
from sphinx_dgx.problems import Subtype
from sphinx_dgx.weburl import UrlError, WebAddress, parse, quote, shown_host
from support import parse_warnings, shared_build, soup, visible

URLS = shared_build("html", testroot="urls", freshenv=True)

GROUP = "working_groups:\n  - id: g\n    name: G\n    year: 2021\n    summary: S.\n"


def refused(url: str) -> str:
    """The reason *url* is refused (fails when it is accepted)."""
    with pytest.raises(UrlError) as caught:
        parse(url)
    assert str(caught.value) == f"{quote(url)} {caught.value.reason}"
    return caught.value.reason


# -- what the attacker found ---------------------------------------------------------------------


def test_a_backslash_before_the_at_sign_names_where_browsers_go():
    reason = refused("https://evil.example\\@www.tech.gov.sg/report")
    assert reason == (
        "has user information before its host ('evil.example\\'): browsers would go to evil.example, "
        "not www.tech.gov.sg; remove 'evil.example\\@' (everything between '//' and the host)"
    )


@pytest.mark.parametrize(
    ("url", "userinfo", "host"),
    [
        ("https://user@example.org/", "user", "example.org"),
        ("https://user:pass@example.org/", "user:pass", "example.org"),
        ("https://www.tech.gov.sg@evil.example/", "www.tech.gov.sg", "evil.example"),
        ("https://a@b@evil.example/", "a@b", "evil.example"),
    ],
)
def test_user_information_is_refused_naming_the_real_host(url, userinfo, host):
    assert refused(url) == (
        f"has user information before its host ('{userinfo}'): browsers would go to {host}; "
        f"remove '{userinfo}@' (everything between '//' and the host)"
    )


def test_an_at_sign_and_percent_codes_are_fine_in_the_path_only():
    assert parse("https://example.org/people/%40someone@x?from=a@b#c@d").host == "example.org"
    assert "has '%' in its host" in refused("https://evil.example%40www.tech.gov.sg/report")
    assert "has '%' in its host" in refused("https://ex%61mple.org/")


def test_a_backslash_before_the_path_is_refused_and_after_it_kept():
    assert refused("https://example.org\\evil.com/x") == (
        "has a backslash before its path, which browsers read as '/' (they would go to example.org): "
        "write '/' instead of '\\'"
    )
    assert parse("https://example.org/a\\b").url == "https://example.org/a\\b"


@pytest.mark.parametrize(
    ("url", "letter"),
    [
        ("https://www.t\u0435ch.gov.sg/report", "the Cyrillic '\u0435' (U+0435 CYRILLIC SMALL LETTER IE)"),
        ("https://g\u03bfogle.com/", "the Greek '\u03bf' (U+03BF GREEK SMALL LETTER OMICRON)"),
        ("https://xn--pple-43d.com/", "the Cyrillic '\u0430' (U+0430 CYRILLIC SMALL LETTER A)"),  # punycode
    ],
)
def test_a_host_part_that_mixes_scripts_is_refused(url, letter):
    reason = refused(url)
    assert f"mixes Latin letters with {letter}, as look-alike addresses do" in reason
    assert "type the letter again in Latin" in reason


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://\u044f\u043d\u0434\u0435\u043a\u0441.\u0440\u0444/", "яндекс.рф (xn--d1acpjx3f.xn--p1ai)"),
        ("https://日本語.jp/", "日本語.jp (xn--wgv71a119e.jp)"),
        ("https://ひらがなカタカナ漢字.jp/", "ひらがなカタカナ漢字.jp (xn--v8j0cwa6gzha3lrdr510cymwb.jp)"),
        ("https://aaa.\u03b5\u03bb/", "aaa.ελ (aaa.xn--qxam)"),
    ],
)
def test_one_script_per_part_is_shown_readable_and_in_punycode(url, shown):
    assert parse(url).shown == shown


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://[example.org/report", "has an invalid IPv6 address ('[example.org')"),
        ("http://[x", "has an invalid IPv6 address ('[x')"),
        ("https://[::1]x/", "has an invalid IPv6 address ('[::1]x')"),
        ("https://[fe80::1%25eth0]/", "has an invalid IPv6 address"),
        ("https://", "has no host"),
        ("https://:443/x", "has no host"),
        ("https://?q", "has no host"),
        ("https:", "has no host"),
        ("https://example.org:99999/", "has an invalid port ('99999')"),
        ("https://example.org:8o/", "has an invalid port ('8o')"),
        ("https://example.org:\u0668\u0660/", "has an invalid port"),  # Arabic-Indic digits
        ("https:example.org/x", "must have two slashes after 'https:', as in 'https://example.org/x'"),
        ("https:///example.org/x", "as in 'https://example.org/x'"),
        ("https:\\\\example.org/x", "as in 'https://example.org/x'"),
        ("https://exa mple.org/", "has a space after 'https://exa'"),
        ("https://example.org/annual report", "or write %20 where the address has a space"),
        ("https://example.org/\u00a0", "has a space character (U+00A0 NO-BREAK SPACE)"),
        ("https://example.org/\tx", "has a control character (U+0009, a tab)"),
        (
            "https://exam\u00adple.org/",
            "has an invisible character (U+00AD SOFT HYPHEN) after 'https://exam'",
        ),
        ("https://example.org/\u202egpj.exe", "(U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("https://127.1/", "browsers read as the IP address 127.0.0.1 ('127.1'): write 127.0.0.1"),
        ("https://0x7f.0.0.1/", "as the IP address 127.0.0.1"),
        ("https://2130706433/", "as the IP address 127.0.0.1"),
        ("https://example.123/", "ends in a number but is no IP address"),
        ("https://example..org/", "has an empty part between two dots"),
        ("https://ex!ample.org/", "has '!' in its host"),
        ("https://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0f.org/", "has '/' in its host"),
        ("https://xn--ls8h.la/", "which is no valid international name"),
        ("javascript:alert(1)", "must be an absolute address starting with https:// or http://"),
        ("ftp://example.org/x", "must be an absolute address starting with https:// or http://"),
        ("//example.org/r1", "write 'https://example.org/r1'"),
        ("www.example.org/r1", "write 'https://www.example.org/r1'"),
    ],
)
def test_each_bad_url_says_what_to_write(url, fragment):
    assert fragment in refused(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.tech.gov.sg/report", ("https", "www.tech.gov.sg", "https://www.tech.gov.sg/report")),
        ("HTTPS://Example.ORG:443/A?B#C", ("https", "example.org", "https://example.org/A?B#C")),
        ("http://example.org:8080", ("http", "example.org", "http://example.org:8080/")),
        ("https://Bücher.example/x", ("https", "xn--bcher-kva.example", "https://xn--bcher-kva.example/x")),
        (
            "https://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com/",
            ("https", "example.com", "https://example.com/"),
        ),
        ("https://[2001:DB8:0:0:0:0:0:1]:8443/x", ("https", "[2001:db8::1]", "https://[2001:db8::1]:8443/x")),
        ("https://[::ffff:192.0.2.1]/", ("https", "[::ffff:c000:201]", "https://[::ffff:c000:201]/")),
        ("https://192.0.2.1/", ("https", "192.0.2.1", "https://192.0.2.1/")),
        ("https://example.org./", ("https", "example.org.", "https://example.org./")),
        (
            "https://r3---sn-abc.example.com/",
            ("https", "r3---sn-abc.example.com", "https://r3---sn-abc.example.com/"),
        ),
    ],
)
def test_good_urls_are_read_as_browsers_read_them(url, expected):
    address = parse(url)
    assert (address.scheme, address.host, address.url) == expected


def test_the_value_is_frozen_and_shows_an_ascii_host_once():
    address = parse("https://example.org/")
    assert address == WebAddress("https", "example.org", "example.org", "https://example.org/")
    assert address.shown == "example.org"
    assert parse("https://bücher.example/").shown == "bücher.example (xn--bcher-kva.example)"
    with pytest.raises(AttributeError):
        address.host = "evil.example"  # type: ignore[misc]
    assert shown_host("https://bücher.example/x") == "bücher.example (xn--bcher-kva.example)"
    assert shown_host(None) == "an address that is not valid"  # never "None"


# -- the catalogue: one located dgx.bad_url per bad url ------------------------------------------


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://evil.example\\@www.tech.gov.sg/report", "browsers would go to evil.example"),
        ("https://www.t\u0435ch.gov.sg/report", "mixes Latin letters with the Cyrillic"),
        ("https://[example.org/x", "has an invalid IPv6 address"),
        ("https://", "has no host"),
    ],
)
def test_the_catalogue_reports_a_bad_url_at_its_line(url, fragment):
    text = (
        GROUP
        + f"reports:\n  - id: r\n    title: T\n    working_group: g\n    summary: S.\n    url: '{url}'\n"
    )
    catalogue = loads(text)
    assert [(p.subtype, p.line) for p in catalogue.problems] == [(Subtype.BAD_URL, 11)]
    assert catalogue.problems[0].message.startswith(f"url {quote(url)} of report 'r' ")
    assert fragment in catalogue.problems[0].message
    assert catalogue.reports == ()


def test_a_group_link_is_read_by_the_same_rules():
    text = GROUP + "    links:\n      - title: T\n        url: https://www.tech.gov.sg@evil.example/\n"
    problem = loads(text).problems[0]
    assert (problem.subtype, problem.line) == (Subtype.BAD_URL, 8)
    assert problem.message.startswith("url 'https://www.tech.gov.sg@evil.example/' of working group 'g' has")


# -- fuzz: any text, only UrlError; accepted urls agree with urllib and a browser's reading ---------

URLISH = "/\\@:?#%[].-_ 0a1\tZ\u0435\u00fc\u3002\uff0e\u200b"


@given(st.text())
def test_any_text_is_accepted_or_refused_with_url_error(text):
    try:
        parse(text)
    except UrlError as error:
        assert error.reason and str(error)


@given(st.text(alphabet=URLISH).map(lambda rest: "https://" + rest))
def test_any_url_like_text_is_accepted_or_refused_with_url_error(text):
    try:
        parse(text)
    except UrlError as error:
        assert error.reason


def browser_host(url: str) -> str:
    """A browser's reading of the host, written apart from the parser (WHATWG, special schemes): any
    slashes and backslashes after the scheme skipped, the authority ended by / \\ ? #, user information
    up to the last @, the port after the first colon outside brackets, then IDNA (UTS 46)."""
    rest = url.partition(":")[2].lstrip("/\\")
    authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        return str(ipaddress.IPv6Address(hostport[1 : hostport.index("]")]))
    return to_ascii(hostport.partition(":")[0])


def to_ascii(host: str) -> str:
    """UTS 46 as browsers apply it (no check of hyphens in ASCII labels), label by label."""
    mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    return ".".join(label if label.isascii() else idna.alabel(label).decode() for label in mapped.split("."))


def urllib_host(url: str) -> str:
    """``urllib.parse``'s reading of the host (RFC 3986), in the same form."""
    host = urlsplit(url).hostname or ""
    if ":" in host:
        return str(ipaddress.IPv6Address(host))
    return to_ascii(host)


def same_form(host: str) -> str:
    return str(ipaddress.IPv6Address(host[1:-1])) if host.startswith("[") else host


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?", fullmatch=True).filter(
    lambda label: not label.startswith("xn--")  # punycode is tested apart
)
scripts = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyzàáâäçèéêëìíîïñòóôöùúûüýÿß",
        "абвгдежзийклмнопрстуфхцчшщыэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "日本語漢字中文",
    ]
)
idn_labels = scripts.flatmap(lambda letters: st.text(alphabet=letters, min_size=1, max_size=12))
tlds = st.from_regex(r"[a-z]{2,6}", fullmatch=True)


@st.composite
def good_urls(draw) -> str:
    if draw(st.booleans()):
        host = "[" + str(draw(st.ip_addresses(v=6))) + "]"
    else:
        parts = [*draw(st.lists(st.one_of(labels, idn_labels), min_size=1, max_size=3)), draw(tlds)]
        host = ".".join(parts)
    port = draw(st.sampled_from(["", ":8080", ":443", ":0"]))
    tail = draw(st.text(alphabet="abc/?#@%:\\=&._~-", max_size=20))
    return f"{draw(st.sampled_from(['http', 'https', 'HTTPS']))}://{host}{port}/{tail}"


@given(good_urls())
def test_good_urls_show_the_host_urllib_and_browsers_read(url):
    address = parse(url)
    assert same_form(address.host) == urllib_host(url) == browser_host(url)
    written = urlsplit(url).hostname or ""
    if ":" in written:  # IPv6
        assert address.readable == address.host
    else:
        assert address.readable == idna.uts46_remap(written, std3_rules=False, transitional=False)


pieces = st.tuples(
    st.sampled_from(["https", "http", "HTTP", "ftp", "javascript", ""]),
    st.sampled_from(["://", ":", ":/", ":///", ":\\\\", "://\\", ":/\\"]),
    st.sampled_from(["", "user@", "u:p@", "evil.example\\@", "a@b@", "%40@", "@", "evil.example%40"]),
    st.one_of(
        labels,
        idn_labels,
        st.sampled_from(
            [
                "[::1]",
                "[x",
                "127.1",
                "0x7f.0.0.1",
                "ex%61mple.org",
                "",
                "t\u0435ch.gov.sg",
                "\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
                "example.org.",
                "exa mple.org",
                "bücher.example",
            ]
        ),
    ),
    st.sampled_from(["", ":", ":80", ":443", ":65536", ":8a", ":0"]),
    st.text(alphabet="/\\@?#%:.a1", max_size=10),
)


@given(pieces)
def test_whatever_is_accepted_goes_where_it_shows(parts):
    """The security property: when the parser accepts a url, urllib, a browser and the card agree."""
    url = "".join(parts)
    try:
        address = parse(url)
    except UrlError:
        return
    assert address.scheme in ("http", "https")
    assert same_form(address.host) == urllib_host(url) == browser_host(url)


# -- the build: cards and links show the host, each bad url is one located warning ----------------


@URLS
def test_each_bad_url_is_one_located_warning_without_a_traceback(app, warning):
    app.build()
    found = parse_warnings(warning)
    assert sorted((w.file, w.line, w.subtype) for w in found) == [
        ("catalogue.yaml", line, "bad_url") for line in (15, 31, 36, 41, 46, 51, 56)
    ]
    assert "Traceback" not in warning.getvalue()
    by_line = {w.line: w.message for w in found}
    assert by_line[31] == (
        "url 'https://evil.example\\@www.tech.gov.sg/report' of report 'backslash' has user information "
        "before its host ('evil.example\\'): browsers would go to evil.example, not www.tech.gov.sg; "
        "remove 'evil.example\\@' (everything between '//' and the host)"
    )
    assert by_line[15].startswith(
        "url 'https://www.tech.gov.sg@evil.example/' of working group 'tricked-2021' has user information"
    )


@URLS
def test_an_international_host_is_shown_readable_and_in_punycode(app):
    app.build()
    card = soup(app).select_one("#dgx-report-idn")
    assert visible(card.select_one(".dgx-meta")) == "Web page at bücher.example (xn--bcher-kva.example)"
    link = card.select_one(".dgx-heading a")
    name = re.sub(r"\s+", " ", link.get_text()).strip()
    assert name == "Books, web page at bücher.example (xn--bcher-kva.example) (opens in a new tab)"
    assert parse(link["href"]).host == "xn--bcher-kva.example"


@URLS
def test_only_good_urls_reach_the_page(app):
    app.build()
    page = soup(app)
    cards = {card["id"].removeprefix("dgx-report-") for card in page.select(".dgx-report-card")}
    assert cards == {"idn", "plain"}
    assert visible(page.select_one("#dgx-report-plain .dgx-meta")) == "Web page at www.tech.gov.sg"
    hrefs = [a["href"] for a in page.select("a[href^='http']") if "example.org/urls" not in a["href"]]
    assert "evil.example" not in " ".join(hrefs)
    assert "None" not in page.get_text()
