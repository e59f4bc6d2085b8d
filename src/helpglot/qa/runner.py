"""``helpglot check``: run the QA checks over translations and report what to fix.

Every translation is checked against the English it was made from (its provenance
records that source; git has the text, see :mod:`helpglot.qa.madefrom`), or its current
source when it has no provenance: a stale translation is a state that ``status`` and the
reader notices report, never a QA error. Source and translation blocks are aligned by
meaning (:mod:`helpglot.tracking.align`: sections, then blocks), and the checks get the aligned pairs; a structural
difference is reported once by ``structure`` instead of as noise by every other
check.

Suppressions. A finding a reviewer has accepted is silenced in the file itself,
next to what it is about, so the reason travels with the text::

    <!-- helpglot: ignore numbers,length reason="the Spanish plan has its own price" -->
    El plan Team cuesta 19 € al mes.

The comment applies to the block that starts on the next non-blank line; the
same comment among the last lines of the file (after all content) applies to
the whole file. ``safety`` is never silenced by a file-level comment (in the
translation, or at the end of the English source, which a translation branch can
also edit), nor by ``checks.severity``/``checks.exclude`` (``exclude: all`` means
every other check); a translator's ``ignore safety`` counts only where the source
has the same comment before the same markup, or ``trusted_suppressions`` names the
file. A safety suppression that does not count is reported as a ``suppression``
warning on its line (which no comment silences), so it does not pass unnoticed.
Suppressed findings are still reported, marked ``suppressed`` with the reason,
and do not count towards the exit status (1 on any
unsuppressed error). A check whose entry point does not load is reported as an
error finding of that check id, and the other checks still run.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from helpglot import layout
from helpglot.errors import ContentError, HelpglotError, no_commands, one_line
from helpglot.markdown.segment import Document, parse_file
from helpglot.qa import checks as registry
from helpglot.qa import madefrom
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.qa.checks.safety import SECURITY_CHECKS, trusted
from helpglot.qa.publish import content_refusal, refusal
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.tracking import provenance
from helpglot.tracking.align import align as align_blocks

_IGNORE = re.compile(r'<!--\s*helpglot:\s*ignore\s+([\w,\s-]+?)(?:\s+reason="([^"]*)")?\s*-->')
_LOCATED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): ")


@dataclass(frozen=True)
class Suppression:
    checks: frozenset[str]
    reason: str | None
    line: int  # the line whose block it applies to; 0 for the whole file
    at: int = 0  # the comment's own line


def load_glossary_file(settings: Settings, path: Path) -> list[glossary_mod.Term]:
    """The terms of one glossary file (``--glossary FILE``), validated like glossary/*.yml."""
    shown = settings.rel(path)
    try:
        text = glossary_mod.read_glossary(path, shown)
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise HelpglotError(f"{shown}: cannot read the glossary ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(f"{shown}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    if not data:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ContentError(f"{shown}:1: expected a top-level 'terms:' list")
    items = next(v for k, v in node.value if k.value == "terms").value
    seen: dict[str, str] = {}
    return [glossary_mod._term(item, shown, n.start_mark.line + 1, settings, seen)
            for item, n in zip(data["terms"], items, strict=True)]


def targets(settings: Settings, langs: tuple[str, ...], paths: tuple[str, ...]) -> list[layout.TranslationFile]:
    """The translation files to check: all of ``langs``, or those PATHs name (a source article or
    folder under docs/: its translations; a translation file or folder: itself)."""
    every = layout.translation_files(settings, langs)
    if not paths:
        return every
    chosen: dict[Path, layout.TranslationFile] = {}
    for arg in paths:
        raw = Path(arg)
        found = [raw.resolve(), (settings.root / arg).resolve(), (settings.docs_dir / arg).resolve()]
        hits = []
        for candidate in found:
            for tf in every:
                for base in (tf.path.resolve(), tf.source.resolve()):
                    if base == candidate or candidate in base.parents:
                        hits.append(tf)
            if hits:
                break
        if not hits:
            raise HelpglotError(f"{arg}: no translation of the selected languages found there; give a source "
                                f"article under {settings.rel(settings.docs_dir)}/ or a translation under "
                                f"{settings.rel(settings.translations_dir)}/")
        for tf in hits:
            chosen.setdefault(tf.path, tf)
    return sorted(chosen.values(), key=lambda tf: (tf.lang, tf.rel))


def aligned(source: Document, translation: Document, lang: str = "") -> tuple[tuple[int, int], ...]:
    """(translation block, source block) pairs, from the one aligner (:mod:`helpglot.tracking.align`)."""
    return align_blocks(source, translation, lang).pairs


def suppressions(doc: Document) -> list[Suppression]:
    """The ignore comments of a translation, each tied to the line of the block after it (0: file)."""
    lines = doc.text.split("\n")
    content = [n for n, text in enumerate(lines, start=1) if text.strip() and not _IGNORE.fullmatch(text.strip())]
    last = content[-1] if content else 0
    found: list[Suppression] = []
    for number, text in enumerate(lines, start=1):
        for m in _IGNORE.finditer(text):
            ids = frozenset(x.strip() for x in m.group(1).replace(",", " ").split() if x.strip())
            after = next((n for n in content if n > number), None)
            line = 0 if number > last or after is None else after
            found.append(Suppression(ids, m.group(2), line, number))
    return found


def _suppress(finding: Finding, rules: list[Suppression]) -> Finding:
    for rule in rules:
        if finding.check in rule.checks and rule.line in (0, finding.line):
            return replace(finding, suppressed=True, reason=rule.reason)
    return finding


def check_file(settings: Settings, tf: layout.TranslationFile, loaded: registry.Loaded,
               terms: tuple, shared: SharedSource | None = None) -> list[Finding]:
    """Every finding for one translation, suppressions applied, sorted by line.

    ``shared``: the parsed source, kept by :func:`run` while it checks that source's translations
    (the caller then drops the per-file caches); without it, every call parses the source again."""
    shown, source_shown = settings.rel(tf.path), settings.rel(tf.source)
    conventions = getattr(settings, "checks", None)
    excluded = _excluded(conventions, tf.rel)
    try:
        findings = _check_file(settings, tf, loaded, terms, shown, source_shown, shared)
    finally:
        if shared is None:
            registry.forget()
    severity = conventions.severity if conventions is not None else {}
    out = []
    for f in findings:
        if f.check not in SECURITY_CHECKS and (f.check in excluded or "all" in excluded
                                               or severity.get(f.check) == "off"):
            continue
        if f.check in SECURITY_CHECKS:  # (config.py refuses these settings; a Settings built by hand too)
            out.append(f)
            continue
        level = severity.get(f.check)
        out.append(replace(f, severity=level) if level and level != f.severity else f)
    return out


def _excluded(conventions, rel: str) -> set[str]:  # noqa: ANN001
    """The check ids (or "all") that ``checks.exclude`` switches off for an article."""
    out: set[str] = set()
    for glob, ids in getattr(conventions, "exclude", ()):
        if fnmatch.fnmatchcase(rel, glob) or fnmatch.fnmatchcase(rel, glob.removeprefix("**/")):
            out |= ids
    return out


