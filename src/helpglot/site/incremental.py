"""Reuse the pages of the previous build whose inputs did not change, byte for byte.

MkDocs 1.x renders a page in two steps: ``_populate_page`` (read the file, Markdown to HTML,
the page's title, meta and anchors) and ``_build_page`` (the theme's templates around it,
with the navigation, previous/next links and whatever else the theme shows of other pages).
With ``build(config, dirty=True)`` both steps ask ``file.is_modified()``; this plugin answers
for every page, from two keys kept in ``.helpglot/build/`` (JSON) with the previous build:

* the **input key**: the global key (:func:`helpglot.site.buildkey.global_key`: config,
  templates, packages, glossary, the list of files, the date), the page's file, its English
  source, its freshness record, which languages publish it and its git date. Unchanged, the
  page is not read or rendered: its title, meta, anchors and search entries come from the state.
* the **render key**: the input key plus what the templates show of other pages: their URL,
  title, meta and English-stand-in flag, for every page the page's navigation can show (the
  whole navigation; with ``navigation.prune`` its own category and the tabs), previous/next,
  and the pages related articles and home cards pick from. Unchanged, and the previous output
  file still the one this build wrote (same inode, size and time), the output is kept: left in
  place when the previous site is updated in place (:mod:`helpglot.site.inplace`), else
  hard-linked from it; otherwise the page is rendered (and read first if it was not).

A page that logged a warning, or whose meta does not survive JSON, is never reused, so its
warnings are shown again and ``--strict`` sees them. Search entries are put back in page order
before the search plugin writes its index; sitemaps, the 404 pages, redirects and the search
index shards are written afresh by every build (:mod:`helpglot.site.siteout`), the index and the
lexicon from memos of what each unchanged text gave the previous one (:mod:`helpglot.site.searchmemo`).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from helpglot.fsutil import atomic_write_text
from helpglot.site import buildkey, inplace, pagekeys
from helpglot.tracking import readerstrings

log = logging.getLogger("mkdocs.plugins.helpglot")


class _WarnedPages(logging.Handler):
    """Remembers the pages during whose reading or rendering a warning was logged."""

    def __init__(self, config: Any) -> None:
        super().__init__(logging.WARNING)
        self.config, self.pages = config, set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        self.pages.add(page.file.src_uri if page is not None else "")


class _NoDirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage() and "contains stale files" not in record.getMessage()


class IncrementalPlugin(BasePlugin):
    """Added to one language's config by :func:`helpglot.site.parallel.build_one`."""

    def __init__(self, helpglot: Any, lang: str, previous_state: Path, new_state: Path, previous_site: Path | None,
                 full_reason: str | None = None, in_place: bool = False) -> None:
        super().__init__()
        #: the previous site is updated in place (:mod:`helpglot.site.inplace`): pages kept are left
        #: there and only named, instead of linked into the new part
        self.in_place = in_place
        self.helpglot, self.lang = helpglot, lang
        self.previous_state, self.new_state, self.previous_site = previous_state, new_state, previous_site
        self.full_reason = full_reason
        self.active = False
        self.restore: dict[str, dict] = {}  # src_uri -> previous entry: not read this build
        self.reuse: dict[str, dict] = {}  # src_uri -> previous entry: output linked from the previous site
        self.phase = "populate"
        self.input_keys: dict[str, str] = {}
        self.render_keys: dict[str, str] = {}
        self.search: dict[str, list[dict]] = {}
        self.mark = 0
        self.rendered = 0
        self.warned: _WarnedPages | None = None
        self._filter = _NoDirtyNotice()
        self._nav: Any = None
        self._doc_files: list = []
        self.state_global = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs' own notice about dirty builds is about its mtime check, which is not used here."""
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)

    # -- planning: which pages need reading ------------------------------------------------
    @event_priority(-120)
    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        """After helpglot's own on_nav (section titles): the inputs of every page are known."""
        self._nav = nav
        self.warned = _WarnedPages(config)
        logging.getLogger("mkdocs").addHandler(self.warned)
        pages = [f for f in files.documentation_pages()]
        for file in pages:
            file.is_modified = (lambda uri=file.src_uri: self._modified(uri))
        reason = self.full_reason or buildkey.untracked(config)
        if reason:
            log.info(f"helpglot build: every page of '{self.lang}' is rebuilt: {reason}")
            return nav
        settings, site = self.helpglot.settings, self.helpglot.site
        extra = [Path(os.environ["HELPGLOT_WITHHOLD"])] if os.environ.get("HELPGLOT_WITHHOLD") else []
        extra.append(readerstrings.path_for(settings.translations_dir, self.lang))  # on every page of the language
        # the settings as helpglot read them too: an environment variable (a preview's
        # HELPGLOT_PREVIEW) changes the languages' publishing policies, not mkdocs.yml
        gkey = buildkey.digest(buildkey.global_key(config, files, self.lang, settings.glossary_dir, extra),
                               repr(settings))
        previous = _load(self.previous_state)
        entries = previous.get("pages", {}) if previous.get("global") == gkey else {}
        self.state_global = gkey
        facts = pagekeys.CrossFacts.of(site, settings)
        for file in pages:
            key = pagekeys.input_key(gkey, file, self.lang, settings, facts)
            self.input_keys[file.src_uri] = key
            old = entries.get(file.src_uri)
            if old is not None and old.get("in") == key:
                self.restore[file.src_uri] = old
        self.active = True
        return nav

    def _modified(self, src_uri: str) -> bool:
        if not self.active:
            return True
        if self.phase == "populate":
            return src_uri not in self.restore
        return src_uri not in self.reuse

    # -- after reading: restore the rest, decide what to render -----------------------------
    @event_priority(-120)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        # compiled templates are kept between builds (Jinja checks each against its source): the
        # same output, without compiling Material's templates again for every language and build
        from helpglot.site import jinjacache

        env.bytecode_cache = jinjacache.DiskBytecodeCache(str(bytecode_folder(self.new_state)))
        if not self.active:
            return env
        from mkdocs.commands.build import _populate_page

        doc_files = files.documentation_pages()
        for file in doc_files:
            entry = self.restore.get(file.src_uri)
            if entry is not None:
                pagekeys.restore_page(file.page, entry, files)
                if entry.get("fallback"):
                    self.helpglot.fallback_urls.setdefault(self.lang, set()).add(file.page.url)
        self._doc_files = doc_files
        self.render_keys = pagekeys.render_keys(doc_files, self._nav, config, self.input_keys)
        for file in doc_files:
            entry = self.restore.get(file.src_uri)
            if entry is not None and entry.get("render") == self.render_keys[file.src_uri]:
                previous = self._previous_output(entry)
                if previous is not None:
                    self.reuse[file.src_uri] = {**entry, "from": str(previous)}
        for file in doc_files:
            if file.src_uri in self.restore and file.src_uri not in self.reuse:
                _populate_page(file.page, config, files, dirty=False)  # rendered below: read it first
        self.phase = "build"
        return env

    def _previous_output(self, entry: dict) -> Path | None:
        if self.previous_site is None or not entry.get("out") or not entry.get("stat"):
            return None
        path = self.previous_site / entry["out"]
        try:
            st = path.stat()
        except OSError:
            return None
        return path if [st.st_ino, st.st_size, st.st_mtime_ns] == entry["stat"] else None

    # -- while rendering -----------------------------------------------------------------------
    @event_priority(-200)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        if self.active:
            self.rendered += 1
            entries = _search_entries(config)
            if entries is not None:
                self.search[page.file.src_uri] = entries[self.mark:]
                self.mark = len(entries)
        return output

    # -- after rendering: reused outputs, search entries in page order, the new state ----------
    @event_priority(10)
    def _pages_done(self, config: Any) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warned)
        if not self.active:
            _drop(self.new_state)
            return
        site_dir = Path(config.site_dir)
        entries = _search_entries(config)
        ordered: list[dict] = []
        pages: dict[str, dict] = {}
        kept: list[str] = []
        rendered: list[str] = []
        for file in self._doc_files:
            uri = file.src_uri
            out = Path(file.abs_dest_path)
            rel = out.relative_to(site_dir).as_posix()
            if uri in self.reuse:
                entry = dict(self.reuse[uri])
                previous = Path(entry.pop("from"))
                search = entry.get("search") or []
                if self.in_place:  # left where it is; its stat is the one just checked
                    kept.append(rel)
                    ordered.extend(search)
                    pages[uri] = entry
                    continue
                out.parent.mkdir(parents=True, exist_ok=True)
                _link(previous, out)
            else:
                search = self.search.get(uri, [])
                entry = pagekeys.page_entry(file.page, self.helpglot._is_fallback(file.page, self.lang))
                if entry is None or uri in self.warned.pages or not out.is_file():
                    ordered.extend(search)
                    continue
                entry.update({"in": self.input_keys[uri], "render": self.render_keys[uri], "out": rel,
                              "search": search})
                rendered.append(rel)
            st = out.stat()
            entry["stat"] = [st.st_ino, st.st_size, st.st_mtime_ns]
            ordered.extend(search)
            pages[uri] = entry
        if entries is not None:
            entries[:] = ordered
        if "" in self.warned.pages:
            pages = {}  # a warning outside any page: show it again next time (nothing reused)
        if self.in_place:
            inplace.write_outputs(self.new_state, kept, rendered)
        self.new_state.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.new_state, json.dumps({"global": self.state_global, "pages": pages},
                                                     ensure_ascii=False, separators=(",", ":")))
        log.info(f"helpglot build: '{self.lang}': {len(self.reuse)} pages reused, {self.rendered} rendered")
        if self.in_place and self.previous_site is not None:  # for helpglot's site-wide files, written next
            self.helpglot.gathered.unchanged = inplace.Unchanged(site_dir, self.previous_site)

    @event_priority(-200)
    def _site_files_done(self, config: Any) -> None:
        """After helpglot's site-wide files: the search files left as they were are kept too."""
        unchanged = self.helpglot.gathered.unchanged
        if self.active and isinstance(unchanged, inplace.Unchanged):
            inplace.add_kept(self.new_state, unchanged.kept)
            log.info(f"helpglot build: '{self.lang}': {len(unchanged.kept)} search files unchanged, left in place")

    on_post_build = CombinedEvent(_pages_done, _site_files_done)


def bytecode_folder(state: Path) -> Path:
    """Where the workers of the build writing ``state`` keep compiled templates (and the parent
    compiles them before forking: :func:`helpglot.site.jinjacache.warm`)."""
    return _cache_folder(state, "jinja")


def _cache_folder(state: Path, name: str) -> Path:
    folder = state.parent.parent / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _search_entries(config: Any) -> list | None:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    entries = getattr(index, "entries", None) if index is not None else None
    if entries is None and index is not None:
        entries = getattr(index, "_entries", None)
    return entries


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        import shutil

        shutil.copy2(source, target)


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _drop(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
