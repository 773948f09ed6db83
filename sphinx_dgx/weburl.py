"""Web addresses read as browsers read them: the one parser of every url of the catalogue.

This module imports no Sphinx. :func:`parse` reads a report's ``url`` or a link's ``url`` into a
:class:`WebAddress`, or raises :class:`UrlError` with a reason written for an editor. It follows what
browsers do (the WHATWG URL standard) where that differs from ``urllib.parse`` (RFC 3986): a backslash
ends the host, everything before the last ``@`` is user information, a host is percent-decoded,
mapped by IDNA (UTS 46) and read as an IPv4 address when it ends in a number. A url is accepted only
when that reading leaves no doubt about the host: the host a reader is shown is the host the browser
goes to. An international host is shown in its readable form and its ASCII (punycode) form, and a host
whose parts mix scripts (a Cyrillic letter among Latin ones) is refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import idna

SCHEMES = {"http": 80, "https": 443}
"""The schemes a url may have, and their default ports."""

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LABEL = re.compile(r"[a-z0-9_-]+")
_NOT_LABEL = re.compile(r"[^a-z0-9_-]")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})
_CONTROLS = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}
_ABSOLUTE = "must be an absolute address starting with https:// or http://"
_NO_HOST = f"has no host: a url {_ABSOLUTE} and then the site's name, as in https://www.example.org/report"
_IPV6 = (
    "has an invalid IPv6 address ({}): a url {} and then the site's name, or a whole IPv6 address "
    "in brackets such as https://[2001:db8::1]/"
)
_RETYPE = "copy the address from the browser's address bar on the site itself"
_SCRIPT_NAMES = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "KATAKANA-HIRAGANA": "Katakana",
    "ARABIC-INDIC": "Arabic",
}
"""Scripts whose letters' Unicode names do not start with the script's name."""
_MIXES = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)
"""Scripts that one part of a host may mix: Japanese, Chinese and Korean writing (UTS 39, "highly
restrictive"). Any other mix is refused."""


class UrlError(ValueError):
    """A url is refused: *reason* says what is wrong and how to fix it, after the url.

    ``str(error)`` is ``'<url>' <reason>``; a message about a field puts its owner between the two:
    ``url 'ftp://x' of report 'x' must be an absolute address starting with https:// or http://``.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{quote(url)} {reason}")
        self.url = url
        self.reason = reason


class _RefusedError(Exception):
    """A part of the url is refused, for the reason given; :func:`parse` adds the url."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAddress:
    """An accepted url, as a browser reads it."""

    scheme: str
    """``http`` or ``https``, in lower case."""
    host: str
    """The host the browser resolves: lower case, ASCII (punycode for an international name), an IPv4
    address in four numbers, an IPv6 address in brackets."""
    readable: str
    """The host for readers: an international name in its own letters; else the same as :attr:`host`."""
    url: str
    """The whole url as written, with its scheme and host as the browser reads them and no default port."""

    @property
    def shown(self) -> str:
        """The host as cards show it: ``bücher.example (xn--bcher-kva.example)``, or ``example.org``."""
        return self.host if self.readable == self.host else f"{self.readable} ({self.host})"


def quote(text: str) -> str:
    """*text* in quotes for a message, each invisible character written as its escape (``\\u200b``)."""
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


def parse(text: str) -> WebAddress:
    """The web address *text* is, as browsers read it; :class:`UrlError` if it is not one to publish."""
    if not isinstance(text, str):
        raise UrlError(repr(text), f"must be text: a url {_ABSOLUTE}")
    try:
        _refuse_invisible(text)
        scheme, rest = _scheme(text)
        authority, tail = _authority(scheme, rest)
        host, readable, port = _host_and_port(authority)
    except _RefusedError as refused:
        raise UrlError(text, refused.reason) from None
    shown_port = f":{port}" if port is not None and port != SCHEMES[scheme] else ""
    path = tail if tail.startswith("/") else "/" + tail
    return WebAddress(scheme, host, readable, f"{scheme}://{host}{shown_port}{path}")


def shown_host(url: str | None) -> str:
    """The host of *url* as cards show it (:attr:`WebAddress.shown`); the catalogue refuses any url that
    :func:`parse` refuses, so the words for one are only a safeguard."""
    try:
        return parse(url or "").shown
    except UrlError:
        return "an address that is not valid"


# -- the parts of a url, in the order browsers read them -------------------------------------------


def _refuse_invisible(text: str) -> None:
    """No space, control character or invisible character anywhere."""
    for index, char in enumerate(text):
        kind = unicodedata.category(char)
        if kind not in _INVISIBLE:
            continue
        where = f"after {quote(text[max(0, index - 24) : index])}" if index else "at its start"
        code = f"U+{ord(char):04X}"
        name = unicodedata.name(char, "")
        if kind == "Zs":
            what = "a space" if char == " " else f"a space character ({code} {name})"
            raise _RefusedError(f"has {what} {where}: remove it, or write %20 where the address has a space")
        if kind == "Cc":
            raise _RefusedError(
                f"has a control character ({code}, {_CONTROLS.get(char, 'invisible')}) {where}: delete it"
            )
        raise _RefusedError(
            f"has an invisible character ({code} {name or 'unnamed'}) {where}: delete it (it comes along "
            "when an address is copied from a document)"
        )


def _scheme(text: str) -> tuple[str, str]:
    """``http`` or ``https``, and the rest of the url."""
    match = _SCHEME.match(text)
    scheme = match[1].lower() if match else ""
    if match and scheme in SCHEMES:
        return scheme, text[match.end() :]
    if text.startswith("//"):
        raise _RefusedError(f"{_ABSOLUTE}: write {quote('https:' + text)}")
    if text.lower().startswith("www."):
        raise _RefusedError(f"{_ABSOLUTE}: write {quote('https://' + text)}")
    raise _RefusedError(_ABSOLUTE)


def _authority(scheme: str, rest: str) -> tuple[str, str]:
    """The host and port as browsers read them (between ``//`` and the first ``/``, ``\\``, ``?`` or ``#``),
    and the path, query and fragment after them. Refused: anything but two slashes after the scheme,
    user information, and a backslash before the path (``urllib`` and readers take the host to end at
    ``/``, browsers at ``\\`` as well)."""
    after = rest.lstrip("/\\")
    if not after or after[0] in "?#":
        raise _RefusedError(_NO_HOST)
    if rest[:2] != "//" or rest[2:3] in ("/", "\\"):
        raise _RefusedError(f"must have two slashes after '{scheme}:', as in {quote(scheme + '://' + after)}")
    after = rest[2:]
    authority = after[: _end(after, "/\\?#")]
    written = after[: _end(after, "/?#")]  # as urllib.parse and RFC 3986 read it
    going = _destination(authority)
    if "@" in written:
        userinfo, _, host = written.rpartition("@")
        if going and written != authority:
            going += f", not {_host_text(host)}"
        raise _RefusedError(
            f"has user information before its host ({quote(userinfo)})"
            f"{': browsers would go to ' + going if going else ''}; remove {quote(userinfo + '@')} "
            "(everything between '//' and the host)"
        )
    if written != authority:
        raise _RefusedError(
            "has a backslash before its path, which browsers read as '/'"
            f"{' (they would go to ' + going + ')' if going else ''}: write '/' instead of '\\'"
        )
    return authority, after[len(authority) :]


def _end(text: str, stops: str) -> int:
    """The index of the first of *stops* in *text*, or its length."""
    return next((index for index, char in enumerate(text) if char in stops), len(text))


def _destination(authority: str) -> str:
    """The host browsers would go to for *authority*, as cards show it; empty when there is none."""
    try:
        host, readable, _ = _host_and_port(authority.rpartition("@")[2])
    except _RefusedError:
        return ""
    return host if readable == host else f"{readable} ({host})"


def _host_text(hostport: str) -> str:
    """The host of *hostport* as ``urllib.parse`` gives it (``hostname``)."""
    if hostport.startswith("["):
        return hostport[1 : _end(hostport, "]")].lower()
    return hostport.partition(":")[0].lower()


def _host_and_port(hostport: str) -> tuple[str, str, int | None]:
    """The host as browsers resolve it, its readable form, and the port (None when none is written)."""
    if hostport.startswith("["):
        close = hostport.find("]")
        port = hostport[close + 1 :] if close >= 0 else ""
        if close < 0 or (port and not port.startswith(":")):
            raise _RefusedError(_IPV6.format(quote(hostport), _ABSOLUTE))
        host = readable = _ipv6(hostport[: close + 1])
    else:
        name, _, port = hostport.partition(":")
        if not name:
            raise _RefusedError(_NO_HOST)
        host, readable = _domain(name)
    return host, readable, _port(port.removeprefix(":"))


def _port(text: str) -> int | None:
    """A port: a number from 0 to 65535, or nothing."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise _RefusedError(
            f"has an invalid port ({quote(text)}): after the host's ':' write a number from 0 to 65535, "
            "or leave out the ':' and the port"
        )
    return int(text)


def _ipv6(written: str) -> str:
    """An IPv6 address in brackets, as browsers write it (``[2001:db8::1]``)."""
    inside = written[1:-1]
    try:
        if not inside.isascii() or "%" in inside:
            raise ValueError(inside)
        value = int(ipaddress.IPv6Address(inside))
    except ValueError:
        raise _RefusedError(_IPV6.format(quote(written), _ABSOLUTE)) from None
    pieces = [f"{(value >> (112 - 16 * index)) & 0xFFFF:x}" for index in range(8)]
    runs = [(index, length) for index in range(8) for length in range(2, 9 - index)]
    zeros = [run for run in runs if all(piece == "0" for piece in pieces[run[0] : sum(run)])]
    if not zeros:
        return "[" + ":".join(pieces) + "]"
    start, length = max(zeros, key=lambda run: (run[1], -run[0]))  # the first of the longest
    return "[" + ":".join(pieces[:start]) + "::" + ":".join(pieces[start + length :]) + "]"


# -- names and IPv4 addresses ------------------------------------------------------------------------


def _domain(written: str) -> tuple[str, str]:
    """A host name as browsers resolve it (IDNA, UTS 46), and its readable form; or an IPv4 address."""
    if "%" in written:
        raise _RefusedError(
            f"has '%' in its host ({quote(written)}): browsers decode it to another name; write the site's "
            "name in plain letters"
        )
    if "[" in written or "]" in written:
        raise _RefusedError(_IPV6.format(quote(written), _ABSOLUTE))
    try:
        mapped = idna.uts46_remap(written, std3_rules=False, transitional=False)
    except idna.IDNAError as error:
        raise _RefusedError(f"has a host that is no valid international name ({error}): {_RETYPE}") from None
    if _ends_in_number(mapped):
        return _ipv4(written, mapped)
    labels = mapped.split(".")
    trailing = ""
    if len(labels) > 1 and labels[-1] == "":  # a name may end in a dot (the root of the DNS)
        labels, trailing = labels[:-1], "."
    pairs = [_label(label, written) for label in labels]
    host = ".".join(ascii_label for ascii_label, _ in pairs) + trailing
    if len(host) > 253:
        raise _RefusedError(f"has a host of {len(host)} characters, more than the 253 a site's name can have")
    for _, readable in pairs:
        _one_script(readable, host)
    return host, ".".join(readable for _, readable in pairs) + trailing


def _label(label: str, written: str) -> tuple[str, str]:
    """One part of a host name: in ASCII (punycode) and readable."""
    if not label:
        raise _RefusedError(
            f"has an empty part between two dots in its host ({quote(written)}): remove a dot"
        )
    try:
        if not label.isascii():
            ascii_label, readable = idna.alabel(label).decode("ascii"), label
        elif label.startswith("xn--"):
            ascii_label, readable = label, idna.ulabel(label)
        else:
            ascii_label = readable = label
    except (idna.IDNAError, UnicodeError) as error:
        raise _RefusedError(
            f"has {quote(label)} in its host, which is no valid international name ({error}): {_RETYPE}"
        ) from None
    bad = _NOT_LABEL.search(ascii_label)
    if bad:
        raise _RefusedError(
            f"has {quote(bad[0])} in its host ({quote(written)}): a site's name has only letters, digits, "
            "hyphens and dots; correct the host"
        )
    if len(ascii_label) > 63:
        raise _RefusedError(
            f"has a part of {len(ascii_label)} characters in its host, more than the 63 allowed"
        )
    return ascii_label, readable


def _script(char: str) -> str | None:
    """The script of a letter or a non-ASCII digit, from its Unicode name; None for anything else."""
    kind = unicodedata.category(char)
    if not (kind.startswith("L") or (kind == "Nd" and not char.isascii())):
        return None
    words = unicodedata.name(char, "UNKNOWN").split()
    word = words[1] if words[0] == "EXTENDED" and len(words) > 1 else words[0]
    return _SCRIPT_NAMES.get(word, word.title())


def _one_script(label: str, host: str) -> None:
    """The letters of one part of a host are of one script (or a mix Japanese, Chinese or Korean use)."""
    scripts = Counter(script for script in map(_script, label) if script)
    if len(scripts) < 2 or any(set(scripts) <= mix for mix in _MIXES):
        return
    main = scripts.most_common(1)[0][0]
    odd = next(char for char in label if _script(char) not in (None, main))
    raise _RefusedError(
        f"has a host whose part {quote(label)} mixes {main} letters with the {_script(odd)} "
        f"{quote(odd)} (U+{ord(odd):04X} {unicodedata.name(odd, '')}), as look-alike addresses do: "
        f"browsers would go to {host}; type the letter again in {main}, or {_RETYPE}"
    )


def _ipv4_number(part: str) -> int | None:
    """A part of an IPv4 address as browsers read it (decimal, ``0x`` hex, ``0`` octal); else None."""
    if not part or not part.isascii():
        return None
    digits, radix = "0123456789", 10
    if part[:2].lower() == "0x":
        part, digits, radix = part[2:], "0123456789abcdefABCDEF", 16
    elif len(part) > 1 and part[0] == "0":
        part, digits, radix = part[1:], "01234567", 8
    if not set(part) <= set(digits):
        return None
    return int(part, radix) if part else 0


def _ends_in_number(host: str) -> bool:
    """Browsers read the host as an IPv4 address (the WHATWG "ends in a number" test)."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    last = parts[-1]
    return (last.isascii() and last.isdigit()) or _ipv4_number(last) is not None


def _ipv4(written: str, mapped: str) -> tuple[str, str]:
    """An IPv4 address, written as browsers write it (four numbers from 0 to 255)."""
    parts = mapped.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    value = _ipv4_value([_ipv4_number(part) for part in parts])
    if value is None:
        raise _RefusedError(
            f"has a host that ends in a number but is no IP address ({quote(written)}): write the site's "
            "name, or an IPv4 address as four numbers from 0 to 255 such as 192.0.2.1"
        )
    dotted = str(ipaddress.IPv4Address(value))
    if written != dotted:
        raise _RefusedError(
            f"has a host that browsers read as the IP address {dotted} ({quote(written)}): write {dotted}"
        )
    return dotted, dotted


def _ipv4_value(numbers: list[int | None]) -> int | None:
    """The address that one to four numbers make, as browsers combine them (``127.1`` is 127.0.0.1)."""
    if not 1 <= len(numbers) <= 4 or None in numbers:
        return None
    *front, last = (n or 0 for n in numbers)
    if any(n > 255 for n in front) or last >= 256 ** (4 - len(front)):
        return None
    return sum(n << (8 * (3 - index)) for index, n in enumerate(front)) + last