class SharedSource:
    """One source article, parsed once for all its translations in a run: the checks' caches kept
    on the :class:`Document` (the source's rendering, its domains) then serve every language.
    A parse error is kept too, so each translation reports it as it would alone."""

    def __init__(self, path: Path, shown: str, langs: tuple[str, ...] = ()) -> None:
        self.path, self.shown = path, shown
        self.langs = langs  # every language the run checks (length ratios are learned together)
        self._parsed: Document | ContentError | None = None

    def document(self) -> Document:
        if self._parsed is None:
            try:
                self._parsed = parse_file(str(self.path), self.shown)
            except ContentError as exc:
                self._parsed = exc
        if isinstance(self._parsed, ContentError):
            raise self._parsed
        return self._parsed


def _check_file(settings: Settings, tf: layout.TranslationFile, loaded: registry.Loaded, terms: tuple,
                shown: str, source_shown: str, shared: SharedSource | None = None) -> list[Finding]:
    if not tf.has_source:
        return [Finding("structure", ERROR, shown, 1, f"no source article {source_shown}; delete or move "
                        "this translation (see `helpglot status`)")]
    try:
        source = (shared or SharedSource(tf.source, source_shown)).document()
    except ContentError as exc:
        return [Finding("structure", ERROR, shown, 1, f"the source cannot be read: {exc}; fix the source first")]
    why = refusal(settings, tf.path, content=False)  # (what it holds: the checks below say)
    line = 1
    if why is None and (refused := untrusted_refusal(tf.path, tf.source)) is not None:
        line, why = refused  # what the build refuses before parsing: budgets, YAML aliases, theme keys
    if why is not None:
        return [Finding("safety", ERROR, shown, line, f"{why}; the build shows the English article instead")]
    try:
        translation = parse_file(str(tf.path), shown)
    except ContentError as exc:
        text = str(exc)
        m = _LOCATED.match(text)
        check = "frontmatter" if "front matter" in text else "structure"
        return [Finding(check, ERROR, shown, int(m.group("line")) if m else 1, text[m.end() if m else 0 :])]
    source, stale = madefrom.source_for(tf.source, source, translation)  # stale is a state, not an error
    alignment = align_blocks(source, translation, tf.lang)
    pair = Pair(settings, tf.lang, source, translation, source_shown, shown, alignment.pairs,
                terms, {"source_rel": tf.rel, "alignment": alignment, "langs": shared.langs if shared else ()})
    findings = [Finding(name, ERROR, shown, 1, f"check {name} could not be loaded ({why}); fix or "
                        "uninstall the plugin that provides it") for name, why in loaded.failed]
    for check in loaded.checks:
        try:
            findings.extend(check.run(pair))
        except Exception as exc:  # one broken check must not hide the others' findings
            findings.append(Finding(check.id, ERROR, shown, 1, f"check {check.id} crashed: "
                                    f"{type(exc).__name__}: {exc}"))
    own = suppressions(translation)
    rules = trusted(settings, shown, own, suppressions(source), pair)  # no self-suppressed safety
    if not any(fnmatch.fnmatch(shown, pattern) for pattern in settings.trusted_suppressions):
        rules = [r for r in (replace(r, checks=r.checks - SECURITY_CHECKS) if r.line == 0 else r for r in rules)
                 if r.checks]  # never for the whole file: the English file's end is no trusted place
    findings = [_suppress(f, rules) for f in findings] + ignored_safety(shown, own, rules)  # (not suppressible)
    findings = honour_approvals(findings, source, translation)
    if stale:
        findings = madefrom.demote(findings, stale, structure_too=True)
    return sorted(findings, key=lambda f: (f.line, f.check))


