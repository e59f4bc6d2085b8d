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
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from helpglot.errors import HelpglotError
from helpglot.markdown.inline import protect
from helpglot.markdown.segment import Block, Document, parse
from helpglot.terms import dictionary
from helpglot.tracking.freshness import align
from helpglot.tracking.history import git

MAX_WORDS = 3  # words respelled in one block for an edit to count as cosmetic
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


#: words whose insertion, deletion or replacement turns a sentence around (English sources)
NEGATIONS = frozenset("not no never none nobody nothing nowhere neither nor cannot without".split())
QUANTIFIERS = frozenset(
    "all every each any some few fewer many more most less least several both either only always never "
    "sometimes often usually rarely once twice half whole entire everyone everybody everything anyone "
    "anybody anything someone somebody something".split())
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _fold(word: str) -> str:
    """Case and accents folded: "Résumé" and "resume" are one spelling to compare."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _kind(word: str) -> str | None:
    w = word.casefold().replace("’", "'")
    if w in NEGATIONS or w.endswith("n't"):
        return "a negation"
    if w in QUANTIFIERS:
        return "a quantifier"
    return None


def _near_spelling(a: str, b: str, lang: str) -> bool:
    """``b`` respells ``a``: a few edits apart (a transposition counts once), and not one real word
    replacing another (the source language's Hunspell dictionary, where installed, knows both)."""
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return True
    limit = 1 if max(len(fa), len(fb)) <= 5 else 2
    if DamerauLevenshtein.distance(fa, fb) > limit:
        return False
    known = dictionary.stems([a.casefold(), b.casefold()], lang)
    if known is None:
        return True
    stems_a, stems_b = known[a.casefold()], known[b.casefold()]
    return not (stems_a and stems_b and not stems_a & stems_b)


def _words_changed(text_old: str, text_new: str, lang: str) -> tuple[str | None, int]:
    """Why the words of an edit change its meaning (None: spelling, punctuation, spacing and
    capitals only), and how many words were respelled."""
    old, new = _WORD.findall(text_old), _WORD.findall(text_new)
    fold_old, fold_new = [_fold(w) for w in old], [_fold(w) for w in new]
    numbers_old = {i for i, w in enumerate(old) if w[:1].isdigit()}
    numbers_new = {i for i, w in enumerate(new) if w[:1].isdigit()}
    respelled = 0
    matcher = difflib.SequenceMatcher(None, fold_old, fold_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone, came = old[i1:i2], new[j1:j2]
        if "".join(fold_old[i1:i2]) == "".join(fold_new[j1:j2]):
            continue  # "log in" -> "login", "e-mail" -> "email": spacing only
        kinds = {_kind(word) for word in gone + came} - {None}
        if kinds:
            kind = "a negation" if "a negation" in kinds else "a quantifier"
            return (f"{kind} was added, removed or replaced ('{' '.join(gone) or '-'}' → "
                    f"'{' '.join(came) or '-'}')"), respelled
        if tag != "replace" or len(gone) != len(came):
            added, removed = " ".join(came), " ".join(gone)
            what = f"'{added}' added" if not gone else f"'{removed}' removed" if not came else \
                f"'{removed}' became '{added}'"
            return f"words were added or removed ({what})", respelled
        near_number = any(k in numbers_old for k in (i1 - 1, i2)) or any(k in numbers_new for k in (j1 - 1, j2))
        for a, b in zip(gone, came, strict=True):
            if near_number and _fold(a) != _fold(b):
                return f"the word next to a number changed ('{a}' → '{b}')", respelled
            if not _near_spelling(a, b, lang):
                return f"'{a}' → '{b}' is another word, not a spelling fix", respelled
            respelled += _fold(a) != _fold(b)
    return None, respelled


def why_not_cosmetic(old: str, new: str, terms: list[str], lang: str = "en") -> str | None:
    """Why an edit of a block needs translators (None: it is cosmetic). Cosmetic means spelling,
    punctuation, white space and capitals: the same markup, numbers and glossary terms, no word
    added or removed, no negation or quantifier touched, nothing next to a number changed, and
    every replaced word a near-spelling of itself (at most :data:`MAX_WORDS` of them)."""
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
    reason, respelled = _words_changed(html.unescape(text_old), html.unescape(text_new), lang)
    if reason:
        return reason
    if respelled > MAX_WORDS:
        return f"{respelled} words respelled (a cosmetic edit respells at most {MAX_WORDS})"
    return None


def scope(source_path: Path, current: Document, numbers: tuple[int, ...], terms: list[str],
          force: bool, lang: str = "en", shown: str | None = None) -> list[Acked]:
    """The blocks to acknowledge, or HelpglotError naming the first one that needs translators.
    ``shown`` is the source's path as the user typed it (default: its file name)."""
    name = shown or source_path.name
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
                f"{name}: no git history to tell the writer's own edit from older changes; "
                "name the blocks with --block N (from `helpglot status`); nothing was changed")
        pairs = edited_blocks(parse(found[0]), current)
        described = found[1]
        if not pairs:
            raise HelpglotError(f"{name}: {described} changed no block in place; nothing to "
                                "acknowledge (an inserted or deleted block needs `helpglot translate`)")
    acked: list[Acked] = []
    for old, new in pairs:
        reason = None if force else why_not_cosmetic(old.text, new.text, terms, lang)
        if reason:
            raise HelpglotError(
                f"block {new.index + 1} ({name}:{new.line}) is not a cosmetic edit: {reason}. "
                "Translators must see it: run `helpglot translate` (or pass --force if the translations "
                "are right as they are); nothing was changed")
        acked.append(Acked(new.index + 1, old.hash, new.hash))
    return acked
