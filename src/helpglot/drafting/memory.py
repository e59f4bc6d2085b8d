"""The translation memory: reviewed blocks and imported TMX, used before any engine.

Two sources, one memory per language:

* every **reviewed** block of the help center's own translations (what helpglot always reused), with
  the English it translates and that English's neighbours;
* ``memory/<lang>.tmx`` at the project root: translation units imported from an agency's or a
  previous tool's memory (``helpglot tm import``). A committed, reviewable TMX 1.4 file, sorted, one
  ``<tu>`` per pair, so an import is a pull request a maintainer can read like any other.

Lookups, in order (:meth:`Memory.match`):

1. **in-context exact (ICE)**: the same English *and* the same English before and after it (a
   ``<prop type="prev">``/``"next"`` in TMX, OmegaT's own convention). Reused; provenance says
   ``reused ice``. Where one English sentence has two translations in two places, context picks.
2. **exact**: the same English (whitespace folded, by block hash). Reused; ``reused tm``.
3. **fuzzy** (>= :data:`FUZZY_MIN` %, rapidfuzz's normalised Indel ratio): never written, only shown to
   the reviewer as a suggestion with its score and a word diff of the English (:meth:`Memory.fuzzy`),
   in the review queue, the PR body and exported XLIFF/PO.

A reused block is never "reviewed" by being reused (unless ``reuse_as_reviewed``): its English may
mean something else here. Nothing here is cached in a pickle: the memory is rebuilt from the
repository's files on each run.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from helpglot import __version__, layout
from helpglot.drafting import safexml
from helpglot.errors import HelpglotError
from helpglot.markdown.blocks import block_hash
from helpglot.markdown.segment import Document, parse_file
from helpglot.settings import Settings
from helpglot.tracking import provenance

FUZZY_MIN = 75
MEMORY_DIR = "memory"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_UNTRANSLATED = "0" * 12  # (drafting.sync.UNTRANSLATED: a draft that failed; never a memory entry)


@dataclass(frozen=True)
class Entry:
    source: str  # the English, Markdown
    target: str
    prev: str = ""  # the English block before it ("" at the start of an article or unknown)
    next: str = ""
    origin: str = ""  # the translation file or the TMX it came from
    context: bool = True  # prev/next are known (an article's first block has prev ""): ICE matches possible

    @property
    def hash(self) -> str:
        return block_hash(self.source)


@dataclass(frozen=True)
class Suggestion:
    score: float
    source: str
    target: str
    diff: str  # the English difference, as a word diff: [-theirs-] {+ours+}
    origin: str = ""

    def as_json(self) -> dict:
        return {"score": round(self.score, 1), "source": self.source, "target": self.target, "diff": self.diff,
                "origin": self.origin}


@dataclass
class Memory:
    entries: list[Entry] = field(default_factory=list)
    by_hash: dict[str, list[Entry]] = field(default_factory=dict)
    hash_only: dict[str, str] = field(default_factory=dict)  # reviewed blocks whose English is not known

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.by_hash.setdefault(entry.hash, []).append(entry)

    def get(self, source_hash: str) -> str | None:
        """The exact match of a block hash (the plain lookup helpglot always had)."""
        found = self.by_hash.get(source_hash)
        return found[0].target if found else self.hash_only.get(source_hash)

    def match(self, doc: Document, index: int) -> tuple[str, str] | None:
        """(translation, "ice" | "tm") for block ``index`` of a source, or None."""
        block = doc.blocks[index]
        found = self.by_hash.get(block.hash)
        if not found:
            plain = self.hash_only.get(block.hash)
            return (plain, "tm") if plain is not None else None
        prev, nxt = _neighbours(doc, index)
        for entry in found:  # (an entry without context, e.g. a TMX without prev/next, is never "in context")
            if entry.context and _fold(entry.prev) == _fold(prev) and _fold(entry.next) == _fold(nxt):
                return entry.target, "ice"
        return found[0].target, "tm"

    def fuzzy(self, text: str, exclude_target: str | None = None, limit: int = 3) -> tuple[Suggestion, ...]:
        """Memory entries whose English is at least :data:`FUZZY_MIN` % like ``text``, best first."""
        if not self.entries or not text.strip():
            return ()
        from rapidfuzz import fuzz, process

        choices = {}
        for i, entry in enumerate(self.entries):
            if entry.target != exclude_target and entry.source != text:
                choices.setdefault(entry.source, i)
        found = process.extract(text, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=limit)
        return tuple(Suggestion(score, source, self.entries[choices[source]].target, word_diff(source, text),
                                self.entries[choices[source]].origin) for source, score, _ in found)


def _fold(text: str) -> str:
    return " ".join(text.split())  # (as block hashes fold whitespace)


def _neighbours(doc: Document, index: int) -> tuple[str, str]:
    blocks = doc.blocks
    return (blocks[index - 1].text if index > 0 else "", blocks[index + 1].text if index + 1 < len(blocks) else "")


def word_diff(old: str, new: str) -> str:
    """``old`` -> ``new`` as a word diff a reviewer reads in one line: ``[-removed-]`` ``{+added+}``."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{' '.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{' '.join(b[j1:j2])}+}}")
    return " ".join(out)


