"""Provenance: what a translation was made from, kept in its own front matter.

One documented key, ``helpglot``, in the translation file::

    ---
    title: Invita a tu equipo
    helpglot:
      source: getting-started/invite-your-team.md
      synced: 2026-11-22          # last time the hashes were brought up to date
      reviewer: Ana García        # who approved the reviewed blocks, and when
      reviewed: 2026-11-22
      engine: deepl               # engine of the blocks still marked machine
      fingerprint: 5e0c41d2a7b9   # the rest of the file as helpglot last wrote it (see below)
      blocks:                     # one line per source block, in order
      - 3f2a9c1b0d4e reviewed
      - 9b8c7d6e5f4a machine
      pending:                    # what a reviewer needs that is not in the text (see below)
      - {block: "9b8c7d6e5f4a", was: "77aa01c2d3e4", previous: "Invita a tus compañeros…"}
    ---

Block *i* of the translation corresponds to block *i* of the source as it was
when its hash was recorded. One line per block keeps git diffs small: a sync
that re-drafts two paragraphs changes two ``blocks`` lines.

``fingerprint`` is a hash of everything in the file outside this section, plus
the kinds of its blocks, set whenever helpglot writes the file: with it,
``status`` needs no segmenting of a translation nobody touched since (see
:mod:`helpglot.tracking.fingerprint`). It is bookkeeping: nobody edits it, and on a merge
conflict either side will do (the next helpglot write sets it again).

``pending`` keeps the human work a sync would otherwise hide in git history.
When a source block changes under a translation, the file holds either a fresh
draft (the language's ``on_source_change: draft`` policy) and ``previous`` keeps
the translation that was there, or the earlier translation (``keep``) and
``draft`` keeps the fresh draft. ``block`` is the source hash the entry waits
for, ``was`` the hash the earlier translation was made from. Approving the
block removes its entry; nothing else does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace

from helpglot.errors import ContentError
from helpglot.markdown import frontmatter
from helpglot.markdown.segment import HASH_LEN, Document, Outline
from helpglot.tracking.fingerprint import KEY, of_text

STATUSES = ("machine", "reviewed", "reused")  # reused: translation memory, reviewed elsewhere
_BLOCK = re.compile(rf"^([0-9a-f]{{{HASH_LEN}}})[ \t]+(machine|reviewed|reused)(?:[ \t]+(\S+))?$")
# (the entry, then its parts: the front matter's fast path gives the same tuples)
_BLOCKS = re.compile(rf"^(([0-9a-f]{{{HASH_LEN}}})[ \t]+(machine|reviewed|reused)(?:[ \t]+(\S+))?)$", re.M)
_new = object.__new__
# the section: the key's line and the indented (or blank) lines below it
_SECTION = re.compile(rf"^{KEY}:.*?(?=^\S|\Z)", re.M | re.S)


@dataclass(frozen=True)
class BlockRecord:
    hash: str
    status: str  # machine | reviewed | reused (an identical English block's reviewed translation)
    engine: str | None = None

    def line(self) -> str:
        return " ".join(part for part in (self.hash, self.status, self.engine) if part)


@dataclass(frozen=True)
class Pending:
    """A changed source block awaiting review: the text that is not in the file."""

    block: str  # source hash the translation must now match
    was: str  # source hash the earlier translation was made from
    previous: str | None = None  # the earlier translation (the file holds a draft)
    draft: str | None = None  # a fresh draft (the file holds the earlier translation)
    #: block hash of the draft the file holds, as helpglot wrote it: a different text there later
    #: is a person's fix (human work, kept when the English changes again)
    drafted: str | None = None

    def line(self) -> str:
        parts = [f'block: "{self.block}"', f'was: "{self.was}"']  # (quoted: YAML reads 0123... as a number)
        for name in ("previous", "draft"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}: {_quoted(value)}")
        if self.drafted is not None:
            parts.append(f'drafted: "{self.drafted}"')
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Accepted:
    """QA errors a reviewer approved anyway (``approve --force --reason``), for one block: they
    stay accepted while the block's text (``block``) and its source (``source``) are unchanged."""

    block: str  # hash of the translation block's text when it was approved
    source: str  # source hash it was approved against
    checks: tuple[str, ...]
    by: str
    reason: str

    def line(self) -> str:
        return "{" + ", ".join([f'block: "{self.block}"', f'source: "{self.source}"',
                                f"checks: {_quoted(','.join(self.checks))}", f"by: {_quoted(self.by)}",
                                f"reason: {_quoted(self.reason)}"]) + "}"


