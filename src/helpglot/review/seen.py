"""What a reviewer saw: an approval covers exactly the reviewed commit, nothing drafted after it.

A pull-request review event carries ``review.commit_id``, the commit the reviewer looked at;
the branch's head may have moved since (a writer's push, a new machine draft). ``helpglot
approve --seen COMMIT`` approves a block only where that commit already had it: the same
text, made from the same English (its provenance hash). Anything else stays unreviewed and
the run says so, so no approval ever blesses text nobody read (DESIGN contract 4).
"""

from __future__ import annotations

import re
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.markdown.segment import Document, parse
from helpglot.tracking import provenance
from helpglot.tracking.history import git

_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def _fold(text: str) -> str:
    return " ".join(text.split())


def _at(root: Path, path: Path, commit: str) -> str | None:
    """``path`` as ``commit`` had it (None: it did not exist); a bad commit is refused."""
    if not _SHA.fullmatch(commit):
        raise HelpglotError(f"--seen {commit}: not a commit id (the review's commit_id); nothing was changed")
    if git(root, "cat-file", "-e", f"{commit}^{{commit}}") is None:
        raise HelpglotError(f"--seen {commit}: no such commit in this clone (fetch the branch's history: "
                            "actions/checkout with fetch-depth: 0); nothing was changed")
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    return git(root, "show", f"{commit}:{rel}")


def seen_strings(root: Path, path: Path, commit: str) -> set[tuple[str, str, str]]:
    """(key, text, English) of every reader string ``path`` (a ``.helpglot-strings.yml``) had at
    ``commit``: what the reviewer saw; empty if it did not exist or could not be read then."""
    from helpglot.tracking import readerstrings

    text = _at(root, path, commit)
    if text is None:
        return set()
    try:
        entries = readerstrings.parse(text, f"{commit}:{path.name}")
    except readerstrings.StringsError:
        return set()
    return {(key, entry.text, entry.new_en or entry.en) for key, entry in entries.items()}


def seen_blocks(root: Path, path: Path, commit: str, shown: str) -> set[tuple[str, str]]:
    """(source hash, text) of every block ``path`` had at ``commit``; empty if it did not exist."""
    text = _at(root, path, commit)
    if text is None:
        return set()
    try:
        doc = parse(text, shown)
        prov = provenance.read(doc)
    except HelpglotError:
        return set()
    if prov is None or len(prov.blocks) != len(doc.blocks):
        return set()
    return {(record.hash, _fold(block.text)) for record, block in zip(prov.blocks, doc.blocks, strict=True)}


def unseen(chosen: list[int], doc: Document, hashes: list[str], seen: set[tuple[str, str]]) -> list[int]:
    """The 1-based blocks of ``chosen`` the reviewer did not see as they are now."""
    return [n for n in chosen if (hashes[n - 1], _fold(doc.blocks[n - 1].text)) not in seen]
