"""A language none of whose inputs changed is not built at all: its previous files are kept.

A translator's save changes one language's files, yet every language's worker used to start,
list every file, compute every page's keys and put its search index together again, only to
write the same bytes. Before forking the workers, ``helpglot build`` computes each language's
*language key* (:func:`language_key`) and compares it with the one recorded when that language's
files were last written into the same output folder; equal, the language is not built and its
files are left as they are (and its state stays the one that describes them).

The key covers everything a language's files are made from, conservatively:

* the names, sizes, modification times and inodes of every file under ``docs/`` (the English
  sources, assets, and the stand-ins for untranslated pages) and under the language's own
  ``translations/<lang>/`` (for the source language, every language's: its status page reports
  them all);
* what is decided across languages: every translation's publish decision (hreflang, the language
  selector's marks), the freshness records (the language's own; all for the source language),
  every page's URL and dates in every language (the sitemaps), the English pages' git dates and
  the renames git saw (redirects);
* the site's settings as helpglot read them (the languages' publishing policies, which an
  environment variable can change: a preview's ``HELPGLOT_PREVIEW``);
* what the global key of :mod:`helpglot.site.buildkey` covers outside the trees: ``mkdocs.yml``
  (what it inherits and the ``!ENV`` values it reads), ``custom_dir``, the glossary, the
  ``--withhold`` report, the helpglot package's files, the versions of MkDocs and its plugins,
  the build date and today's date.

Whatever helpglot cannot track (:func:`helpglot.site.buildkey.untracked`: a hook, another plugin,
an extension that reads other files) means no key, and the language is built.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from helpglot.fsutil import walk_stats
from helpglot.settings import Settings
from helpglot.site import buildkey, crosslang, searchmemo
from helpglot.tracking import gitdates


def _tree_stats(root: Path) -> list:
    """(path, size, mtime_ns, inode) of every file under ``root``, in a stable order."""
    return [[path, st.st_size, st.st_mtime_ns, st.st_ino] if st else [path, None]
            for path, st in walk_stats(root)]


def _config_inputs(config: Any) -> tuple[list[Path], dict[str, str | None]]:
    config_file = Path(config.config_file_path) if config.config_file_path else None
    sources: list[Path] = [config_file] if config_file else []
    env: dict[str, str | None] = {}
    if config_file is not None and config_file.is_file():
        text = config_file.read_text(encoding="utf-8", errors="replace")
        for parent in re.findall(r"^INHERIT:\s*(\S+)", text, re.M):
            sources.append(config_file.parent / parent.strip("'\""))
        env = {name: os.environ.get(name) for name in re.findall(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", text)}
    if config.theme.custom_dir:
        sources.append(Path(config.theme.custom_dir))
    return sources, env


def _outside(config: Any, settings: Settings) -> list:
    """What every key covers outside the trees' records: the config and what it reads, the code,
    the installed versions, the build date and the day."""
    from mkdocs.utils import get_build_date

    sources, env = _config_inputs(config)
    extra = [Path(os.environ["HELPGLOT_WITHHOLD"])] if os.environ.get("HELPGLOT_WITHHOLD") else []
    # the versions of MkDocs, Material, static-i18n, Markdown... (an upgrade changes pages)
    return [buildkey.FORMAT, repr(settings), searchmemo.code_key(), buildkey._versions(),
            buildkey.files_hash(sources + [settings.glossary_dir, *extra]), env, get_build_date(),
            dt.date.today().isoformat()]


def _own_tree(settings: Settings, lang: str) -> Path:
    """The translations a language's files show (the source language's status page: all of them)."""
    return settings.translations_dir if lang == settings.source_lang else settings.translations_dir / lang


def quick_key(config: Any, settings: Settings, lang: str) -> str | None:
    """A part of the language key that is cheap to compute (no record, no page): the config, the
    code and the stats of the files. When it differs from the recorded one, the language is built
    without waiting for its full key, which is computed while it builds (:func:`language_key`)."""
    if buildkey.untracked(config):
        return None
    return buildkey.digest("quick", *_outside(config, settings), lang, _tree_stats(settings.docs_dir),
                           _tree_stats(_own_tree(settings, lang)))


def shared_key(config: Any, settings: Settings, state: crosslang.SiteState) -> str | None:
    """The part of every language's key that is the same for all of them (None: untracked inputs)."""
    if buildkey.untracked(config):
        return None
    pages = crosslang.site_pages(settings, state.translations, state.source_dates, bool(config.use_directory_urls))
    return buildkey.digest(
        *_outside(config, settings), _tree_stats(settings.docs_dir), [repr(t) for t in state.translations],
        {rel: [repr(v) for v in versions.values()] for rel, versions in pages.items()},
        sorted((k, v.isoformat()) for k, v in state.source_dates.items()),
        sorted(gitdates.renamed(settings.docs_dir).items()))


def language_key(shared: str | None, settings: Settings, state: crosslang.SiteState, lang: str) -> str | None:
    if shared is None:
        return None
    source = lang == settings.source_lang
    records = sorted(repr(r) for (_rel, code), r in state.records.items() if source or code == lang)
    return buildkey.digest(shared, lang, _tree_stats(_own_tree(settings, lang)), records)


def recorded(state: Path) -> tuple[str | None, str | None]:
    """The key and quick key recorded with the state ``state`` (``<lang>.json``) when its files
    were written (None, None: none, or a build that must not be skipped next time)."""
    try:
        lines = state.with_suffix(".lang").read_text(encoding="utf-8").split("\n")
    except OSError:
        return None, None
    key = lines[0].strip() or None
    return key, (lines[1].strip() or None) if key is not None and len(lines) > 1 else None


def _key_file(new_state: Path) -> Path:
    return new_state.with_name(new_state.name.removesuffix(".json.new") + ".lang.new")


def record(new_state: Path, key: str | None, quick: str | None = None, *, unless_recorded: bool = False) -> None:
    """Kept beside the new state, committed with it (:func:`helpglot.site.reusing.commit`). ``None``:
    the language is built next time (a build that warned: its warnings are shown again), and that
    wins over a key the parent records while the language builds (``unless_recorded``)."""
    path = _key_file(new_state)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "" if key is None else f"{key}\n{quick or ''}"
    if not unless_recorded:
        path.write_text(text, encoding="utf-8")
        return
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        pass


def forget(new_state: Path) -> None:
    """No key for this build yet (one left by a build that was killed is not this build's)."""
    try:
        _key_file(new_state).unlink()
    except OSError:
        pass