@dataclass(frozen=True)
class Provenance:
    source: str
    blocks: tuple[BlockRecord, ...]
    synced: dt.date | None = None
    reviewer: str | None = None
    reviewed: dt.date | None = None
    engine: str | None = None
    note: str | None = None
    pending: tuple[Pending, ...] = ()
    accepted: tuple[Accepted, ...] = ()
    # (not part of what the provenance says, so not compared: see the module docstring)
    fingerprint: str | None = field(default=None, compare=False)

    @property
    def hashes(self) -> list[str]:
        return [block.hash for block in self.blocks]

    @property
    def machine(self) -> list[int]:
        """0-based indexes of blocks not yet reviewed."""
        return [i for i, block in enumerate(self.blocks) if block.status == "machine"]

    def with_blocks(self, blocks: list[BlockRecord], **changes: object) -> Provenance:
        return replace(self, blocks=tuple(blocks), **changes)

    def dump(self) -> str:
        """The ``helpglot:`` section, formatted by hand so its diff stays one line per block."""
        lines = [f"{KEY}:", f"  source: {_scalar(self.source)}"]
        for name in ("synced", "reviewer", "reviewed", "engine", "note", "fingerprint"):
            value = getattr(self, name)
            if value is not None:
                text = value.isoformat() if isinstance(value, dt.date) else _scalar(str(value))
                lines.append(f"  {name}: {text}")
        lines.append("  blocks:" if self.blocks else "  blocks: []")  # (a bare key would be null)
        lines.extend(f"  - {block.line()}" for block in self.blocks)
        if self.pending:
            lines.append("  pending:")
            lines.extend(f"  - {entry.line()}" for entry in self.pending)
        if self.accepted:
            lines.append("  accepted:")
            lines.extend(f"  - {entry.line()}" for entry in self.accepted)
        return "\n".join(lines) + "\n"

    def pending_for(self, block_hash: str) -> Pending | None:
        return next((p for p in self.pending if p.block == block_hash), None)


