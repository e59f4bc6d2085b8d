"""Reviews backed by GitHub: a block a pull request marks reviewed must have a reviewer who
approved that pull request on GitHub.

Why: provenance is plain text in the translation's front matter, so anyone who can push to a
branch can write ``reviewed`` by hand (issue 18, 6). Git cannot tell who wrote a line (author
names are free text); GitHub can tell who approved a pull request, and a pull request's author
cannot approve their own. So ``check.yml`` hands the approving logins to ``helpglot
verify-reviews``, which compares the branch with its base: every block reviewed on the branch
and not reviewed with the same text at the base needs a reviewer ``@login`` who approved the
pull request and is one of the language's ``translators``. ``review-record.yml`` records exactly that
(``--reviewer @login`` of the approving review); a marker written by hand fails the check, and
branch protection keeps it from merging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpglot import layout
from helpglot.errors import ConfigError, ContentError
from helpglot.markdown.segment import parse, parse_file
from helpglot.settings import Settings
from helpglot.tracking import provenance, readerstrings
from helpglot.tracking.history import git

MATERIAL = "Material for MkDocs"
_KEY_LINE = re.compile(r"^  ([\w-]+):\s*$")


@dataclass(frozen=True)
class Unbacked:
    path: str
    line: int
    blocks: tuple[int, ...]
    reviewer: str
    why: str
    key: str = ""  # a reader string's key (``.helpglot-strings.yml``) instead of article blocks

    def message(self) -> str:
        if self.key and self.reviewer == MATERIAL:
            return (f"{self.path}:{self.line}: reader string {self.key} says `status: material` in this "
                    f"pull request, but {self.why}")
        numbers = ", ".join(str(n) for n in self.blocks)
        what = f"reader string {self.key}" if self.key else f"block(s) {numbers}"
        return (f"{self.path}:{self.line}: {what} marked reviewed by {self.reviewer or '(nobody)'} "
                f"in this pull request, but {self.why}. Approve the pull request on GitHub (Review changes, "
                "Approve) as one of the language's translators: the review workflow records it")


def _reviewed(text: str, where: str) -> set[tuple[str, str]]:
    """(source hash, translation text) of each reviewed block of a translation's text."""
    try:
        doc = parse(text, where)
        prov = provenance.read(doc)
    except ContentError:
        return set()
    if prov is None:
        return set()
    return {(r.hash, b.text) for b, r in zip(doc.blocks, prov.blocks, strict=False) if r.status == "reviewed"}


def _why(reviewer: str, approved: set[str], translators: set[str], lang: str) -> str:
    """Why ``reviewer`` cannot back a new review ("" when they can)."""
    handle = reviewer.lstrip("@").casefold()
    if not reviewer.startswith("@"):
        return "that is no GitHub login (@name), so no approval on GitHub can back it"
    if handle not in approved:
        return f"{reviewer} has not approved it on GitHub"
    if handle not in translators:
        return f"{reviewer} is not one of the {lang} translators in mkdocs.yml"
    return ""


def unbacked(settings: Settings, lang: str, base: str, approvers: set[str],
             material: dict[str, str] | None = None) -> list[Unbacked]:
    """Files whose newly reviewed blocks no GitHub approval backs (see the module docstring),
    and the language's reader strings (``material``: Material's own texts for them) likewise."""
    if lang not in settings.targets:
        raise ConfigError(f"--lang {lang}: not a translation language of this site "
                          f"(mkdocs.yml plugins.i18n.languages: {', '.join(settings.targets)})")
    if git(settings.root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        # an unknown base (or no repository) would make every recorded review look new
        raise ConfigError(f"--base {base}: no such commit here; pass the pull request's base (in CI: "
                          "github.event.pull_request.base.sha, fetched); nothing was verified")
    approved = {a.lstrip("@").casefold() for a in approvers}
    translators = {t.lstrip("@").casefold() for t in settings.translators.get(lang, ())}
    out: list[Unbacked] = []
    for tfile in layout.translation_files(settings, (lang,)):
        shown = settings.rel(tfile.path)
        try:
            doc = parse_file(str(tfile.path), shown)
            prov = provenance.read(doc)
        except (ContentError, OSError, UnicodeDecodeError):
            continue  # `check` and `status` report unreadable files
        if prov is None:
            continue
        before = git(settings.root, "show", f"{base}:{shown}")
        old = _reviewed(before, shown) if before else set()
        old_hashes = {h for h, _ in old}
        new = [(i + 1, r.hash in old_hashes) for i, (b, r) in enumerate(zip(doc.blocks, prov.blocks, strict=False))
               if r.status == "reviewed" and (r.hash, b.text) not in old]
        if not new:
            continue
        reviewer = (prov.reviewer or "").strip()
        why = ""
        if any(not edited for _, edited in new):  # drafts (or nothing) at the base, reviewed now
            why = _why(reviewer, approved, translators, lang)
        if not why and not approved & translators:  # reviewed text edited here: a translator approves it
            why = f"no {lang} translator has approved the pull request on GitHub"
        if why:
            out.append(Unbacked(shown, provenance.key_line(doc), tuple(n for n, _ in new), reviewer, why))
    return out + _strings(settings, lang, base, approved, translators, material or {})


def _strings(settings: Settings, lang: str, base: str, approved: set[str], translators: set[str],
             material: dict[str, str]) -> list[Unbacked]:
    """Reader strings newly marked ``reviewed`` (or ``material``) on the branch: the same rules as
    blocks, per string, since each string names its own reviewer. A ``material`` string must say
    exactly what Material's own human translation says, or anyone could label their text so."""
    path = readerstrings.path_for(settings.translations_dir, lang)
    shown = settings.rel(path)
    try:
        raw = path.read_text(encoding="utf-8")
        now = readerstrings.parse(raw, shown, strict=False)
    except (OSError, UnicodeDecodeError, readerstrings.StringsError):
        return []  # no file, or a broken one: `check` names it
    before = git(settings.root, "show", f"{base}:{shown}")
    try:
        old = readerstrings.parse(before, shown, strict=False) if before else {}
    except readerstrings.StringsError:
        old = {}
    lines = {m.group(1): n for n, text in enumerate(raw.splitlines(), 1) if (m := _KEY_LINE.match(text))}
    out = []
    for key, entry in now.items():
        was = old.get(key)
        if entry.status == "material":
            if (was and was.status == "material" and was.text == entry.text) or material.get(key) == entry.text:
                continue
            theirs = material.get(key)
            why = (f"Material's own {lang} text for it is '{theirs}'" if theirs else
                   f"Material has no {lang} text for it")
            out.append(Unbacked(shown, lines.get(key, 1), (), MATERIAL,
                                why + "; set `status: machine` and approve it as a translator", key))
            continue
        if entry.status != "reviewed" or (was and was.status == "reviewed" and was.text == entry.text
                                          and was.en == entry.en):
            continue
        reviewer = (entry.reviewer or "").strip()
        if was and was.status == "reviewed" and was.en == entry.en:  # reviewed text edited here
            why = "" if approved & translators else f"no {lang} translator has approved the pull request on GitHub"
        else:
            why = _why(reviewer, approved, translators, lang)
        if why:
            out.append(Unbacked(shown, lines.get(key, 1), (), reviewer, why, key))
    return out