def memory_path(settings: Settings, lang: str) -> Path:
    return settings.root / MEMORY_DIR / f"{lang}.tmx"


def load(settings: Settings, lang: str, tmx: bool = True) -> Memory:
    """The language's memory: its reviewed blocks first (they win an exact tie), then its TMX."""
    memory = Memory()
    sources: dict[Path, Document | None] = {}
    for tfile in layout.translation_files(settings, (lang,)):
        try:
            doc = parse_file(str(tfile.path), settings.rel(tfile.path))
            prov = provenance.read(doc)
        except HelpglotError:
            continue
        if prov is None or len(prov.blocks) != len(doc.blocks):
            continue
        if tfile.source not in sources:
            try:
                sources[tfile.source] = parse_file(str(tfile.source), settings.rel(tfile.source)) \
                    if tfile.has_source else None
            except HelpglotError:
                sources[tfile.source] = None
        source = sources[tfile.source]
        lined_up = source is not None and len(source.blocks) == len(doc.blocks)
        for i, (record, block) in enumerate(zip(prov.blocks, doc.blocks, strict=True)):
            if record.status != "reviewed" or record.hash == _UNTRANSLATED:
                continue
            if lined_up and source.blocks[i].hash == record.hash and source.blocks[i].text:
                prev, nxt = _neighbours(source, i)
                memory.add(Entry(source.blocks[i].text, block.text, prev, nxt, settings.rel(tfile.path)))
            else:
                memory.hash_only.setdefault(record.hash, block.text)
    if tmx:
        path = memory_path(settings, lang)
        if path.is_file():
            for entry in read_tmx(path, settings.rel(path), settings.source_lang, lang):
                memory.add(entry)
    return memory


def same_lang(code: str | None, lang: str) -> bool:
    """``en-US`` is English; ``pt-BR`` is not ``pt-PT``: a region must match when both have one."""
    if not code:
        return False
    a, b = code.replace("_", "-").casefold(), lang.replace("_", "-").casefold()
    return a == b or (a.split("-")[0] == b and "-" not in b) or (b.split("-")[0] == a and "-" not in a)


def read_tmx(path: Path, shown: str, source_lang: str, lang: str) -> list[Entry]:
    """The (source_lang, lang) pairs of a TMX file, read as untrusted input (:mod:`safexml`)."""
    root = safexml.parse(safexml.read_bytes(path, shown), shown)
    if etree.QName(root).localname != "tmx":
        raise HelpglotError(f"{shown}: not a TMX file (the root element is <{etree.QName(root).localname}>); "
                            "nothing was changed")
    out: list[Entry] = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            code = tuv.get(XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if seg is None:
                continue
            text = "".join(seg.itertext())  # inline codes (bpt/ept/ph) keep their text: the Markdown
            if same_lang(code, source_lang):
                texts.setdefault("source", text)
            elif same_lang(code, lang):
                texts.setdefault("target", text)
        if texts.get("source", "").strip() and texts.get("target", "").strip():
            props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
            out.append(Entry(texts["source"], texts["target"], props.get("prev", ""), props.get("next", ""),
                             shown, "prev" in props or "next" in props))
    return out


def tmx_bytes(entries: list[Entry], source_lang: str, lang: str) -> bytes:
    """A TMX 1.4 document of ``entries`` (sorted, duplicates dropped), built with lxml."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", creationtool="helpglot", creationtoolversion=__version__,
                              segtype="paragraph", adminlang="en", srclang=source_lang, datatype="plaintext")
    header.set("o-tmf", "helpglot")
    body = etree.SubElement(root, "body")
    seen = set()
    for entry in sorted(entries, key=lambda e: (e.source, e.prev, e.next, e.target)):
        key = (entry.source, entry.target, entry.prev, entry.next)
        if key in seen:
            continue
        seen.add(key)
        tu = etree.SubElement(body, "tu")
        for kind, value in (("prev", entry.prev), ("next", entry.next)):
            if entry.context:  # (empty at an article's start or end: still context)
                etree.SubElement(tu, "prop", type=kind).text = _xml_safe(value)
        for code, text in ((source_lang, entry.source), (lang, entry.target)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, code)
            etree.SubElement(tuv, "seg").text = _xml_safe(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot hold (control characters) as U+FFFD: a TMX must stay well-formed."""
    return _NOT_XML.sub("\ufffd", text)