def _scalar(value: str) -> str:
    """A YAML scalar: plain when safe, double-quoted otherwise (also when YAML would read the
    plain form as something else than this string: ``yes``, ``2024``, ``1e3``)."""
    if re.fullmatch(r"[\w./@ +-]+", value) and value.strip() == value and value[0] not in "-@" \
            and not frontmatter.TYPED.match(value):
        return value
    # JSON strings are YAML double-quoted scalars; also escape what YAML 1.1 reads as line breaks
    # or rejects (C1 controls, U+2028/9, lone surrogates), which JSON leaves as they are
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _quoted(value: str) -> str:
    """Always double-quoted (JSON form): a translation's text is never a safe plain scalar."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _date(value: object, doc: Document | Outline) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"{doc.path}:{key_line(doc)}: '{value}' is not a date (YYYY-MM-DD)") from None


def front_matter_data(doc: Document | Outline) -> dict:
    """The parsed front matter: kept by the segmenter, parsed again only for documents built by hand."""
    if doc.meta is not None:
        return doc.meta
    if doc.front_matter is None:
        return {}
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start, end = doc.front_matter
    data = yaml.load(doc.text[start:end], Loader=loader)
    return data if isinstance(data, dict) else {}


def read(doc: Document | Outline) -> Provenance | None:
    """The provenance recorded in a translation, or None; malformed data names file and line.

    The key's line is looked up only for an error message: ``status`` reads thousands of
    well-formed translations and needs the line once, itself.
    """
    data = front_matter_data(doc)
    raw = data.get(KEY)
    if raw is None:
        return None
    _no_duplicate_keys(doc)
    if not isinstance(raw, dict) or not raw.get("source") \
            or not isinstance(raw.get("blocks"), list):
        raise ContentError(
            f"{doc.path}:{key_line(doc)}: '{KEY}' must be a mapping with 'source' and a 'blocks' list; "
            "run `helpglot adopt` to rewrite it"
        )
    entries = raw["blocks"]
    # the front matter's fast path has split well-formed entries already (see frontmatter.Entries)
    found = getattr(entries, "parsed", None)
    if found is None or len(found) != len(entries):
        items = [str(item).strip() for item in entries]
        joined = "\n".join(items)
        found = _BLOCKS.findall(joined) if joined.count("\n") == len(items) - 1 else []
        if len(found) != len(items):
            found = []
    if found:
        # every entry is well formed (one match per line): the common case, read at once and
        # without the frozen dataclass's per-field __setattr__ (a translation has dozens)
        blocks = []
        for _entry, hash_, status, engine in found:
            record = _new(BlockRecord)
            record.__dict__.update(hash=hash_, status=status, engine=engine or None)
            blocks.append(record)
        return _provenance(raw, blocks, doc)
    blocks = []
    for number, item in enumerate(raw["blocks"], start=1):
        match = _BLOCK.match(str(item).strip())
        if not match:
            lines = entry_lines(doc)
            at = lines[number - 1] if number <= len(lines) else key_line(doc)
            raise ContentError(
                f"{doc.path}:{at}: {KEY}.blocks entry {number} '{item}' is not "
                f"'<{HASH_LEN}-hex hash> machine|reviewed|reused [engine]'; run `helpglot adopt` to "
                "rewrite it"
            )
        blocks.append(BlockRecord(match.group(1), match.group(2), match.group(3)))
    return _provenance(raw, blocks, doc)


def _provenance(raw: dict, blocks: list[BlockRecord], doc: Document | Outline) -> Provenance:
    return Provenance(
        source=str(raw["source"]),
        blocks=tuple(blocks),
        synced=_date(raw.get("synced"), doc),
        reviewer=None if raw.get("reviewer") is None else str(raw["reviewer"]),
        reviewed=_date(raw.get("reviewed"), doc),
        engine=None if raw.get("engine") is None else str(raw["engine"]),
        note=None if raw.get("note") is None else str(raw["note"]),
        pending=_pending(raw.get("pending"), doc),
        accepted=_accepted(raw.get("accepted"), doc),
        fingerprint=None if raw.get("fingerprint") is None else str(raw["fingerprint"]),
    )


def _accepted(raw: object, doc: Document | Outline) -> tuple[Accepted, ...]:
    if raw is None:
        return ()
    keys = ("block", "source", "checks", "by", "reason")
    if not isinstance(raw, list) or not all(isinstance(e, dict) and all(isinstance(e.get(k), str) for k in keys)
                                            for e in raw):
        raise ContentError(f"{doc.path}:{key_line(doc)}: {KEY}.accepted must be a list of entries written by "
                           "`helpglot approve --force`; restore it from git rather than editing it")
    return tuple(Accepted(e["block"], e["source"], tuple(c for c in e["checks"].split(",") if c), e["by"],
                          e["reason"]) for e in raw)


def _no_duplicate_keys(doc: Document | Outline) -> None:
    """YAML keeps the last of two equal keys without a word; in provenance that silently drops
    one side of a merge ("accept both" in a conflict editor). Refuse it, naming the line."""
    if doc.front_matter is None:
        return
    start, end = doc.front_matter
    lines = doc.text[start:end].split("\n")
    inside, seen = False, {}
    for number, line in enumerate(lines):
        if line.startswith(f"{KEY}:"):
            inside = True
            continue
        if inside and line and not line[0].isspace():
            break
        key = re.match(r"  ([A-Za-z_]+):", line) if inside else None
        if key is None:
            continue
        if key.group(1) in seen:
            at = doc.line_of(start + sum(len(x) + 1 for x in lines[:number]))
            raise ContentError(f"{doc.path}:{at}: '{KEY}.{key.group(1)}' appears twice (a merge kept both "
                               f"sides?); keep one, or restore the file from git and run the merge again")
        seen[key.group(1)] = number


def _pending(raw: object, doc: Document | Outline) -> tuple[Pending, ...]:
    if raw is None:
        return ()
    ok = isinstance(raw, list) and all(
        isinstance(e, dict) and isinstance(e.get("block"), str) and isinstance(e.get("was"), str)
        and all(isinstance(e.get(k), (str, type(None))) for k in ("previous", "draft", "drafted")) for e in raw)
    if not ok:
        raise ContentError(f"{doc.path}:{key_line(doc)}: {KEY}.pending must be a list of "
                           "{block: <hash>, was: <hash>, previous|draft: \"text\"} entries written by helpglot; "
                           "restore it from git (`git checkout -p`) rather than editing it")
    blocks = [e["block"] for e in raw]
    twice = sorted({b for b in blocks if blocks.count(b) > 1})
    if twice:
        raise ContentError(f"{doc.path}:{key_line(doc)}: {KEY}.pending has two entries for block {twice[0]} "
                           "(a merge kept both sides?); keep the one whose previous translation is right")
    return tuple(Pending(e["block"], e["was"], e.get("previous"), e.get("draft"), e.get("drafted")) for e in raw)


def key_line(doc: Document | Outline) -> int:
    """1-based line of the ``helpglot:`` key (or of the front matter's start)."""
    if doc.front_matter is None:
        return 1
    start, end = doc.front_matter
    found = re.search(rf"^{KEY}:", doc.text[start:end], re.M)
    return doc.line_of(start + (found.start() if found else 0))


def entry_lines(doc: Document | Outline) -> list[int]:
    """1-based lines of the ``helpglot.blocks`` entries, in order.

    Computed from the text rather than assumed from the layout ``dump`` writes, because
    people edit provenance by hand (and reorder or drop the optional keys), and an error
    about entry *n* must point at the line that holds it.
    """
    if doc.front_matter is None:
        return []
    start, end = doc.front_matter
    fm = doc.text[start:end]
    section = _SECTION.search(fm)
    if not section:
        return []
    blocks = re.search(r"^([ \t]+)blocks:[ \t]*(?:#[^\n]*)?\r?$", section.group(0), re.M)
    if not blocks:
        return []
    result: list[int] = []
    pos = section.start() + blocks.end() + 1
    for raw in fm[pos:section.end()].splitlines(keepends=True):
        stripped = raw.strip()
        if stripped.startswith("- ") or stripped == "-":
            result.append(doc.line_of(start + pos))
        elif stripped and not stripped.startswith("#"):
            break
        pos += len(raw)
    return result


def write(doc: Document, prov: Provenance) -> str:
    """The translation text with its ``helpglot:`` section set to ``prov``; nothing else changes.

    The section's ``fingerprint`` (see :mod:`helpglot.tracking.fingerprint`) is computed afresh from
    the text written, whatever ``prov`` holds: it only ever vouches for what is on disk.
    """
    text = _with_section(doc, replace(prov, fingerprint=None))
    stamp = of_text(text, doc.path)
    return text if stamp is None else _with_section(doc, replace(prov, fingerprint=stamp))


def _with_section(doc: Document, prov: Provenance) -> str:
    section = prov.dump()
    text = doc.text
    # a Windows-edited file keeps its line endings: the diff is the provenance lines only
    newline = "\r\n" if text[: text.find("\n") + 1].endswith("\r\n") else "\n"
    section = section.replace("\n", newline)
    if doc.front_matter is None:
        return f"---{newline}{section}---{newline}{newline}{text}"
    start, end = doc.front_matter
    fm = text[start:end]
    match = _SECTION.search(fm)
    if match:
        fm = fm[: match.start()] + section + fm[match.end():]
    else:
        if fm and not fm.endswith("\n"):
            fm += newline
        fm += section
    return text[:start] + fm + text[end:]

