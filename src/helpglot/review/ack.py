"""``ack``: what the writer means by "this edit needs no re-translation".

A writer who fixes a comma next to a real change must not, with one command,
tell five languages that the real change needs nothing. So ``ack`` acts on the
writer's own edit of that file: the uncommitted change against ``HEAD``, or else
the last commit that touched it. Only blocks changed *by that edit* are
acknowledged, and only in translations still made from the block as it was just
before it (an older, real change stays stale). Each block must be cosmetic: the
same numbers, link and image targets, inline code and URLs, the same glossary
terms, and at most a small edit (:data:`MAX_WORDS` words); otherwise ack refuses,
naming the block and why, and nothing is written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.markdown.inline import protect
from helpglot.markdown.segment import Block, Document, parse
from helpglot.tracking.freshness import align
from helpglot.tracking.history import git

MAX_WORDS = 3  # words added, removed or changed in one block for an edit to count as cosmetic
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


@dataclass(frozen=True)
class Acked:
    """One source block the edit changed: its hash before and after."""

    number: int  # 1-based block number in the current source
    old: str
    new: str



def baseline(path: Path) -> tuple[str, str] | None:
    """(the source as it was before the writer's own edit, what that edit is), or None without git."""
    folder, name = path.parent, path.name
    if git(folder, "rev-parse", "--is-inside-work-tree") is None:
        return None
    dirty = git(folder, "status", "--porcelain", "--", name)
    if dirty:
        text = git(folder, "show", f"HEAD:./{name}")
        return (text, "the uncommitted edit") if text is not None else None
    commits = (git(folder, "log", "-n2", "--format=%H", "--", name) or "").split()
    if len(commits) < 2:
        return None
    text = git(folder, "show", f"{commits[1]}:./{name}")
    return (text, f"the last commit that changed it ({commits[0][:10]})") if text is not None else None


def edited_blocks(before: Document, after: Document) -> list[tuple[Block, Block]]:
    """Pairs (old, new) of the blocks the edit changed in place."""
    alignment = align(before.hashes, after.hashes, [b.signature for b in before.blocks],
                      [b.signature for b in after.blocks])
    return [(before.blocks[c.old], after.blocks[c.new]) for c in alignment.changes if c.kind == "changed"]


def why_not_cosmetic(old: str, new: str, terms: list[str]) -> str | None:
    """Why an edit of a block needs translators (None: it is cosmetic)."""
    p_old, p_new = protect(old), protect(new)
    markup_old = sorted(s.markup + s.close for s in p_old.spans)
    markup_new = sorted(s.markup + s.close for s in p_new.spans)
    if markup_old != markup_new:
        lost = sorted(set(markup_old) - set(markup_new))
        added = sorted(set(markup_new) - set(markup_old))
        return f"its markup changed (link targets, inline code, URLs: {', '.join(lost + added)[:120]})"
    text_old, text_new = re.sub(r"<[^<>]*>", " ", p_old.text), re.sub(r"<[^<>]*>", " ", p_new.text)
    if _NUMBER.findall(text_old) != _NUMBER.findall(text_new):
        return (f"its numbers changed ({', '.join(_NUMBER.findall(text_old)) or 'none'} → "
                f"{', '.join(_NUMBER.findall(text_new)) or 'none'})")
    low_old, low_new = text_old.casefold(), text_new.casefold()
    for term in terms:
        t = term.casefold()
        if (re.search(rf"\b{re.escape(t)}\b", low_old) is None) != (re.search(rf"\b{re.escape(t)}\b", low_new) is None):
            return f"the glossary term '{term}' was added or removed"
    words_old, words_new = text_old.split(), text_new.split()
    changed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words_old, words_new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += max(i2 - i1, j2 - j1)
    if changed > MAX_WORDS:
        return f"{changed} words changed (a cosmetic edit changes at most {MAX_WORDS})"
    return None


def scope(source_path: Path, current: Document, numbers: tuple[int, ...], terms: list[str],
          force: bool) -> list[Acked]:
    """The blocks to acknowledge, or HelpglotError naming the first one that needs translators."""
    found = baseline(source_path)
    if numbers:
        wanted = {n - 1 for n in numbers}
        pairs = []
        if found is not None:
            pairs = [(o, n) for o, n in edited_blocks(parse(found[0]), current) if n.index in wanted]
        described = "--block"
    else:
        if found is None:
            raise HelpglotError(
                f"{source_path.name}: no git history to tell the writer's own edit from older changes; "
                "name the blocks with --block N (from `helpglot status`); nothing was changed")
        pairs = edited_blocks(parse(found[0]), current)
        described = found[1]
        if not pairs:
            raise HelpglotError(f"{source_path.name}: {described} changed no block in place; nothing to "
                                "acknowledge (an inserted or deleted block needs `helpglot translate`)")
    acked: list[Acked] = []
    for old, new in pairs:
        reason = None if force else why_not_cosmetic(old.text, new.text, terms)
        if reason:
            raise HelpglotError(
                f"block {new.index + 1} ({source_path.name}:{new.line}) is not a cosmetic edit: {reason}. "
                "Translators must see it: run `helpglot translate` (or pass --force if the translations "
                "are right as they are); nothing was changed")
        acked.append(Acked(new.index + 1, old.hash, new.hash))
    return acked
