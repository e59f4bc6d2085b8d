"""A fast path for the front matter helpglot itself writes.

Parsing YAML is the most expensive step of reading a translation (libyaml's
parser, then PyYAML's Python constructor for every node), and ``status`` reads
tens of thousands of them. Front matter is almost always a handful of
``key: value`` lines plus the ``helpglot:`` provenance block; :func:`load`
parses exactly that subset by hand and returns ``None`` for anything else
(comments, anchors, flow collections, escapes, values YAML would type as
numbers, booleans or dates, ...), in which case the caller uses PyYAML. For the
subset it accepts, the result equals ``yaml.safe_load``'s (a test checks this).
"""

from __future__ import annotations

import datetime as dt
import re
from operator import itemgetter

_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$")
_NESTED = re.compile(r"  ([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = re.compile(r"(  )?- (.*?)[ \t]*$")
# a provenance ``blocks`` entry as helpglot writes it ("  - <hash> machine|reviewed [engine]"): a
# plain scalar YAML reads as that string, matched at once since a translation has dozens of them
_PROVENANCE_ITEM = re.compile(r"  - ([0-9a-f]{12} (?:machine|reviewed|reused)(?: [A-Za-z0-9_.-]+)?)[ \t]*$")
# a whole run of such entries, each ending in "\n", read with one match (see _load)
_PROVENANCE_RUN = re.compile(r"(?:  - [0-9a-f]{12} (?:machine|reviewed|reused)(?: [A-Za-z0-9_.-]+)?[ \t]*\n)+")
_PROVENANCE_GROUPS = re.compile(
    r"^  - (([0-9a-f]{12}) (machine|reviewed|reused)(?: ([A-Za-z0-9_.-]+))?)[ \t]*$", re.M
)
_BLOCKS_KEY = "\n  blocks:\n"
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:(?!:[ \t]|[ \t]#)[^\t\n\r:#]|:(?![ \t])|#)*$")
_DQ = re.compile(r'"([^"\\]*)"$')
_SQ = re.compile(r"'((?:[^']|'')*)'$")
#: plain scalars YAML 1.1 would not read as strings
TYPED = re.compile(
    r"(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|"
    r"\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|"
    r"on|On|ON|off|Off|OFF|y|Y|n|N|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$"
)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _scalar(raw: str) -> object:
    """A string, an ISO date (as YAML reads it), or None when not in the simple subset."""
    if not raw:
        return None
    match = _DQ.match(raw)
    if match:
        return match.group(1)
    match = _SQ.match(raw)
    if match:
        return match.group(1).replace("''", "'")
    if _DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    if _PLAIN.match(raw) and not TYPED.match(raw):
        return raw
    return None


class _NotSimple(Exception):
    pass


class Entries(list):
    """A provenance ``blocks`` list read by the fast path: a plain list of strings, which also
    keeps each entry's (hash, status, engine) so :func:`helpglot.tracking.provenance.read` need not
    split them again."""

    __slots__ = ("parsed",)


def _key(lines: list[str], i: int, pattern: re.Pattern, seen: dict) -> tuple[str, str | None, int]:
    """The key and raw value of line ``i``; a duplicate key or another shape is not simple."""
    match = pattern.match(lines[i])
    if not match or match.group(1) in seen:
        raise _NotSimple
    return match.group(1), match.group(2), i + 1


def _value(raw: str) -> object:
    value = _scalar(raw)
    if value is None:
        raise _NotSimple
    return value


def load(text: str) -> dict | None:
    """The mapping of a simple front matter, or None when PyYAML must decide."""
    try:
        return _load(text)
    except _NotSimple:
        return None


def _load(text: str) -> dict:
    data: dict = {}
    # a translation's provenance entries (dozens of lines) are read with one regex; the other
    # lines go through the rules below, with the entries spliced in where "  blocks:" is read
    spliced = None
    at = text.find(_BLOCKS_KEY)
    if at >= 0 and (run := _PROVENANCE_RUN.match(text, at + len(_BLOCKS_KEY))):
        found = _PROVENANCE_GROUPS.findall(text, run.start(), run.end())
        lines = text[: at + len(_BLOCKS_KEY)].splitlines()
        spliced = [len(lines), found]
        lines += text[run.end():].splitlines()
    else:
        lines = text.splitlines()
    i = 0
    while i < len(lines):
        key, raw, i = _key(lines, i, _KEY, data)
        if raw is not None:
            data[key] = _value(raw)
            continue
        # a block below: a list ("- x" or "  - x") or a mapping of "  k: v"
        if i < len(lines) and _ITEM.match(lines[i]):
            data[key], i = _items(lines, i)
        elif i < len(lines) and lines[i].startswith("  "):
            data[key], i = _mapping(lines, i, spliced)
        else:
            raise _NotSimple  # a null value: leave it to YAML
    if spliced is not None and spliced[0] >= 0:
        raise _NotSimple  # (the entries were not read where they stand: cannot happen, but be safe)
    return data


def _items(lines: list[str], i: int, indent: str | None = None) -> tuple[list[str], int]:
    items: list[str] = []
    fast = _PROVENANCE_ITEM.match
    if i < len(lines) and fast(lines[i]):  # a run of provenance entries, in one tight loop
        indent = "  "
        while i < len(lines) and (match := fast(lines[i])):
            items.append(match.group(1))
            i += 1
    while i < len(lines):
        fast = _PROVENANCE_ITEM.match(lines[i])
        if fast and indent in (None, "  "):  # a provenance entry: a plain string, no more checks
            indent = "  "
            items.append(fast.group(1))
            i += 1
            continue
        match = _ITEM.match(lines[i])
        if not match:
            break
        this = match.group(1) or ""
        if indent is None:
            indent = this
        elif this != indent:
            raise _NotSimple
        items.append(_value(match.group(2)))
        i += 1
    return items, i


def _mapping(lines: list[str], i: int, spliced: list | None = None) -> tuple[dict, int]:
    mapping: dict = {}
    while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("  -"):
        key, raw, i = _key(lines, i, _NESTED, mapping)
        if raw is not None:
            mapping[key] = _value(raw)
        elif spliced is not None and i == spliced[0]:
            found = spliced[1]
            spliced[0] = -1  # (read: tells _load)
            items = Entries(map(itemgetter(0), found))
            rest, i = _items(lines, i, "  ")
            if rest:
                items += rest
            else:
                items.parsed = found  # (entry, hash, status, engine) tuples
            mapping[key] = items
        elif i < len(lines) and lines[i].startswith("  - "):
            mapping[key], i = _items(lines, i)
        else:
            raise _NotSimple
    return mapping, i
