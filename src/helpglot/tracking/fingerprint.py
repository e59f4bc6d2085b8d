"""Provenance fingerprints: proof that a translation is as helpglot last wrote it.

``status`` on a fresh clone (CI: no status cache) must judge every translation
of a large help center, and segmenting each one is most of that work. But most
translations are exactly what helpglot wrote at its last sync or approval, and
their source has not changed since. Whenever helpglot writes a translation it
therefore records, in the provenance, a hash of the file outside the
``helpglot:`` section together with the kinds of the file's blocks
(:func:`fingerprint`). If the source's blocks still have the recorded hashes
and the hash of the file's text with the *source's* block kinds still gives
the fingerprint, the translation's structure is the source's: it is aligned,
without segmenting it (:func:`quick` reads just the section, by one regular
expression, in the form :meth:`helpglot.tracking.provenance.Provenance.dump` writes).

A person's edit makes the fingerprint not match and the file is segmented as
before: a stale or missing fingerprint costs time, never a wrong answer. The
full path is the reference; tests compare both on every sample translation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from helpglot.errors import ContentError
from helpglot.markdown import frontmatter
from helpglot.markdown.segment import HASH_LEN, outline

KEY = "helpglot"


def fingerprint(rest: str, signatures: list[str]) -> str:
    """The hash of a translation's text outside its ``helpglot:`` section and of its block kinds."""
    digest = hashlib.sha256(rest.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00" + "\n".join(signatures).encode())
    return digest.hexdigest()[:HASH_LEN]


def _lf(text: str) -> str | None:
    """The text with Windows line breaks made LF, so that a checkout with ``core.autocrlf`` has
    the fingerprint helpglot wrote elsewhere (block kinds do not depend on line breaks); None
    for a lone CR, which the full path handles."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n") if text.count("\r") == text.count("\r\n") else None


def _split(text: str) -> tuple[str, str, int] | None:
    """(the section, the rest of the text, the offset of the section) with LF line breaks, as
    both writing and reading a fingerprint see a translation; None if it has no single section."""
    lf = _lf(text)
    span = section(lf) if lf is not None else None
    if lf is None or span is None:
        return None
    start, end = span
    return lf[start:end], lf[:start] + lf[end:], start


def of_text(text: str, path: str = "") -> str | None:
    """The fingerprint of a translation as written: its section is found, its blocks segmented.
    None when it has no single section to hold one (or cannot be segmented)."""
    found = _split(text)
    if found is None:
        return None
    try:
        signatures = outline(text, path).signatures
    except ContentError:
        return None
    return fingerprint(found[1], signatures)


def front_matter_span(text: str) -> tuple[int, int] | None:
    """The span of the YAML between the ``---`` lines, found as :func:`segment.parse` finds it
    (in LF text: see :func:`_lf`). With ``str.find`` rather than a regex search: ``status``
    runs this on every translation."""
    if not text.startswith("---"):
        return None
    first = text.find("\n")
    if first < 0 or text[:first].rstrip() != "---":
        return None
    pos = first
    while True:  # the first "---" or "..." line, trailing blanks allowed
        dashes, dots = text.find("\n---", pos), text.find("\n...", pos)
        at = min(dashes, dots) if dashes >= 0 and dots >= 0 else max(dashes, dots)
        if at < 0:
            return None
        eol = text.find("\n", at + 4)
        if not text[at + 4 : eol if eol >= 0 else len(text)].strip():  # (as str.rstrip() in blockrules)
            return first + 1, at + 1
        pos = at + 1


_LINE_START = re.compile(r"\n(?=\S)")


def section(text: str) -> tuple[int, int] | None:
    """Where the one ``helpglot:`` section of the front matter is: from its key's line to the
    next line that starts with a non-blank (or the end of the front matter). None when
    there is no front matter, no section, or several (YAML would keep the last)."""
    span = front_matter_span(text)
    if span is None:
        return None
    fm_start, fm_end = span
    key = f"\n{KEY}:"
    at = text.find(key, fm_start - 1, fm_end)
    if at < 0 or text.find(key, at + 1, fm_end) >= 0:
        return None
    after = _LINE_START.search(text, at + 1, fm_end)
    return at + 1, after.end() if after else fm_end


# A value as Provenance.dump writes it: plain (what its _scalar leaves unquoted) or double-quoted
# with only \\ and \" escaped; anything else (YAML's other escapes, single quotes) takes the full path.
_VALUE = r'(?:[\w./+](?:[\w./@ +-]*[\w./@+-])?|"(?:[^"\\\n]|\\[\\"])*")'
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_ENTRY = rf"  - [0-9a-f]{{{HASH_LEN}}} (?:machine|reviewed|reused)(?: [A-Za-z0-9_.-]+)?\n"
_CANONICAL = re.compile(
    rf"{KEY}:\n  source: (?P<source>{_VALUE})\n"
    rf"(?:  synced: (?P<synced>{_DATE})\n)?"
    rf"(?:  reviewer: (?P<reviewer>{_VALUE})\n)?"
    rf"(?:  reviewed: (?P<reviewed>{_DATE})\n)?"
    rf"(?:  engine: (?P<engine>{_VALUE})\n)?"
    rf"(?:  note: (?P<note>{_VALUE})\n)?"
    rf"  fingerprint: (?P<fingerprint>[0-9a-f]{{{HASH_LEN}}}|\"[0-9a-f]{{{HASH_LEN}}}\")\n"
    rf"  blocks:\n(?P<blocks>(?:{_ENTRY})+)\Z"
)
_HASHES = re.compile(rf"^  - ([0-9a-f]{{{HASH_LEN}}}) ", re.M)
_MACHINE = re.compile(r" machine(?: [A-Za-z0-9_.-]+)?\n")


@dataclass(frozen=True)
class Quick:
    """What ``status`` needs of a translation's provenance, read by :func:`quick`."""

    hashes: list[str]  # the source block hashes, in order
    machine: tuple[int, ...]  # 0-based indexes of the blocks not yet reviewed
    synced: dt.date | None
    fingerprint: str
    rest: str  # the text outside the ``helpglot:`` section, which the fingerprint hashes
    line: int  # of the ``helpglot:`` key, as :func:`helpglot.tracking.provenance.key_line` gives it

    def vouches_for(self, hashes: list[str], signatures: list[str]) -> bool:
        """Is the file as helpglot wrote it, synced to a source with these blocks?"""
        return self.hashes == hashes and self.fingerprint == fingerprint(self.rest, signatures)


def quick(text: str) -> Quick | None:
    """A translation's provenance from its ``helpglot:`` section alone, when that section is in
    the exact form helpglot writes and has a fingerprint; None sends the file down the full
    path (which also names the line of anything wrong). Windows line breaks are read as LF
    (``rest`` then has LF line breaks, as the fingerprint was taken).

    Only the section is read, so the result means something only if :meth:`Quick.vouches_for`
    says so: the fingerprint proves the rest of the file is what helpglot wrote and segmented.
    """
    found = _split(text)
    if found is None:
        return None
    head, rest, start = found
    match = _CANONICAL.match(head)
    if match is None:
        return None
    for name in ("source", "reviewer", "engine", "note"):
        value = match.group(name)
        if value and value[0] != '"' and frontmatter.TYPED.match(value):
            return None  # YAML reads it as a number, a date, a boolean...: the full path decides
    synced = match.group("synced")
    try:
        day = dt.date.fromisoformat(synced) if synced else None
        if match.group("reviewed"):
            dt.date.fromisoformat(match.group("reviewed"))
    except ValueError:
        return None
    entries = match.group("blocks")
    hashes = _HASHES.findall(entries)
    machine: tuple[int, ...] = ()
    if _MACHINE.search(entries):
        at = 5 + HASH_LEN  # "  - <hash> machine"
        machine = tuple(i for i, entry in enumerate(entries.split("\n")) if entry[at : at + 7] == "machine")
    return Quick(hashes, machine, day, match.group("fingerprint").strip('"'), rest,
                 rest.count("\n", 0, start) + 1)
