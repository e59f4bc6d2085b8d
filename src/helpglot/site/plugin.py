"""The ``helpglot`` MkDocs plugin: a thin adapter between MkDocs and the core.

mkdocs-static-i18n builds the source language first and then, inside its own
``on_post_build``, rebuilds the site once per other language on the same
config object. Every event below therefore runs once per language; the
current language is read from the i18n plugin. What this adapter adds:

* translations under ``translations/<lang>/`` are handed to i18n as suffix
  files (``x.es.md``) whose content is read from their real location;
* pages that fall back to English are flagged (notice, nav badge, excluded
  from that language's search) and heading ids follow the source page;
* after the last language: search indexes, 404 pages, hreflang and sitemaps.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from helpglot import layout
from helpglot.config import HelpglotConfig, find_i18n, settings_from_mkdocs
from helpglot.errors import HelpglotError, one_line
from helpglot.qa import publish
from helpglot.settings import Settings
from helpglot.site import anchors, crosslang, furniture, ownstrings, pagemeta, readerui, search, seo, siteout, theme
from helpglot.site import context as page_context
from helpglot.site import files as files_mod
from helpglot.site import notices as block_notices
from helpglot.site.jinjacache import install as keep_compiled_templates
from helpglot.site.navmemo import NavMemo
from helpglot.site.sourcefacts import SourceFacts, may_have_foreign_elements
from helpglot.site.warm import theme_listing

log = logging.getLogger("mkdocs.plugins.helpglot")


class HelpglotPlugin(BasePlugin[HelpglotConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None
        #: set by helpglot.site.parallel: this process builds only that language (``helpglot build``)
        self.single_lang: str | None = None
        self.site = crosslang.SiteState({}, [], {})  # records, publish decisions, dates: all languages
        self.published: set[tuple[str, str]] = set()
        self.real_paths: dict[str, str] = {}  # suffix name (x.es.md) -> where the translation lives
        self.facts: SourceFacts | None = None  # source heading ids and raw HTML, from docs/ alone
        self.gathered = siteout.Gathered()  # search entries and 404 pages, per language built here
        self.fallback_urls: dict[str, set[str]] = {}  # a language's English stand-in pages, by URL
        self.block_plans: dict[tuple[str, str], block_notices.PagePlan] = {}
        self.palette: Any = None
        self._use_directory_urls = True
        self._warned: set[str] = set()

    def _lang(self, config: Any) -> str:
        i18n = config.plugins.get("i18n")
        return (i18n and i18n.current_language) or self.settings.source_lang

    def _outer_build(self, config: Any) -> bool:
        """The first (or only) language built in this process: setup and final writes happen here."""
        if self.single_lang is not None:
            return True
        i18n = config.plugins.get("i18n")
        return not (i18n and i18n.building)

    def _warn_once(self, message: str, level: str = "warning") -> None:
        message = one_line(message)  # a file name with a line break cannot start a workflow command
        if message not in self._warned:
            self._warned.add(message)
            (log.info if level == "info" else log.warning)(message)

    def _messages(self, lang: str) -> dict[str, str]:
        strings, warnings = ownstrings.for_build(self.settings, lang, self.config.messages)
        for message in warnings:
            self._warn_once(message)
        return strings

    @event_priority(100)
    def _validate(self, config: Any) -> Any:
        """Runs before i18n: fail early, with a message that names the setting."""
        i18n = config.plugins.get("i18n")
        if self.single_lang is not None or (
            self._outer_build(config) and (i18n is None or not i18n.current_language)
        ):
            try:
                find_i18n(config)
                self.settings = settings_from_mkdocs(config, self.config)
                layout.check_language_folders(self.settings)
                furniture.check_urls(self.config.feedback_url, self.config.contact_url)
            except HelpglotError as exc:
                raise PluginError(exc.message) from None
            self.real_paths.clear()
            self.gathered = siteout.Gathered()
            self.fallback_urls.clear()
            self.block_plans.clear()
            self.site = crosslang.state(self.settings)
            self.published = {(t.rel, t.lang) for t in self.site.translations if t.why is None}
            self.palette = copy.deepcopy(config.theme.get("palette"))
            self._use_directory_urls = bool(config.use_directory_urls)
            self.facts = SourceFacts(self.settings.docs_dir, config.markdown_extensions, config.mdx_configs)
            theme.prune_large_site(config, self.config.prune_nav_above,
                                   lambda: len(layout.source_articles(self.settings)))
            theme.install(config, keep_compiled_templates)
            theme_listing()  # Material's files are listed once per process, not once per language
        return config

    @event_priority(-110)
    def _per_language(self, config: Any) -> Any:
        """Runs after i18n reset the config for the language being built."""
        lang = self._lang(config)
        theme.per_language(config, self._messages(lang), self.palette, lang == self.settings.source_lang)
        return config

    on_config = CombinedEvent(_validate, _per_language)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """Reload ``mkdocs serve`` when translations or the glossary change, not only docs/."""
        for path in (self.settings.translations_dir, self.settings.glossary_dir):
            if path.is_dir():
                server.watch(str(path))
        return server

    @event_priority(50)
    def _inject_translations(self, files: Files, config: Any) -> Files:
        """Offer each translation to i18n as the suffix file it understands (x.es.md)."""
        try:
            offer = files_mod.offer(self.settings, self.site.translations, self._lang(config), self.single_lang,
                                    lambda uri: files.get_file_from_path(uri) is not None)
        except HelpglotError as exc:
            raise PluginError(exc.message) from None
        for level, message in offer.messages:
            self._warn_once(message, level)
        for src_uri, real in offer.files.items():
            self.real_paths[src_uri] = real
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    @event_priority(-110)
    def _point_to_real_paths(self, files: Files, config: Any) -> Files:
        """i18n rebuilt every File under docs_dir; read translations from where they live."""
        for file in files:
            real = self.real_paths.get(file.src_uri)
            if real is not None:
                file.abs_src_path = real
                file.edit_uri = None
        return files

    on_files = CombinedEvent(_inject_translations, _point_to_real_paths)

    @event_priority(-110)
    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        """Section titles come from each category's index page, so they are translated too."""
        readerui.section_titles(nav.items, self._lang(config) == self.settings.source_lang)
        return nav

    def _is_fallback(self, page: Page, lang: str) -> bool:
        return lang != self.settings.source_lang and getattr(page.file, "locale", lang) != lang

    def on_page_read_source(self, page: Page, config: Any) -> str | None:
        """A source article that is not UTF-8 stops the build with its name and line, not a traceback
        (translations that are not UTF-8 never get here: they fall back, see publish.refusal)."""
        if (why := publish.unreadable(Path(page.file.abs_src_path))) is not None:
            raise PluginError(f"{self.settings.rel(Path(page.file.abs_src_path))}{why}")
        return None

    def on_page_markdown(self, markdown: str, page: Page, config: Any, files: Files) -> str:
        lang = self._lang(config)
        if self._is_fallback(page, lang):
            page.meta["helpglot_fallback"] = True
            page.meta.setdefault("status", theme.FALLBACK_STATUS)
            self.fallback_urls.setdefault(lang, set()).add(page.url)
            return block_notices.strip_directives(markdown)
        if lang != self.settings.source_lang:
            key = getattr(page.file, "norm_src_uri", page.file.src_uri)
            page.meta = publish.plain_meta(page.meta, self.settings.docs_dir / key)
            if page.file.src_uri in self.real_paths:  # machine, stale, English-instead blocks marked
                markdown, plan, english_title = block_notices.carry_and_mark(
                    self.settings, self.site.records.get((key, lang)), markdown, Path(page.file.abs_src_path),
                    key, self.settings.policy(lang).publish_machine)
                if plan is not None:
                    self.block_plans[(key, lang)] = plan
                if english_title:
                    page.meta["title"] = english_title
        return block_notices.strip_directives(markdown)  # QA comments never reach readers

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        html = readerui.empty_header_cells(self._heading_ids(html, page, config))
        lang = self._lang(config)
        if self._is_fallback(page, lang):
            return html  # English text under lang="en": its English titles are right
        strings, toc = self._messages(lang), config.mdx_configs.get("toc") or {}
        html = readerui.localize_footnotes(readerui.localize_admonitions(html, strings), strings)
        return readerui.localize_permalinks(html, toc.get("permalink_title", "Permanent link"), strings)

    def _heading_ids(self, html: str, page: Page, config: Any) -> str:
        """Give translated headings the source page's ids, so #anchors work in every language."""
        lang = self._lang(config)
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        if lang == self.settings.source_lang or self._is_fallback(page, lang):
            return html
        # raw HTML the source itself has may stay; the source is rendered only when it matters
        foreign = self.facts.foreign_elements(key) if may_have_foreign_elements(html) else []
        html, removed = publish.clean_page(page, html, foreign, publish.declared_hosts(self.settings, lang))
        shown = self.settings.rel(Path(page.file.abs_src_path))
        if removed:
            self._warn_once(f"{shown}: removed from the published page: "
                            f"{'; '.join(removed)}. Remove it from the translation (helpglot check names the line).")
        if (key, lang) in self.block_plans:
            html = block_notices.decorate_page(html, self._messages(lang), lang, self.settings.source_lang)
            anchors.walk_toc(page.toc, lambda item: setattr(item, "title", block_notices.clean(item.title)))
        html, anchors_found, warning = anchors.follow_source(
            html, self.facts.heading_ids(key), page.toc, getattr(page, "present_anchor_ids", None), shown)
        if warning:
            self._warn_once(warning)
        if anchors_found is not None:
            page.present_anchor_ids = anchors_found
        return html

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """A fresh navigation memo per language build (helpglot.site.navmemo); compiled templates kept."""
        env.globals["helpglot_nav_memo"] = NavMemo()
        keep_compiled_templates(env)  # for the next language's build (helpglot.site.jinjacache)
        return env

    def on_page_context(self, context: dict, page: Page, config: Any, nav: Any) -> dict:
        lang = self._lang(config)
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        context["helpglot"] = page_context.page(
            page, nav, self.settings, lang=lang, strings=self._messages(lang), fallback=self._is_fallback(page, lang),
            key=key, record=self.site.records.get((key, lang)), plan=self.block_plans.get((key, lang)),
            versions=self._versions(page), source_dates=self.site.source_dates, feedback_url=self.config.feedback_url,
            contact_url=self.config.contact_url, repo_url=config.repo_url, site_url=config.site_url)
        return context

    def on_post_page(self, output: str, page: Page, config: Any) -> str:
        lang, source_lang = self._lang(config), self.settings.source_lang
        fallback = self._is_fallback(page, lang)
        output = seo.page_head(output, self._versions(page), source_lang, config.site_url, fallback)
        english = [bool(other and (other.meta or {}).get("helpglot_fallback"))
                   for other in (page.previous_page, page.next_page)]
        output = readerui.page_chrome(output, self._messages(lang), source_lang, fallback, *english)
        output = pagemeta.add_meta(output, lang, page.meta.get("description") or config.site_description)
        return self._rebase_search(output, lang)

    def _versions(self, page: Page) -> dict[str, seo.PageVersion]:
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        return crosslang.versions(self.settings, key, self._use_directory_urls, self.published)

    def _rebase_search(self, output: str, lang: str) -> str:
        return search.rebase_config(output, lang, self.settings.source_lang) if self.config.split_search else output

    def on_template_context(self, context: dict, template_name: str, config: Any) -> dict:
        """The 404 page: reader's messages, and a language selector that leads to each language's home."""
        if template_name == "404.html":
            lang = self._lang(config)
            context["helpglot"], homes, self.gathered.described[lang] = page_context.not_found(
                self.settings, lang, self._messages(lang), config.site_url, self.config.contact_url, context.get("nav"))
            config.extra["alternate"] = homes
            config.extra.alternate = homes  # (i18n sets the attribute, which templates read first)
        return context

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        if template_name == "404.html":
            lang = self._lang(config)
            output = readerui.frame(output, self._messages(lang))
            output = pagemeta.add_meta(output, lang, self.gathered.about(lang, config.site_description), "noindex")
            output = self._rebase_search(output, lang)
            self.gathered.not_found[lang] = output
        return output

    @event_priority(-50)
    def _collect_search(self, config: Any) -> None:
        """Between the search plugin writing and i18n merging: keep this language's entries."""
        lang = self._lang(config)
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        if (found := search.collected(plugin, self.fallback_urls.get(lang, set()))) is not None:
            g = self.gathered
            g.search_entries[lang], g.search_english[lang], g.search_base = found

    @event_priority(-110)
    def _finalize(self, config: Any) -> None:
        """After the last language this process builds (see :func:`helpglot.site.siteout.finish`)."""
        if not self._outer_build(config):
            return
        siteout.finish(
            Path(config.site_dir), self.settings, self.gathered,
            built=[self.single_lang] if self.single_lang else list(self.settings.codes),
            split_search=self.config.split_search, chunked=self.config.search_index == "chunked",
            search_headings={lang: self._messages(lang)["badge_english"] for lang in self.gathered.search_entries},
            state=self.site, use_directory_urls=config.use_directory_urls, site_url=config.site_url)

    on_post_build = CombinedEvent(_collect_search, _finalize)