def ignored_safety(shown: str, own: list[Suppression], honoured: list[Suppression]) -> list[Finding]:
    """A warning for each ``ignore safety`` comment that does not count, on the comment's line."""
    kept = {(r.at, r.line) for r in honoured if r.checks & SECURITY_CHECKS}
    return [Finding("suppression", WARNING, shown, r.at, f"'ignore {', '.join(sorted(r.checks & SECURITY_CHECKS))}' "
                    "is not honoured here: safety findings cannot be suppressed by a translation (only where the "
                    "English source has the same comment before the same markup); remove the comment")
            for r in own if r.checks & SECURITY_CHECKS and (r.at, r.line) not in kept]


def untrusted_refusal(path: Path, source: Path) -> tuple[int, str] | None:
    """What :func:`helpglot.qa.publish.refusal` refuses in a translation's content before anything
    parses it (budgets, YAML aliases, theme keys), so ``check`` names it without parsing the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the parse reports it
    return content_refusal(text, source)


def honour_approvals(findings: list[Finding], source, translation) -> list[Finding]:
    """Errors a reviewer approved with ``--force --reason`` stay accepted (reported as suppressed,
    with who and why) while neither the block's text nor its source changed since."""
    try:
        prov = provenance.read(translation)
    except ContentError:
        return findings
    if prov is None or not prov.accepted or len(prov.blocks) != len(translation.blocks):
        return findings
    current = set(source.hashes)
    out = []
    for f in findings:
        entry = None
        if f.block is not None and not f.suppressed and 1 <= f.block <= len(translation.blocks):
            block = translation.blocks[f.block - 1]
            entry = next((a for a in prov.accepted if a.block == block.hash and f.check in a.checks
                          and a.source == prov.blocks[f.block - 1].hash and a.source in current), None)
        out.append(f if entry is None else replace(f, suppressed=True,
                                                   reason=f"approved by {entry.by}: {entry.reason}"))
    return out


