"""Everything that spans languages, computed from the trees alone.

``docs/`` + ``translations/<lang>/`` + provenance decide which translations are
published, and from that every page's URL in every language, its hreflang
alternates, the sitemaps and the languages the root 404 routes. No state is
collected while building another language, so one language built in its own
process (``helpglot build --lang L``, a parallel worker, a CI matrix job)
writes exactly the bytes the single-process ``mkdocs build`` writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from helpglot import layout
from helpglot.errors import HelpglotError
from helpglot.qa import publish
from helpglot.settings import Settings
from helpglot.site import filefacts, seo
from helpglot.tracking import assets, gitdates
from helpglot.tracking import status as freshness_status
from helpglot.tracking.freshness import Record

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*\r?\n", re.S)


@dataclass(frozen=True)
class SiteState:
    """What every language's build needs to know about all languages: the freshness records,
    each translation's publish decision and the English pages' git dates."""

    records: dict[tuple[str, str], Record]
    translations: list[Translation]
    source_dates: dict[str, dt.date]


#: computed by ``helpglot build`` before it forks one process per language (see :func:`preload`)
_PRELOADED: dict[tuple[Path, Path, Path], SiteState] = {}


def _key(settings: Settings) -> tuple[Path, Path, Path]:
    return (settings.root.resolve(), settings.docs_dir.resolve(), settings.translations_dir.resolve())


#: what was read out of each translation file, by its stat (:mod:`helpglot.site.filefacts`)
_FACTS: list[filefacts.FileFacts] = []


def compute(settings: Settings, save: bool = True, history: dict | None = None,
            today: dt.date | None = None) -> SiteState:
    """The state, its file facts kept for the next build (``save=False``: the caller saves them
    once with more added: a second write of a multi-megabyte cache was a tenth of a second).
    ``history`` and ``today``: the sources' git history and the day, when the caller has them."""
    records = {(r.source, r.lang): r for r in freshness_status.collect(settings, jobs=1, history=history,
                                                                       today=today)}
    _FACTS[:] = [filefacts.FileFacts.of(settings)]
    chosen = select(settings, records)
    for translation in chosen:  # read here once: the workers forked from here find them in memory
        if translation.why is None:
            reviewed_date(translation.path)
    for record in records.values():  # (the status page's English screenshots, likewise)
        if record.state not in ("missing", "orphaned", "error"):
            page_images(settings, record)
    if save:
        _FACTS[0].save()
    return SiteState(records, chosen, gitdates.last_changed(settings.docs_dir))


def page_images(settings: Settings, record: Record) -> list | None:
    """:func:`helpglot.tracking.assets.page_images`, kept per translation file by its stat."""
    if not _FACTS:
        return assets.page_images(settings, record)
    return _FACTS[0].get(f"images\0{record.source}", settings.root / record.path, None,
                         lambda: assets.page_images(settings, record))


def file_facts() -> filefacts.FileFacts | None:
    """The file facts of the state computed last in this process (or the parent it was forked from)."""
    return _FACTS[0] if _FACTS else None


def _refusal(settings: Settings, path: Path, source: Path, seen: dict) -> str | None:
    """:func:`publish.refusal`, its reading of the two files' content kept per file by stat
    (``seen``: what one pass over the translations learned of their folders)."""
    where = publish.refusal(settings, path, content=False, source=source, seen=seen)
    if where is not None or not _FACTS:
        return where or publish.refusal(settings, path, source=source, seen=seen)
    return _FACTS[0].get("refusal", path, source, lambda: publish.refusal(settings, path, source=source, seen=seen))


def preload(settings: Settings, save: bool = True) -> SiteState:
    """Compute the state once in the parent of the per-language workers: forked, each worker
    finds it here instead of repeating the same reads of every translation (6 x at 6 languages)."""
    state = _PRELOADED[_key(settings)] = compute(settings, save)
    return state


def adopt(settings: Settings, state: SiteState, facts: filefacts.FileFacts | None) -> None:
    """What :func:`preload` computed in another process (a long-lived worker is handed it, where a
    forked one inherits it: :mod:`helpglot.site.langworker`)."""
    _PRELOADED.clear()
    _PRELOADED[_key(settings)] = state
    _FACTS[:] = [facts] if facts is not None else []


