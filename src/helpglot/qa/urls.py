"""Where a URL in a translated page really leads, judged the way a browser parses it.

A regex over ``href`` missed what browsers happily follow: entity-encoded slashes
(``https:&#x2F;&#x2F;evil``, which the sanitiser itself normalises into a live link),
userinfo (``https://tallybird.com@evil`` goes to ``evil``), IP-literal hosts, backslashes
(``https:\\\\evil`` and ``/\\evil`` are ``https://evil`` to a browser) and protocol-relative
``//evil``. Here a value is entity-decoded, stripped of the characters the URL standard
ignores, its backslashes read as slashes, and then split by :mod:`urllib.parse`; the
host goes through :mod:`ipaddress`. What comes out is what the sanitiser and ``check``
decide on, so both judge the same thing.
"""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

#: schemes whose "authority" a browser finds after any run of slashes or backslashes
SPECIAL = frozenset({"http", "https", "ftp", "ws", "wss"})
#: never allowed, whatever the source does: they run script or smuggle a document
NEVER = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem", "view-source", "about"})
_IGNORED = re.compile(r"[\t\n\r]")  # removed anywhere by the URL parser
_EDGES = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18" \
         "\x19\x1a\x1b\x1c\x1d\x1e\x1f \u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$", re.I)  # 2130706433, 0x7f.1: IPv4 to a browser


@dataclass(frozen=True)
class Target:
    """A URL as a browser reads it: ``scheme`` (None: relative), ``host`` (None: same site) and
    ``problem``, why it is never allowed (userinfo, an IP-literal host), or None."""

    scheme: str | None
    host: str | None
    problem: str | None = None


def normalise(value: str) -> str:
    """The URL a browser parses from an attribute value (entities decoded once more, to be safe)."""
    text = html.unescape(value)
    text = text.strip(_EDGES)
    return _IGNORED.sub("", text).replace("\\", "/")


def target(value: str) -> Target:
    """Where ``value`` leads (see :class:`Target`)."""
    text = normalise(value)
    m = _SCHEME.match(text)
    scheme = m.group(1).lower() if m else None
    if scheme is None and not text.startswith("//"):
        return Target(None, None)
    if scheme is not None and scheme not in SPECIAL:
        return Target(scheme, None)
    rest = text[m.end():] if m else text
    authority = "//" + rest.lstrip("/")
    try:
        parts = urlsplit(f"{scheme or 'https'}:{authority}")
        host = parts.hostname or ""
        userinfo = parts.username is not None or "@" in parts.netloc
    except ValueError:  # (a malformed IPv6 literal and the like)
        return Target(scheme, "?", "a URL no parser agrees on")
    host = unicodedata.normalize("NFKC", unquote(host)).translate(_DOTS).lower().rstrip(".")
    if userinfo:
        return Target(scheme, host, f"a user name before the host ({host} is where it leads)")
    if not host:
        return Target(scheme, None)
    if _ip(host):
        return Target(scheme, host, f"an IP address host ({host})")
    return Target(scheme, host)


def _ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    labels = host.split(".")
    return bool(labels) and bool(_NUMERIC_HOST.match(labels[-1]))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (each candidate's first token)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


def bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def host_allowed(host: str, hosts: frozenset[str]) -> bool:
    """``host`` is one of ``hosts`` or a subdomain of one (``www.`` ignored on both sides)."""
    host = bare(host)
    return host in hosts or any(host.endswith("." + h) for h in hosts)
