"""``structure``: the translation has the same shape as its current source.

A reader switching language expects the same steps, headings and tables; a
translator who drops a list item or an engine that merges two paragraphs
changes the article silently. The segmenter gives each side a sequence of
block signatures (kind, heading level, table position, enclosing containers);
difflib on those sequences says which runs are missing, extra or different,
and each run becomes one finding located by the heading it falls under. The
segmenter skips code blocks and admonition/tab markers, so those are compared
separately from a scan of the lines, as are the front-matter keys. A ``///`` block
whose source has a title and whose translation has none (an empty title place) has
lost that title: a finding too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from itertools import groupby

from helpglot.markdown.segment import Block, Document
from helpglot.qa.checks import describe, fences, heading_before, plain, ratios, short, where, wiki
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.tracking.align import _line_for_missing
from helpglot.tracking.align import align as align_blocks
from helpglot.tracking.provenance import KEY, front_matter_data

_MARKER = re.compile(r"^[ \t>]*(?:(?P<adm>!!!|\?\?\?\+?)[ \t]*(?P<type>[\w-]+)|(?P<tab>===)[+!]*[ \t]+\""
                     r"|/{3,}[ \t]*(?P<block>[\w-]+)[ \t]*(?:\|.*)?$)")


_CLOSER = re.compile(r"^[ \t>]*/{3,}[ \t]*$")


def key(block: Block) -> str:
    """What must match between a source block and its translation, containers included."""
    return block.signature + ("@" + "/".join(block.context) if block.context else "")


def _run(blocks: Iterable[Block]) -> str:
    """A run of blocks in words: "list of 5 items, paragraph"."""
    parts: list[str] = []
    for (kind, _), group in groupby(blocks, key=lambda b: (b.kind, b.detail if b.kind == "heading" else "")):
        items = list(group)
        if kind == "list_item":
            parts.append(f"list of {len(items)} item{'s' * (len(items) > 1)}" if len(items) > 1 else "list item")
        elif kind == "table_cell":
            parts.append(f"{len(items)} table cell{'s' * (len(items) > 1)}")
        else:
            text = describe(items[0])
            parts.append(text if len(items) == 1 else f"{len(items)} {text}s")
    return ", ".join(parts)


def _markers(doc: Document) -> list[tuple[int, str]]:
    """(line, "admonition note" | "tab") for each admonition and content-tab opener."""
    start = doc.line_of(doc.front_matter[1]) + 1 if doc.front_matter else 1
    found = []
    in_fence = {f.line for f in fences(doc)}
    for number, line in enumerate(doc.text.split("\n"), start=1):
        if number < start or number in in_fence:
            continue
        m = _MARKER.match(line)
        if m and m.group("block"):
            kind = m.group("block").lower()
            found.append((number, "content tab" if kind == "tab" else f"admonition '{kind}'"))
        elif m:
            found.append((number, f"admonition '{m.group('type')}'" if m.group("adm") else "content tab"))
    return found


def _runs(indexes: list[int]) -> list[list[int]]:
    """Consecutive indexes grouped: [3, 4, 5, 9] -> [[3, 4, 5], [9]]."""
    out: list[list[int]] = []
    for i in indexes:
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _size(text: str) -> int:
    return max(1, len(plain(text)))


def _usual(pair: Pair) -> float:
    """The language's usual length ratio (learned with the run's other languages, see ratios)."""
    if pair.settings is None:
        return 1.0
    return ratios.expected(pair.settings, pair.lang, pair.extra.get("langs", ()))[0]


def _merged(pair: Pair, result) -> dict[int, tuple[int, int]]:  # noqa: ANN001
    """Missing source blocks whose text the translated neighbour holds: a translation block paired
    with the source block before (or after) is as long as the two source blocks together would give,
    and far longer than the one it is paired with. {missing source block: (translation block, neighbour)}."""
    src, tr = pair.source.blocks, pair.translation.blocks
    usual = _usual(pair)
    by_source = {s: t for t, s in result.pairs}
    out: dict[int, tuple[int, int]] = {}
    for i in result.missing:
        for other in (i - 1, i + 1):
            t = by_source.get(other)
            if t is None or src[other].kind != src[i].kind or src[i].kind not in ("paragraph", "list_item"):
                continue
            alone = _size(tr[t].text) / (usual * _size(src[other].text))
            both = _size(tr[t].text) / (usual * (_size(src[other].text) + _size(src[i].text)))
            if alone > 1.45 and 0.7 <= both <= 1.4:
                out[i] = (t, other)
                break
    return out


def _split(pair: Pair, result) -> dict[int, int]:  # noqa: ANN001
    """Extra translation blocks that, with the paired block before them, translate one source block.
    {extra translation block: source block}."""
    src, tr = pair.source.blocks, pair.translation.blocks
    usual = _usual(pair)
    by_translation = dict(result.pairs)
    out: dict[int, int] = {}
    for t in result.extra:
        s_ = by_translation.get(t - 1)
        if s_ is None or tr[t].kind != tr[t - 1].kind or tr[t].kind not in ("paragraph", "list_item"):
            continue
        alone = _size(tr[t - 1].text) / (usual * _size(src[s_].text))
        both = (_size(tr[t - 1].text) + _size(tr[t].text)) / (usual * _size(src[s_].text))
        if alone < 0.7 and 0.7 <= both <= 1.4:
            out[t] = s_
    return out


_ANCHORS = re.compile(r"`[^`\n]+`|\]\([^)\s]+|\d+(?:[.,]\d+)*|https?://\S+")


def _moved(pair: Pair, result) -> dict[int, int]:  # noqa: ANN001
    """A missing source block and an extra translation block with the same code, links and numbers
    (at least two of them): the block was moved, not lost. {source block: translation block}."""
    src, tr = pair.source.blocks, pair.translation.blocks
    out: dict[int, int] = {}
    extra = list(result.extra)
    for i in result.missing:
        want = sorted(_ANCHORS.findall(src[i].text))
        if len(want) < 2:
            continue
        hit = next((t for t in extra if sorted(_ANCHORS.findall(tr[t].text)) == want and tr[t].kind == src[i].kind),
                   None)
        if hit is not None:
            out[i] = hit
            extra.remove(hit)
    return out


class StructureCheck:
    id = "structure"
    name = "Block structure"
    severity = ERROR
    description = ("Same headings (and levels), paragraphs, list items, tables, admonitions, tabs, code blocks "
                   "and front-matter keys as the source, in the same order.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        yield from self._blocks(pair)
        yield from self._skeleton(pair)
        yield from self._unclosed(pair)
        yield from self._keys(pair)

    def _finding(self, pair: Pair, line: int, message: str, block: int | None = None) -> Finding:
        return Finding(self.id, self.severity, pair.path, line, message, block)

    def _blocks(self, pair: Pair) -> Iterator[Finding]:
        """One finding per run of lost blocks, per run of added blocks and per block of another
        kind, located by the aligner (:mod:`helpglot.tracking.align`): a difference never shifts the rest.
        Front-matter values are the frontmatter check's and the key comparison's business."""
        result = pair.extra.get("alignment") or align_blocks(pair.source, pair.translation, pair.lang,
                                                             skip_meta=True)
        src, tr = pair.source.blocks, pair.translation.blocks
        for t, s in result.pairs:
            if src[s].signature != tr[t].signature and src[s].kind != "meta":
                yield self._finding(pair, tr[t].line, f"{describe(tr[t])} where the source has {describe(src[s])} "
                                    f"({pair.source_path}:{src[s].line}, {where(pair.source, s)}); "
                                    "use the source's structure", t + 1)
            elif src[s].text and not tr[t].text:
                # an untitled ``///`` block's empty title place (blockrules.generic_block) where the
                # source has a title: readers see the type ("Note") instead of what the source says
                yield self._finding(pair, tr[t].line, f"{describe(src[s])} '{short(src[s].text)}' missing: the "
                                    f"block has no title here (source {pair.source_path}:{src[s].line}); "
                                    "write its translation after '|'", t + 1)
        merged = _merged(pair, result)
        split = _split(pair, result)
        moved = _moved(pair, result)
        for i, (t, other) in merged.items():
            yield Finding(self.id, WARNING, pair.path, tr[t].line,
                          f"{describe(src[i])} '{short(src[i].text)}' ({pair.source_path}:{src[i].line}) is merged "
                          f"into this {describe(tr[t])} with the {'previous' if other < i else 'next'} one: nothing is "
                          "missing; split it as the source does, so later source edits reach the right text", t + 1)
        for t, s_ in split.items():
            yield Finding(self.id, WARNING, pair.path, tr[t].line,
                          f"{describe(tr[t])} split off the one before it: together they translate "
                          f"{pair.source_path}:{src[s_].line}; nothing is missing, join them as the source has one",
                          t + 1)
        for i, t in moved.items():  # a warning: nothing is lost, and no label has measured it yet
            yield Finding(self.id, WARNING, pair.path, tr[t].line, f"{describe(src[i])} '{short(src[i].text)}' "
                          f"({pair.source_path}:{src[i].line}) is moved here, away from its place in the source "
                          f"({where(pair.source, i)}); move it back", t + 1)
        for run in _runs([i for i in result.missing if src[i].kind != "meta" and i not in merged and i not in moved]):
            line = _line_for_missing(result, pair.translation, run[0])
            head = heading_before(pair.source, run[0] - 1) if src[run[0]].kind == "heading" else \
                heading_before(pair.source, run[0])
            under = f"under heading '{short(head.text)}'" if head else "at the start of the article"
            if src[run[0]].kind == "heading" and head is None:
                under = "before it"
            yield self._finding(pair, line, f"{_run(src[i] for i in run)} missing {under} (source "
                                f"{pair.source_path}:{src[run[0]].line}); translate and add it")
        for run in _runs([i for i in result.extra if tr[i].kind != "meta" and i not in split
                          and i not in moved.values()]):
            place = "at the end" if run[-1] == len(tr) - 1 else f"({where(pair.translation, run[0])})"
            yield self._finding(pair, tr[run[0]].line, f"extra {_run(tr[i] for i in run)} {place}, not in the source; "
                                "remove it or add it to the source first", run[0] + 1)

    def _skeleton(self, pair: Pair) -> Iterator[Finding]:
        """Code blocks, admonition types and tabs: compared as sequences, one finding per difference."""
        for src, tr in (
            ([(f.line, f"code block{' ' + f.info if f.info else ''}") for f in fences(pair.source)],
             [(f.line, f"code block{' ' + f.info if f.info else ''}") for f in fences(pair.translation)]),
            (_markers(pair.source), _markers(pair.translation)),
            ([(n, f"callout [!{k}]") for n, k in wiki.callouts(pair.source.text)],
             [(n, f"callout [!{k}]") for n, k in wiki.callouts(pair.translation.text)]),
        ):
            if [n for _, n in src] == [n for _, n in tr]:  # (the usual case, linear)
                continue
            matcher = SequenceMatcher(None, [n for _, n in src], [n for _, n in tr], autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    continue
                line = tr[j1][0] if j1 < len(tr) else (tr[-1][0] if tr else 1)
                names = ", ".join(n for _, n in src[i1:i2])
                extra = ", ".join(n for _, n in tr[j1:j2])
                if tag == "delete":
                    msg = f"{names} missing (source {pair.source_path}:{src[i1][0]}); copy it from the source"
                elif tag == "insert":
                    msg = f"extra {extra}, not in the source; remove it"
                else:
                    msg = f"{extra} where the source has {names} ({pair.source_path}:{src[i1][0]}); match the source"
                yield self._finding(pair, line, msg)

    def _unclosed(self, pair: Pair) -> Iterator[Finding]:
        """A ``///`` block the translation opens and never closes (the source closes all of its):
        the rest of the page renders inside it. Openers are compared by :meth:`_skeleton`; a lost
        closer leaves them equal, so the closers are matched here, innermost first."""
        def still_open(doc: Document) -> list[tuple[int, str]]:
            start = doc.line_of(doc.front_matter[1]) + 1 if doc.front_matter else 1
            in_fence = {f.line for f in fences(doc)}
            stack: list[tuple[int, str]] = []
            for number, line in enumerate(doc.text.split("\n"), start=1):
                if number < start or number in in_fence:
                    continue
                m = _MARKER.match(line)
                if m and m.group("block"):
                    stack.append((number, m.group("block").lower()))
                elif _CLOSER.match(line) and stack:
                    stack.pop()
            return stack

        if still_open(pair.source):
            return
        for line, kind in still_open(pair.translation)[:1]:
            yield self._finding(pair, line, f"the '/// {kind}' block opened here is never closed: the rest of the "
                                "page renders inside it; add a '///' line where it ends, as in "
                                f"{pair.source_path}")

    def _keys(self, pair: Pair) -> Iterator[Finding]:
        # title belongs to the frontmatter check, provenance is helpglot's own
        own = set(getattr(getattr(pair.settings, "checks", None), "front_matter_own", ()) or ())
        skip = {KEY, "title"} | own  # keys each language may have or not (declared in checks.front_matter_own)
        src = [k for k in front_matter_data(pair.source) if k not in skip]
        tr = [k for k in front_matter_data(pair.translation) if k not in skip]
        missing = [k for k in src if k not in tr]
        extra = [k for k in tr if k not in src]
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + \
                    ([f"extra {', '.join(extra)}"] if extra else [])
            yield self._finding(pair, 1, f"front-matter keys differ from the source: {'; '.join(parts)}; "
                                f"use the same keys as {pair.source_path}")