def use_facts(facts: filefacts.FileFacts | None) -> None:
    """Answer this process's questions about files from ``facts`` (:mod:`helpglot.site.warmstate`)."""
    _FACTS[:] = [facts] if facts is not None else []


def state(settings: Settings) -> SiteState:
    """The preloaded state of this site if ``helpglot build`` computed it, else computed now."""
    return _PRELOADED.get(_key(settings)) or compute(settings)


@dataclass(frozen=True)
class Translation:
    """A translation file and whether it is published (``why`` says why not)."""

    lang: str
    rel: str
    path: Path
    why: str | None  # None: published
    #: not published only because nothing in it is reviewed yet (``publish_machine: false``):
    #: the policy working, not a problem with the file
    awaiting_review: bool = False
    #: held back because ``helpglot check`` found errors in it (``HELPGLOT_WITHHOLD``, the deploy's
    #: QA): English until fixed, the rest of the site goes out
    withheld: bool = False


def select(settings: Settings, records: Mapping[tuple[str, str], Record]) -> list[Translation]:
    """Every translation file and the build's decision about it (same order as on disk)."""
    held = withheld(settings)
    seen: dict = {}
    return [decide(settings, tfile, records, held, seen) for tfile in layout.translation_files(settings)]


def decide(settings: Settings, tfile: layout.TranslationFile, records: Mapping[tuple[str, str], Record],
           held: frozenset[str], seen: dict) -> Translation:
    """The build's decision about one translation file (``held``: :func:`withheld`; ``seen``: what
    one pass over the translations learned of their folders, see :func:`_refusal`)."""
    why: str | None = None
    awaiting = False
    if not tfile.has_source:
        why = (f"{settings.rel(tfile.path)}: its source {settings.rel(tfile.source)} does not "
               "exist (renamed or deleted?); this translation is not published. Move it to "
               "the new path or delete it.")
    else:
        refused = _refusal(settings, tfile.path, tfile.source, seen)
        record = records.get((tfile.rel, tfile.lang))
        if refused is not None:
            why = f"{settings.rel(tfile.path)} {refused}; the English article is shown instead"
        elif not settings.policy(tfile.lang).publish_machine and (unreviewed := _unreviewed(record, tfile.path)):
            # nothing reviewed yet: the English article (partly reviewed ones show English
            # only in the paragraphs that await review)
            why = (f"{settings.rel(tfile.path)}: {unreviewed} and '{tfile.lang}' publishes "
                   f"reviewed text only (plugins.helpglot.languages.{tfile.lang}.publish_machine); the "
                   "English article is shown instead")
            awaiting = True
    if why is None and settings.rel(tfile.path) in held:
        why = (f"{settings.rel(tfile.path)}: QA errors (`helpglot check {settings.rel(tfile.path)}`); the "
               "English article is shown until they are fixed")
        return Translation(tfile.lang, tfile.rel, tfile.path, why, withheld=True)
    return Translation(tfile.lang, tfile.rel, tfile.path, why, awaiting)


