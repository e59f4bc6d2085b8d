"""The ``helpglot`` MkDocs plugin: a thin adapter between MkDocs and the core.

mkdocs-static-i18n builds the source language first and then, inside its own
``on_post_build``, rebuilds the site once per other language on the same
config object. Every event below therefore runs once per language; the
current language is read from the i18n plugin. What this adapter adds:

* translations under ``translations/<lang>/`` are handed to i18n as suffix
  files (``x.es.md``) whose content is read from their real location;
* pages that fall back to English are flagged (notice, nav badge, excluded
  from that language's search) and heading ids follow the source page;
* after the last language: one search index per language, a 404 page per
  language, absolute hreflang links with x-default, and one sitemap.
"""

from __future__ import annotations

import copy
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from helpglot import layout, messages
from helpglot.config import HelpglotConfig, find_i18n, settings_from_mkdocs
from helpglot.errors import HelpglotError
from helpglot.markdown.segment import parse, parse_file
from helpglot.qa import publish
from helpglot.settings import Settings
from helpglot.site import crosslang, furniture, pagemeta, readerui, search, seo, siteout
from helpglot.site import notices as block_notices
from helpglot.site.navmemo import NavMemo
from helpglot.site.sourcefacts import SourceFacts, may_have_foreign_elements
from helpglot.terms import glossary
from helpglot.tracking import assets as l10nassets
from helpglot.tracking import provenance

log = logging.getLogger("mkdocs.plugins.helpglot")

TEMPLATES = Path(__file__).parent / "templates"
CSS = "assets/helpglot/helpglot.css"
JS = "assets/helpglot/helpglot.js"
FALLBACK_STATUS = "helpglot-english"
HEADING_ID = re.compile(r"<h([1-6])([^>]*?)\sid=\"([^\"]+)\"")
CANONICAL = re.compile(r'<link rel="canonical" href="[^"]*">')


