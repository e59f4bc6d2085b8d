"""Source changes that need no translator travel into translations by themselves.

A writer who fixes a link target, an image path, a code sample, a URL or a heading's
``{#id}`` changed nothing a translator has to read. Such a change is carried into every
translation by ``translate`` (no engine call, no review), and the block keeps its status.

Two kinds of skeleton, two mechanisms:

* **inside a block** (link and image targets, inline code, URLs: the spans
  :func:`helpglot.markdown.inline.protect` keeps out of the engine's text): when the old and
  the new source block protect to the *same* text and differ only in span markup,
  each changed span is replaced in the translation where it occurs exactly once;
* **between blocks** (code blocks, ``{#id}`` attributes, list markers, HTML lines):
  a three-way merge per gap. The base is the source as it was when the translation
  was last committed; a gap the translation still has as in the base, and that the
  source changed since, takes the source's text. A gap the translator changed (a
  suppression comment, a translated code comment a project allows) is left alone.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.markdown.inline import protect
from helpglot.markdown.segment import Document, fill, parse


def carry_spans(old_source: str, new_source: str, translation: str) -> str | None:
    """The translation with the source's changed span markup, or None when the edit is not
    confined to spans (or a changed span cannot be found exactly once in the translation)."""
    before, after = protect(old_source), protect(new_source)
    if before.text != after.text or len(before.spans) != len(after.spans):
        return None
    out = translation
    for old, new in zip(before.spans, after.spans, strict=True):
        for a, b in ((old.markup, new.markup), (old.close, new.close)):
            if a == b:
                continue
            if not a or out.count(a) != 1:
                return None
            out = out.replace(a, b)
    if out == translation:
        return None
    expected = Counter(s.markup + s.close for s in after.spans)
    if Counter(s.markup + s.close for s in protect(out).spans) != expected:
        return None
    return out


def gaps(doc: Document, body: int) -> dict[int, str]:
    """The text before each block (and, at ``len(blocks)``, after the last), for gaps wholly in
    the body: front-matter gaps hold keys and provenance, never skeleton to carry."""
    out: dict[int, str] = {}
    pos = 0
    for block in doc.blocks:
        if pos >= body:
            out[block.index] = doc.text[pos : block.start]
        pos = block.end
    if pos >= body:
        out[len(doc.blocks)] = doc.text[pos:]
    return out


def base_source(source_path: Path, translation_path: Path) -> Document | None:
    """The source as it was in the commit that last changed the translation (None without git)."""
    from helpglot.tracking.history import git

    commit = (git(translation_path.parent, "log", "-n1", "--format=%H", "--", translation_path.name) or "").strip()
    if not commit:
        return None
    text = git(source_path.parent, "show", f"{commit}:./{source_path.name}")
    if text is None:
        return None
    try:
        return parse(text, str(source_path))
    except HelpglotError:
        return None


def gap_updates(base: Document, source: Document, translation: Document, s_body: int, b_body: int,
                t_body: int) -> dict[int, str]:
    """Translation gaps to replace by the source's: changed in the source since ``base``, untouched
    in the translation. Empty unless all three have the same block structure."""
    if not (len(base.blocks) == len(source.blocks) == len(translation.blocks)) or \
            [b.signature for b in base.blocks] != [b.signature for b in source.blocks]:
        return {}
    s_gaps, b_gaps, t_gaps = gaps(source, s_body), gaps(base, b_body), gaps(translation, t_body)
    return {i: s_gaps[i] for i in s_gaps
            if i in b_gaps and i in t_gaps and s_gaps[i] != b_gaps[i] and t_gaps[i] == b_gaps[i]}


def render(doc: Document, blocks: dict[int, str], replaced_gaps: dict[int, str]) -> str:
    """``doc`` with some blocks' texts and some gaps replaced."""
    out: list[str] = []
    pos = 0
    for block in doc.blocks:
        gap = doc.text[pos : block.start]
        out.append(replaced_gaps.get(block.index, gap))
        out.append(fill(doc.text, block, blocks[block.index]) if block.index in blocks else block.text)
        pos = block.end
    out.append(replaced_gaps.get(len(doc.blocks), doc.text[pos:]))
    return "".join(out)


def body_start(doc: Document) -> int:
    """Offset of the first character after the front matter's closing line."""
    if doc.front_matter is None:
        return 0
    end = doc.text.find("\n", doc.front_matter[1])
    return len(doc.text) if end < 0 else end + 1


def published(source_path: Path, translation_path: Path, source: Document, translation: Document) -> str | None:
    """The translation as it should be published now: with the code blocks, ``{#id}`` lines and
    other gaps the writer changed since it was committed, and the translator left as they were,
    taken from the source (None when there is nothing to carry).

    Why at publish time: a writer's new API URL in a code sample needs no translator, but until
    the language's pull request merges, ``main``'s translation still has the old one, and a page
    would show it unmarked (gaps are no block: no "outdated" notice covers them). The file is not
    touched; ``translate`` carries the same change into it on the translation branch. Git is asked
    only when the translation's gaps differ from the source's at all."""
    s_body, t_body = body_start(source), body_start(translation)
    if len(source.blocks) != len(translation.blocks) or gaps(source, s_body) == gaps(translation, t_body):
        return None
    base = base_source(source_path, translation_path)
    if base is None:
        return None
    updates = gap_updates(base, source, translation, s_body, body_start(base), t_body)
    return render(translation, {}, updates) if updates else None