def withheld(settings: Settings) -> frozenset[str]:
    """Translations with unsuppressed QA errors in the ``helpglot check --format json`` report that
    ``HELPGLOT_WITHHOLD`` names (``helpglot build --withhold FILE``): one language's mistake never
    holds back the others, or English, from being published."""
    report = os.environ.get("HELPGLOT_WITHHOLD")
    if not report:
        return frozenset()
    try:
        findings = json.loads(Path(report).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HelpglotError(f"HELPGLOT_WITHHOLD={report}: not a `helpglot check --format json` report ({exc}); "
                            "nothing was built") from None
    if not isinstance(findings, list):
        raise HelpglotError(f"HELPGLOT_WITHHOLD={report}: not a `helpglot check --format json` report; "
                            "nothing was built")
    return frozenset(str(f.get("path")) for f in findings if isinstance(f, dict) and f.get("severity") == "error"
                     and not f.get("suppressed"))


#: freshness states whose provenance says nothing trustworthy about review: none (untracked), one
#: that does not match the file (unaligned), or one that cannot be read (error)
_NO_REVIEW_STATES = frozenset(("untracked", "unaligned", "error", "missing"))


def _unreviewed(record: Record | None, path: Path) -> str | None:
    """Why a translation has no recorded review (``publish_machine: false`` publishes only those):
    no provenance, provenance that does not match it, every block a machine draft, or no
    ``reviewed:`` date (hand-written provenance that no ``approve`` or ``adopt`` recorded)."""
    if record is None or record.state in _NO_REVIEW_STATES:
        return "it has no provenance recording a review (`helpglot adopt` or `helpglot approve` records one)"
    if record.machine_blocks and len(record.machine_blocks) >= record.total_blocks:
        return "no block is reviewed yet"
    if reviewed_date(path) is None:
        return "its provenance records no review date (`helpglot approve` records one)"
    return None


def reviewed_date(path: Path) -> dt.date | None:
    """The provenance's ``reviewed:`` date, read without a YAML parse (5,000 files add up), and
    kept per file by stat while a build's state is computed."""
    if not _FACTS:
        return _read_reviewed_date(path)
    return filefacts.date_from(_FACTS[0].get("reviewed", path, None,
                                             lambda: filefacts.date_value(_read_reviewed_date(path))))


def _read_reviewed_date(path: Path) -> dt.date | None:
    try:
        head = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    front = _FRONT.match(head)
    if front is None:
        return None
    value = _reviewed_value(front.group(1))
    if value is None:
        return None
    value = value.strip("'\"")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _reviewed_value(front: str) -> str | None:
    """``helpglot.reviewed`` of a front matter, by a line scan (a regex over the long block list backtracked)."""
    inside, indent = False, None
    for line in front.splitlines():
        if not inside:
            inside = line.rstrip() == "helpglot:"
            continue
        if not line.strip():
            continue
        if not line[0].isspace():
            return None  # the next top-level key: no reviewed date
        width = len(line) - len(line.lstrip())
        indent = width if indent is None else indent
        if width == indent and line.lstrip().startswith("reviewed:"):
            return line.split(":", 1)[1].strip() or None
    return None


def page_url(rel: str, use_directory_urls: bool) -> str:
    """MkDocs' URL of a source page, e.g. ``getting-started/invite/`` (``""`` for the home)."""
    stem = rel.rsplit(".", 1)[0]
    name = stem.rsplit("/", 1)[-1]
    folder = stem[: -len(name)]
    if name in ("index", "README"):
        return folder if use_directory_urls else folder + "index.html"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def site_pages(settings: Settings, published: list[Translation], source_dates: Mapping[str, dt.date],
               use_directory_urls: bool = True) -> dict[str, dict[str, seo.PageVersion]]:
    """Every page of every language as :class:`seo.PageVersion` (what hreflang and sitemaps need)."""
    real = {(t.rel, t.lang): t.path for t in published if t.why is None}
    pages: dict[str, dict[str, seo.PageVersion]] = {}
    for rel in layout.source_articles(settings):
        url = page_url(rel, use_directory_urls)
        versions = {}
        for lang in settings.codes:
            path = real.get((rel, lang))
            fallback = lang != settings.source_lang and path is None
            if path is not None:
                when = reviewed_date(path)
            else:
                when = source_dates.get(rel)
            prefix = "" if lang == settings.source_lang else f"{lang}/"
            versions[lang] = seo.PageVersion(lang=lang, source=rel, url=prefix + url, fallback=fallback,
                                             lastmod=when.isoformat() if when else None)
        pages[rel] = versions
    return pages


def versions(settings: Settings, key: str, use_directory_urls: bool,
             published: set[tuple[str, str]]) -> dict[str, seo.PageVersion]:
    """Page ``key`` in every language (URL, English stand-in or not), from the trees: the same
    whichever languages a process builds."""
    url = page_url(key, use_directory_urls)
    return {
        code: seo.PageVersion(lang=code, source=key, url=url if code == settings.source_lang else f"{code}/{url}",
                              fallback=code != settings.source_lang and (key, code) not in published)
        for code in settings.codes
    }