class HelpglotPlugin(BasePlugin[HelpglotConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None
        #: set by helpglot.site.parallel: this process builds only that language (``helpglot build``)
        self.single_lang: str | None = None
        self.real_paths: dict[str, str] = {}
        self.facts: SourceFacts | None = None  # source heading ids and raw HTML, from docs/ alone
        self.translations: list[crosslang.Translation] = []
        self.published: set[tuple[str, str]] = set()
        self._use_directory_urls = True
        self.search_entries: dict[str, list[dict]] = {}
        # a language's English stand-in pages, by URL: indexed (for "Results in English"), not as its own
        self.fallback_urls: dict[str, set[str]] = {}
        self.search_english: dict[str, list[dict]] = {}
        self.search_base: dict = {}
        self.not_found: dict[str, str] = {}
        self._warned: set[str] = set()
        self.records: dict[tuple[str, str], Any] = {}
        self.block_plans: dict[tuple[str, str], block_notices.PagePlan] = {}
        self.palette: Any = None
        self.source_dates: dict = {}

    # -- helpers -----------------------------------------------------------------

    def _i18n(self, config: Any) -> Any:
        try:
            return find_i18n(config)
        except HelpglotError as exc:
            raise PluginError(exc.message) from None

    def _lang(self, config: Any) -> str:
        i18n = config.plugins.get("i18n")
        assert self.settings is not None
        return (i18n and i18n.current_language) or self.settings.source_lang

    def _outer_build(self, config: Any) -> bool:
        """The first (or only) language built in this process: setup and final writes happen here."""
        if self.single_lang is not None:
            return True
        i18n = config.plugins.get("i18n")
        return not (i18n and i18n.building)

    def _warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            log.warning(message)

    def _messages(self, lang: str) -> dict[str, str]:
        if lang != self.settings.source_lang and not messages.has_language(lang) and lang not in (
            self.config.messages or {}
        ):
            self._warn_once(
                f"helpglot has no reader notices in '{lang}'; English is used. Add them under "
                f"plugins.helpglot.messages.{lang} in mkdocs.yml (keys: {', '.join(messages.KEYS)})."
            )
        return messages.messages_for(lang, self.config.messages)

    # -- configuration -----------------------------------------------------------

    @event_priority(100)
    def _validate(self, config: Any) -> Any:
        """Runs before i18n: fail early, with a message that names the setting."""
        i18n = config.plugins.get("i18n")
        if self.single_lang is not None or (
            self._outer_build(config) and (i18n is None or not i18n.current_language)
        ):
            self._i18n(config)
            try:
                self.settings = settings_from_mkdocs(config, self.config)
                layout.check_language_folders(self.settings)
            except HelpglotError as exc:
                raise PluginError(exc.message) from None
            self.real_paths.clear()
            self.search_entries.clear()
            self.fallback_urls.clear()
            self.search_english.clear()
            self.not_found.clear()
            self.block_plans.clear()
            site = crosslang.state(self.settings)
            self.records = dict(site.records)
            try:
                furniture.check_urls(self.config.feedback_url, self.config.contact_url)
            except HelpglotError as exc:
                raise PluginError(exc.message) from None
            self.palette = copy.deepcopy(config.theme.get("palette"))
            self.source_dates = dict(site.source_dates)
            self.translations = list(site.translations)
            self.published = {(t.rel, t.lang) for t in self.translations if t.why is None}
            self._use_directory_urls = bool(config.use_directory_urls)
            self.facts = SourceFacts(self.settings.docs_dir, config.markdown_extensions, config.mdx_configs)
            self._large_site_defaults(config)
            if str(TEMPLATES) not in config.theme.dirs:
                # after the user's custom_dir, before the theme's own templates
                index = 1 if config.theme.custom_dir else 0
                config.theme.dirs.insert(index, str(TEMPLATES))
            if CSS not in [str(css) for css in config.extra_css]:
                config.extra_css.append(CSS)
            if JS not in [str(js) for js in config.extra_javascript]:
                config.extra_javascript.append(JS)
        return config

    def _large_site_defaults(self, config: Any) -> None:
        """A large help center gets Material's ``navigation.prune`` (see prune_nav_above in config.py)."""
        limit = self.config.prune_nav_above
        features = config.theme.get("features")
        if limit < 0 or config.theme.name != "material" or features is None or "navigation.prune" in features:
            return
        if len(layout.source_articles(self.settings)) > limit:
            features.append("navigation.prune")

    @event_priority(-110)
    def _per_language(self, config: Any) -> Any:
        """Runs after i18n reset the config for the language being built."""
        lang = self._lang(config)
        strings = self._messages(lang)
        status = dict(config.extra.get("status") or {})
        status[FALLBACK_STATUS] = strings["nav_fallback"]
        config.extra["status"] = status
        if self.palette:  # theme toggle names in the reader's language
            config.theme["palette"] = (copy.deepcopy(self.palette) if lang == self.settings.source_lang
                                       else readerui.localize_palette(self.palette, strings))
        return config

    on_config = CombinedEvent(_validate, _per_language)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """Reload ``mkdocs serve`` when translations or the glossary change, not only docs/."""
        for path in (self.settings.translations_dir, self.settings.glossary_dir):
            if path.is_dir():
                server.watch(str(path))
        return server

    # -- files -------------------------------------------------------------------

    @event_priority(50)
    def _inject_translations(self, files: Files, config: Any) -> Files:
        """Offer each translation to i18n as the suffix file it understands (x.es.md)."""
        settings = self.settings
        # only the language being built: i18n turns every file into one per language (x.es.md
        # for every other language too), and which other languages have a page comes from
        # crosslang (see _versions), so their translations would only cost time here
        current = self._lang(config)
        awaiting: dict[str, list[str]] = {}
        for tfile in self.translations:  # (crosslang.select decided which are published)
            if tfile.why is not None:
                if self.single_lang not in (None, tfile.lang):
                    continue  # each language's process reports its own
                if tfile.awaiting_review:
                    awaiting.setdefault(tfile.lang, []).append(settings.rel(tfile.path))
                else:
                    self._warn_once(tfile.why)
                continue
            if tfile.lang != current:
                continue
            stem, dot, suffix = tfile.rel.rpartition(".")
            src_uri = f"{stem}.{tfile.lang}.{suffix}"
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(
                    f"{settings.rel(settings.docs_dir / src_uri)} and {settings.rel(tfile.path)} "
                    "are both the same translation: keep translations in "
                    f"{settings.rel(settings.translations_dir)}/ only."
                )
            self.real_paths[src_uri] = str(tfile.path)
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        for lang, paths in awaiting.items():
            # the publish_machine policy at work, not a fault: one line, and no --strict failure
            message = (f"{lang}: {len(paths)} translation(s) have no reviewed block yet and are shown in English "
                       f"until review (plugins.helpglot.languages.{lang}.publish_machine: false): "
                       f"{', '.join(paths[:3])}{', ...' if len(paths) > 3 else ''}; `helpglot queue --lang {lang}` "
                       "lists them")
            if message not in self._warned:
                self._warned.add(message)
                log.info(message)
        for asset in l10nassets.local_assets(settings):  # localized screenshots: same path, other file
            if asset.lang != current:
                continue
            if files.get_file_from_path(asset.rel) is None:
                self._warn_once(
                    f"{settings.rel(asset.path)}: there is no {settings.rel(settings.docs_dir / asset.rel)} "
                    "for it to replace, so it is not published. Give it the English file's path."
                )
                continue
            self.real_paths[asset.suffixed] = str(asset.path)
            files.append(File(asset.suffixed, config.docs_dir, config.site_dir, config.use_directory_urls))
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
        source = self._lang(config) == self.settings.source_lang

        def visit(items: list) -> None:
            for item in items:
                if isinstance(item, Section):
                    index = next(
                        (c for c in item.children if isinstance(c, Page) and c.file.name == "index"),
                        None,
                    )
                    if index is not None:
                        try:
                            _body, meta = get_data(index.file.content_string)
                        except (OSError, UnicodeDecodeError):
                            meta = {}
                        if isinstance(meta, dict) and meta.get("title"):
                            item.title = str(meta["title"]) if source else publish.sanitize.escape_text(meta["title"])
                    visit(item.children)

        visit(nav.items)
        return nav

    # -- pages -------------------------------------------------------------------

    def _is_fallback(self, page: Page, lang: str) -> bool:
        return lang != self.settings.source_lang and getattr(page.file, "locale", lang) != lang

    def on_page_read_source(self, page: Page, config: Any) -> str | None:
        """A source article that is not UTF-8 stops the build with its name and line, not a traceback
        (translations that are not UTF-8 never get here: they fall back, see publish.refusal)."""
        why = publish.unreadable(Path(page.file.abs_src_path))
        if why is not None:
            raise PluginError(f"{self.settings.rel(Path(page.file.abs_src_path))}{why}")
        return None

    def on_page_markdown(self, markdown: str, page: Page, config: Any, files: Files) -> str:
        lang = self._lang(config)
        if self._is_fallback(page, lang):
            page.meta["helpglot_fallback"] = True
            page.meta.setdefault("status", FALLBACK_STATUS)
            self.fallback_urls.setdefault(lang, set()).add(page.url)
            return block_notices.strip_directives(markdown)
        if lang != self.settings.source_lang:
            key = getattr(page.file, "norm_src_uri", page.file.src_uri)
            page.meta = publish.plain_meta(page.meta, self.settings.docs_dir / key)
            if page.file.src_uri in self.real_paths:
                markdown = self._mark_blocks(markdown, page, key, lang)
        return block_notices.strip_directives(markdown)  # QA comments never reach readers

    def _mark_blocks(self, markdown: str, page: Page, key: str, lang: str) -> str:
        """Machine, stale and English-instead paragraphs marked for the reader (see notices.py)."""
        record = self.records.get((key, lang))
        if record is None or record.state not in ("machine", "stale"):
            return markdown
        settings = self.settings
        try:
            full = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
            translation = parse(full, settings.rel(Path(page.file.abs_src_path)))
            prov = provenance.read(translation)
            source = parse_file(str(settings.docs_dir / key))
        except (OSError, UnicodeDecodeError, HelpglotError):
            return markdown
        plan = block_notices.plan(translation, prov, source, record.changes, settings.policy(lang).publish_machine)
        self.block_plans[(key, lang)] = plan
        # MkDocs hands over the body after the front matter, with trailing white space stripped
        body, rest = markdown.rstrip(), full.rstrip()
        if not plan.states or not rest.endswith(body):
            return markdown
        title = next((b for b in translation.blocks if b.kind == "meta" and b.detail == "title"), None)
        if title is not None and plan.english and prov.blocks[title.index].status == "machine":
            english = next((b.text for b in source.blocks if b.kind == "meta" and b.detail == "title"), None)
            if english:
                page.meta["title"] = english
        return block_notices.mark(translation, plan, len(rest) - len(body))

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        html = readerui.empty_header_cells(self._heading_ids(html, page, config))
        lang = self._lang(config)
        if self._is_fallback(page, lang):
            return html  # English text under lang="en": its English titles are right
        strings = self._messages(lang)
        html = readerui.localize_admonitions(html, strings)
        toc = config.mdx_configs.get("toc") or {}
        return readerui.localize_permalinks(html, toc.get("permalink_title", "Permanent link"), strings)

    def _heading_ids(self, html: str, page: Page, config: Any) -> str:
        """Give translated headings the source page's ids, so #anchors work in every language."""
        lang = self._lang(config)
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        if lang == self.settings.source_lang or self._is_fallback(page, lang):
            return html
        # raw HTML the source itself has may stay; the source is rendered only when it matters
        foreign = self.facts.foreign_elements(key) if may_have_foreign_elements(html) else []
        html, removed = publish.clean_page(page, html, foreign)
        if removed:
            self._warn_once(f"{self.settings.rel(Path(page.file.abs_src_path))}: removed from the published page: "
                            f"{'; '.join(removed)}. Remove it from the translation (helpglot check names the line).")
        if (key, lang) in self.block_plans:
            strings = self._messages(lang)
            labels = {"machine": strings["block_machine"], "stale": strings["block_stale"],
                      "english": strings["block_english"], "lang": lang}
            html = block_notices.decorate(html, labels, self.settings.source_lang)

            def untitle(items: Any) -> None:
                for item in items:
                    item.title = block_notices.clean(item.title)
                    untitle(item.children)

            untitle(page.toc)
        source_ids = self.facts.heading_ids(key)
        own = [m.group(3) for m in HEADING_ID.finditer(html)]
        if source_ids is None or own == source_ids:
            return html
        if len(own) != len(source_ids):
            self._warn_once(
                f"{self.settings.rel(Path(page.file.abs_src_path))}: {len(own)} headings but the "
                f"source has {len(source_ids)}; heading anchors keep the translated ids. "
                "Align the translation's headings with its source."
            )
            return html
        mapping = dict(zip(own, source_ids, strict=True))
        counter = iter(source_ids)
        html = HEADING_ID.sub(lambda m: f'<h{m.group(1)}{m.group(2)} id="{next(counter)}"', html)
        html = re.sub(
            r'href="#([^"]+)"', lambda m: f'href="#{mapping.get(m.group(1), m.group(1))}"', html
        )

        def retoc(items: Any) -> None:
            for item in items:
                if item.id in mapping:
                    item.id = mapping[item.id]
                retoc(item.children)

        retoc(page.toc)
        anchors = getattr(page, "present_anchor_ids", None)
        if anchors is not None:  # what mkdocs validates links against: links it saw use the
            # translated ids (its own permalinks), links from other pages the source's ids
            page.present_anchor_ids = set(anchors) | {mapping.get(anchor, anchor) for anchor in anchors}
        return html

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """A fresh navigation memo per language build (see helpglot.site.navmemo)."""
        env.globals["helpglot_nav_memo"] = NavMemo()
        return env

    def on_page_context(self, context: dict, page: Page, config: Any, nav: Any) -> dict:
        lang = self._lang(config)
        settings = self.settings
        strings = self._messages(lang)
        fallback = self._is_fallback(page, lang)
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        furniture_context = furniture.page_context(
            page, nav, lang=lang, source_lang=settings.source_lang, fallback=fallback, strings=strings,
            source_dates=self.source_dates, key=key, feedback_url=self.config.feedback_url,
            contact_url=self.config.contact_url, repo_url=config.repo_url, site_url=config.site_url)
        original = None
        alternates = getattr(page.file, "alternates", None) or {}
        if settings.source_lang in alternates:
            original = alternates[settings.source_lang].url or "./"
        record = None if fallback else self.records.get((key, lang))
        plan = None if fallback else self.block_plans.get((key, lang))
        notices = block_notices.page_notices(record, plan, fallback, strings, original)
        context["helpglot"] = {
            "lang": lang,
            "source_lang": settings.source_lang,
            "fallback": fallback,
            "notices": notices,
            "messages": strings,
            "home_links": {lg.code: lg.link.lstrip("/") or "./" for lg in settings.languages},
            "is_root_home": lang == settings.source_lang and page.is_homepage,
            "english_only": sorted(code for code, version in self._versions(page).items() if version.fallback),
            **furniture_context,
        }
        return context

    def on_post_page(self, output: str, page: Page, config: Any) -> str:
        lang = self._lang(config)
        versions = self._versions(page)
        tags = seo.hreflang_tags(versions, self.settings.source_lang, config.site_url)
        output = seo.replace_alternates(output, tags)
        if self._is_fallback(page, lang) and self.settings.source_lang in versions:
            english = seo.absolute(config.site_url, versions[self.settings.source_lang].url)
            output = CANONICAL.sub(f'<link rel="canonical" href="{english}">', output, count=1)
        strings = self._messages(lang)
        output = readerui.landmarks(readerui.skip_link(output, strings["skip"]), strings["breadcrumb"])
        output = readerui.fallback_nav_items(output, self.settings.source_lang, strings["badge_english"])
        english = [bool(other and (other.meta or {}).get("helpglot_fallback"))
                   for other in (page.previous_page, page.next_page)]
        output = readerui.tag_english(output, self.settings.source_lang, self._is_fallback(page, lang), *english)
        output = pagemeta.add_meta(output, lang, page.meta.get("description") or config.site_description)
        return self._rebase_search(output, lang)

    def _versions(self, page: Page) -> dict[str, seo.PageVersion]:
        """The page in every language (URL, English stand-in or not), from the trees: the same
        whichever languages this process builds."""
        settings = self.settings
        key = getattr(page.file, "norm_src_uri", page.file.src_uri)
        url = crosslang.page_url(key, self._use_directory_urls)
        return {
            code: seo.PageVersion(lang=code, source=key, url=url if code == settings.source_lang else f"{code}/{url}",
                                  fallback=code != settings.source_lang and (key, code) not in self.published)
            for code in settings.codes
        }

    def _rebase_search(self, output: str, lang: str) -> str:
        if not self.config.split_search:
            return output
        return search.rebase_config(output, lang, self.settings.source_lang)

    def on_template_context(self, context: dict, template_name: str, config: Any) -> dict:
        """The 404 page: reader's messages, and a language selector that leads to each language's home."""
        if template_name == "404.html":
            lang = self._lang(config)
            context["helpglot"] = {
                "lang": lang, "source_lang": self.settings.source_lang, "fallback": False, "notices": [],
                "messages": self._messages(lang), "english_only": [], "not_found": True,
            }
            homes = [{"name": lg.name, "link": siteout.site_path(config.site_url, lg.link), "lang": lg.code}
                     for lg in self.settings.languages]
            config.extra["alternate"] = homes
            config.extra.alternate = homes  # (i18n sets the attribute, which templates read first)
        return context

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        if template_name == "404.html":
            lang = self._lang(config)
            strings = self._messages(lang)
            output = readerui.landmarks(readerui.skip_link(output, strings["skip"]), strings["breadcrumb"])
            output = pagemeta.add_meta(output, lang, config.site_description, robots="noindex")
            output = self._rebase_search(output, lang)
            self.not_found[lang] = output
        return output

    # -- after each language, and after the last one -------------------------------

    @event_priority(-50)
    def _collect_search(self, config: Any) -> None:
        """Between the search plugin writing and i18n merging: keep this language's entries."""
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(plugin, "search_index", None)
        if index is None:
            return
        entries = getattr(index, "entries", None) or getattr(index, "_entries", [])
        lang = self._lang(config)
        # the English stand-ins are this language's "Results in English", taken from this build
        # (not from the source language's: in `helpglot build` that is another process)
        fallback = self.fallback_urls.get(lang, set())
        own = [e for e in entries if e.get("location", "").split("#")[0] not in fallback]
        self.search_entries[lang] = own
        self.search_english[lang] = [e for e in entries if e.get("location", "").split("#")[0] in fallback]
        self.search_base = {
            "separator": plugin.config.get("separator"),
            "pipeline": plugin.config.get("pipeline"),
            "fields": plugin.config.get("fields"),
        }

    @event_priority(-110)
    def _finalize(self, config: Any) -> None:
        """After the last language this process builds: per-language files of the languages built
        here; the source language's process also writes the site-wide ones (root sitemap, status
        page, robots.txt). All cross-language facts come from the trees (crosslang.py)."""
        if not self._outer_build(config):
            return
        settings = self.settings
        site = Path(config.site_dir)
        built = [self.single_lang] if self.single_lang else list(settings.codes)
        if self.config.split_search and self.search_entries:
            headings = {lang: self._messages(lang)["search_english"] for lang in self.search_entries}
            try:
                terms = glossary.load(settings)
            except HelpglotError:
                terms = []  # a broken glossary is reported by the checks; search just goes without
            bridges = {lang: search.glossary_bridge(terms, lang) for lang in self.search_entries}
            siteout.write_search_indexes(site, self.search_entries, self.search_base, settings.source_lang,
                                         chunked=self.config.search_index == "chunked", headings=headings,
                                         bridges=bridges, english=self.search_english)
        if self.not_found:
            siteout.write_404s(site, self.not_found, settings, config.site_url)
        pages = crosslang.site_pages(settings, self.translations, self.source_dates, config.use_directory_urls)
        siteout.write_sitemaps(site, pages, settings, config.site_url, langs=built)
        if settings.source_lang in built:
            siteout.write_status_page(site, list(self.records.values()), settings)
            pagemeta.write_robots(site, config.site_url)

    on_post_build = CombinedEvent(_collect_search, _finalize)