def run(settings: Settings, langs: tuple[str, ...], paths: tuple[str, ...] = (),
        glossary_file: str | None = None) -> list[Finding]:
    """Findings for every selected translation."""
    if glossary_file:
        terms = tuple(load_glossary_file(settings, Path(glossary_file)))
    else:
        terms = tuple(glossary_mod.load(settings))
    loaded = registry.load()
    chosen = targets(settings, langs, paths)
    # each source's translations one after another (its parse and the checks' caches shared), the
    # findings reported in the order of ``chosen`` all the same
    groups: dict[Path, list[int]] = {}
    for index, tf in enumerate(chosen):
        groups.setdefault(tf.source, []).append(index)
    results: list[list[Finding]] = [[] for _ in chosen]
    run_langs = tuple(dict.fromkeys(tf.lang for tf in chosen))
    for source, indexes in groups.items():
        shared = SharedSource(source, settings.rel(source), run_langs)
        try:
            for index in indexes:
                results[index] = check_file(settings, chosen[index], loaded, terms, shared)
        finally:
            registry.forget()
    findings = [f for found in results for f in found]
    if not paths:
        findings.extend(reader_strings(settings, langs))
    return findings


def reader_strings(settings: Settings, langs: tuple[str, ...]) -> list[Finding]:
    """A language's reader strings (``translations/<lang>/.helpglot-strings.yml``) that the build
    cannot use: a lost placeholder, HTML, an unknown key (one error, at the file's line)."""
    from helpglot.tracking import readerstrings

    found = []
    for lang in langs:
        path = readerstrings.path_for(settings.translations_dir, lang)
        try:
            readerstrings.load(path, settings.rel(path))
        except readerstrings.StringsError as exc:
            where = re.match(r"(.*?):(\d+): (.*)", exc.message, re.S)
            line, message = (int(where.group(2)), where.group(3)) if where else (1, exc.message)
            found.append(Finding("reader-strings", ERROR, settings.rel(path), line,
                                 f"{message}; until it is fixed the build shows {lang}'s reader strings in English"))
    return found


def failed(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR and not f.suppressed for f in findings)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_findings(findings: list[Finding], fmt: str) -> str:
    """The report as text (one line per finding and a summary), JSON, or GitHub workflow commands."""
    if fmt == "json":
        return json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=1)
    if fmt == "github":
        out = []
        for f in findings:
            if f.suppressed:
                continue
            level = "error" if f.severity == ERROR else "warning"
            out.append(f"::{level} file={_escape_property(f.path)},line={f.line},"
                       f"title={_escape_property('helpglot ' + f.check)}::{_escape_data(f.message)}")
        return "\n".join(out)
    out = []
    for f in findings:  # one line each, whatever the file name or the quoted text holds
        mark = f" [suppressed: {f.reason or 'no reason given'}]" if f.suppressed else ""
        out.append(no_commands(one_line(f"{f.path}:{f.line}: {f.severity} [{f.check}] {f.message}{mark}")))
    active = [f for f in findings if not f.suppressed]
    errors = sum(1 for f in active if f.severity == ERROR)
    out.append(f"{errors} error(s), {len(active) - errors} warning(s), {len(findings) - len(active)} suppressed")
    return "\n".join(out)
