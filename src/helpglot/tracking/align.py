"""One aligner: which translation block renders which source block, by what survives translation.

``check``, ``adopt`` and ``translate`` ask the same question of a source article and its
translation: which blocks correspond, which source blocks the translation lost and which blocks
it added. Pairing by index, or by difflib on block kinds, lets one merged paragraph shift every
pair after it and turns one difference into forty findings. This module aligns the way a
bilingual reader would, using only what survives translation:

1. **Sections first.** Both documents are cut at their headings; sections are paired by a
   dynamic programme over the heading sequence whose cost uses the heading level, the heading's
   ``{#id}`` (which translations keep), and the numbers, code and URLs of the heading and its
   section. A section the translation dropped is one gap, never a shift of every later section.
2. **Blocks within each pair of sections**, by a second dynamic programme (Needleman-Wunsch with
   a gap cost of 1): two blocks can pair only when they are the same kind of block (kind,
   heading level or table position), and the cost of pairing them falls with every shared
   signal: numbers, inline code, URLs and link targets, capitalised names, the closing
   punctuation (a lead-in ending in ":"), the enclosing containers, and a Gale-Church-style
   length ratio whose expectation depends on the target language's script (CJK text is about
   a third of the English character count).

Sections are short, so the quadratic step is over tens of blocks; when a section's block kinds
already agree one to one, no programme runs at all (the common case, and what keeps ``adopt``
of a whole translated site fast). A translation's title on a ``/// note`` whose source has none
(FastAPI's translations name the default title) is reported as ``optional``, not ``extra``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from helpglot.markdown.segment import Block, Document

GAP = 1.0
#: expected translation/source character ratio by target language (English source)
RATIO = {"ja": 0.52, "zh": 0.35, "zh-hant": 0.35, "ko": 0.6, "ru": 1.1, "uk": 1.1, "de": 1.15, "es": 1.15,
         "fr": 1.15, "pt": 1.12, "it": 1.12, "ro": 1.12, "tr": 1.05, "lt": 1.0, "pl": 1.1}
CJK = frozenset(("ja", "zh", "ko", "zh-hant", "zh-hans"))

_ANCHOR = re.compile(r"\{[^}\n]*?#([\w:.-]+)[^}\n]*\}")
_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)|<code>(.*?)</code>")
_URL = re.compile(r"\]\(\s*<?([^)\s>]+)|https?://[^\s)>\]`]+")
_NUM = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*\b|\b[A-Z][a-z]+[A-Z]\w*")


@dataclass(frozen=True)
class Features:
    """What a block keeps through translation."""

    code: frozenset[str]
    urls: frozenset[str]
    nums: frozenset[str]
    names: frozenset[str]
    length: int
    colon: bool


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    code = frozenset(m.group(2) or m.group(3) or "" for m in _CODE.finditer(text))
    bare = _CODE.sub(" ", text)
    urls = frozenset(m.group(1) or m.group(0) for m in _URL.finditer(bare))
    words = _URL.sub(" ", bare)
    return Features(code, urls, frozenset(_NUM.findall(words)), frozenset(_NAME.findall(words)),
                    len(words), text.rstrip("*_ ").endswith((":", "：")))


def _jaccard_cost(a: frozenset, b: frozenset) -> float | None:
    if not a and not b:
        return None
    return 1.0 - len(a & b) / len(a | b)


def pair_cost(src: Block, tr: Block, lang: str) -> float:
    """The cost of saying ``tr`` translates ``src`` (0: certain; above 2: never worth it)."""
    fs, ft = features(src.text), features(tr.text)
    cost, weight = 0.0, 0.0
    for a, b, w in ((fs.code, ft.code, 1.0), (fs.urls, ft.urls, 1.0), (fs.nums, ft.nums, 0.7),
                    (fs.names, ft.names, 0.4)):
        c = _jaccard_cost(a, b)
        if c is not None:
            cost, weight = cost + w * c, weight + w
    expected = RATIO.get(lang, 1.1)
    if fs.length >= 8 and ft.length >= 2:
        # Gale-Church: the log of the length ratio against the language's usual ratio
        dev = abs(math.log(ft.length / (fs.length * expected)))
        cost, weight = cost + 0.8 * min(1.0, dev / 1.2), weight + 0.8
    score = cost / weight if weight else 0.3
    if fs.colon != ft.colon and src.kind in ("paragraph", "list_item"):
        score += 0.15
    if src.context != tr.context:
        score += 0.3
    return 0.1 + score


def _key(block: Block) -> str:
    return block.signature


@dataclass(frozen=True)
class BlockAlignment:
    """Translation block -> source block pairs, and what either side has alone (0-based indexes)."""

    pairs: tuple[tuple[int, int], ...]  # (translation block, source block), in order
    missing: tuple[int, ...]  # source blocks with no translation
    extra: tuple[int, ...]  # translation blocks with no source
    optional: tuple[int, ...] = ()  # translation titles on blocks whose source title is implicit

    @property
    def exact(self) -> bool:
        return not self.missing and not self.extra and not self.optional


def _sections(doc: Document, skip_meta: bool) -> list[list[int]]:
    """Block indexes per section: the preamble, then one list per heading (heading first)."""
    out: list[list[int]] = [[]]
    for block in doc.blocks:
        if skip_meta and block.kind == "meta":
            continue
        if block.kind == "heading" and not block.context:
            out.append([block.index])
        else:
            out[-1].append(block.index)
    return out


def _anchor(doc: Document, block: Block) -> str | None:
    end = doc.text.find("\n", block.end)
    found = _ANCHOR.search(doc.text, block.start, len(doc.text) if end < 0 else end)
    return found.group(1) if found else None


def _section_cost(source: Document, translation: Document, s: list[int], t: list[int], lang: str) -> float:
    sh, th = source.blocks[s[0]], translation.blocks[t[0]]
    a, b = _anchor(source, sh), _anchor(translation, th)
    if a and b:
        base = 0.0 if a == b else 1.9
    else:
        base = pair_cost(sh, th, lang)
    if sh.detail != th.detail:
        base += 0.6
    size = abs(len(s) - len(t)) / max(len(s), len(t))
    return base + 0.4 * size


def _dp(n: int, m: int, cost) -> list[tuple[int | None, int | None]]:  # noqa: ANN001
    """Needleman-Wunsch: the cheapest pairing of 0..n with 0..m (``cost(i, j)`` None: cannot pair)."""
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        row, prev = best[i], best[i - 1] if i else None
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            b, mv = inf, 0
            if i and prev[j] + GAP < b:  # type: ignore[index]
                b, mv = prev[j] + GAP, 1  # type: ignore[index]
            if j and row[j - 1] + GAP < b:
                b, mv = row[j - 1] + GAP, 2
            if i and j:
                c = cost(i - 1, j - 1)
                if c is not None and prev[j - 1] + c <= b:  # type: ignore[index]
                    b, mv = prev[j - 1] + c, 3  # type: ignore[index]
            row[j], move[i][j] = b, mv
    out: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        mv = move[i][j]
        if mv == 3:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif mv == 1:
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    out.reverse()
    return out


def align(source: Document, translation: Document, lang: str = "", skip_meta: bool = False) -> BlockAlignment:
    """Align two segmented documents (see the module docstring)."""
    src, tr = source.blocks, translation.blocks
    if [_key(b) for b in src] == [_key(b) for b in tr]:
        pairs = tuple((i, i) for i in range(len(tr)) if not (skip_meta and tr[i].kind == "meta"))
        return BlockAlignment(tuple(_relist(source, translation, list(pairs), lang)), (), ())
    s_secs, t_secs = _sections(source, skip_meta), _sections(translation, skip_meta)
    # the preambles always correspond; headed sections are aligned by their headings
    sec_pairs: list[tuple[list[int], list[int]]] = [(s_secs[0], t_secs[0])]
    missing: list[int] = []
    extra: list[int] = []
    heads = _dp(len(s_secs) - 1, len(t_secs) - 1,
                lambda i, j: _section_cost(source, translation, s_secs[i + 1], t_secs[j + 1], lang))
    for i, j in heads:
        if i is not None and j is not None:
            sec_pairs.append((s_secs[i + 1], t_secs[j + 1]))
        elif i is not None:
            missing.extend(s_secs[i + 1])
        else:
            extra.extend(t_secs[j + 1])  # type: ignore[index]
    pairs: list[tuple[int, int]] = []
    for s_ids, t_ids in sec_pairs:
        if s_ids and t_ids and src[s_ids[0]].kind == "heading" and tr[t_ids[0]].kind == "heading" \
                and src[s_ids[0]].detail != tr[t_ids[0]].detail:
            pairs.append((t_ids[0], s_ids[0]))  # paired headings of different levels: structure says so
            s_ids, t_ids = s_ids[1:], t_ids[1:]
        if [_key(src[i]) for i in s_ids] == [_key(tr[j]) for j in t_ids]:
            pairs.extend(zip(t_ids, s_ids, strict=True))
            continue

        def cost(i: int, j: int, s_ids: list[int] = s_ids, t_ids: list[int] = t_ids) -> float | None:
            a, b = src[s_ids[i]], tr[t_ids[j]]
            return pair_cost(a, b, lang) if _key(a) == _key(b) else None

        for i, j in _dp(len(s_ids), len(t_ids), cost):
            if i is not None and j is not None:
                pairs.append((t_ids[j], s_ids[i]))
            elif i is not None:
                missing.append(s_ids[i])
            else:
                extra.append(t_ids[j])  # type: ignore[index]
    pairs = _relist(source, translation, sorted(pairs), lang)
    optional = _implicit_titles(source, translation, extra, dict(pairs))
    return BlockAlignment(tuple(pairs), tuple(sorted(missing)), tuple(sorted(set(extra) - set(optional))),
                          tuple(optional))


def _relist(source: Document, translation: Document, pairs: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """List items a translation re-sorted (by its own alphabet) paired by content, not position.
    A run of consecutive paired items of one list keeps its positional pairing unless pairing each
    item with its cheapest counterpart (code, links, numbers, names, length: :func:`pair_cost`,
    greedily, ties kept in place) costs clearly less."""
    src, tr = source.blocks, translation.blocks
    out = list(pairs)
    k = 0
    while k < len(out):
        end = k
        while (end + 1 < len(out) and out[end + 1] == (out[end][0] + 1, out[end][1] + 1)
               and tr[out[end + 1][0]].kind == "list_item" and tr[out[end][0]].kind == "list_item"
               and tr[out[end + 1][0]].context == tr[out[end][0]].context):
            end += 1
        n = end - k + 1
        if n >= 3 and n <= 40 and tr[out[k][0]].kind == "list_item":
            t0, s0 = out[k]
            cost = [[pair_cost(src[s0 + i], tr[t0 + j], lang) for j in range(n)] for i in range(n)]
            diagonal = sum(cost[i][i] for i in range(n))
            order = sorted((cost[i][j], abs(i - j), i, j) for i in range(n) for j in range(n))
            used_i: set[int] = set()
            used_j: set[int] = set()
            match: dict[int, int] = {}
            for _c, _d, i, j in order:
                if i not in used_i and j not in used_j:
                    match[i] = j
                    used_i.add(i)
                    used_j.add(j)
            greedy = sum(cost[i][match[i]] for i in range(n))
            if greedy < diagonal - 0.125 * n:  # clearly better: about an eighth of a mismatch per item
                out[k : end + 1] = sorted((t0 + match[i], s0 + i) for i in range(n))
        k = end + 1
    return out


def _implicit_titles(source: Document, translation: Document, extra: list[int], paired: dict[int, int]) -> list[int]:
    """Extra admonition titles on a block whose source has no title (its type is the title)."""
    out = []
    for t in extra:
        block = translation.blocks[t]
        if block.kind != "admonition_title" or t + 1 not in paired:
            continue
        s = paired[t + 1]
        body = source.blocks[s]
        before = source.blocks[s - 1] if s else None
        if body.context[-1:] == ("admonition",) and len(body.context) == len(translation.blocks[t + 1].context) \
                and not (before is not None and before.kind == "admonition_title" and before.context == block.context):
            out.append(t)
    return out


def first_divergence(source: Document, translation: Document, lang: str = "") -> str | None:
    """The first place where the translation's structure differs from its source's, located."""
    result = align(source, translation, lang)
    problems: list[tuple[int, str]] = []
    for t, s in result.pairs:
        a, b = source.blocks[s], translation.blocks[t]
        if a.signature != b.signature:
            problems.append((b.line, f"{translation.path}:{b.line}: block {t + 1} is a {_name(b)} but the "
                             f"source's block {s + 1} ({source.path}:{a.line}) is a {_name(a)}"))
            break
    if result.missing and result.extra:
        s, t = result.missing[0], result.extra[0]
        # in the same place (as many pairs before each): the translation has another kind of block there
        if sum(1 for _, x in result.pairs if x < s) == sum(1 for y, _ in result.pairs if y < t):
            a, b = source.blocks[s], translation.blocks[t]
            problems.append((b.line, f"{translation.path}:{b.line}: block {t + 1} is a {_name(b)} but the "
                             f"source's block {s + 1} ({source.path}:{a.line}) is a {_name(a)}"))
    if result.missing and not problems:
        s = result.missing[0]
        line = _line_for_missing(result, translation, s)
        problems.append((line, f"{translation.path}:{line}: the source's block {s + 1}, a {_name(source.blocks[s])} "
                         f"({source.path}:{source.blocks[s].line}: '{_short(source.blocks[s].text)}'), "
                         "has no translation here"))
    for t in result.extra[:1] if not problems else ():
        b = translation.blocks[t]
        problems.append((b.line, f"{translation.path}:{b.line}: block {t + 1}, a {_name(b)} ('{_short(b.text)}'), "
                         "is not in the source"))
    if not problems and result.optional:  # only when nothing else differs: the lesser difference
        b = translation.blocks[result.optional[0]]
        return (f"{translation.path}:{b.line}: admonition title '{_short(b.text)}' where the source's block has "
                f"none (its type is its title); remove the title here or give the source's block one")
    if not problems:
        return None
    return min(problems)[1]


def _line_for_missing(result: BlockAlignment, translation: Document, s: int) -> int:
    """The translation line where source block ``s`` should be: after the last pair before it."""
    before = [t for t, x in result.pairs if x < s]
    after = [t for t, x in result.pairs if x > s]
    if after:
        return translation.blocks[min(after)].line
    if before:
        return translation.blocks[max(before)].line
    return 1


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(block: Block) -> str:
    if block.kind == "heading":
        return f"level-{block.detail} heading"
    if block.kind == "table_cell":
        return f"table cell (row.column {block.detail})"
    if block.kind == "meta":
        return f"front-matter '{block.detail}'"
    return block.kind.replace("_", " ")
