"""The ``helpglot`` block of mkdocs.yml, typed and validated with mkdocs ``config_options``.

Languages are never declared twice: they come from the mkdocs-static-i18n
plugin's ``languages`` list. This module checks that the helpglot block only
names those languages and turns the validated MkDocs config into a
:class:`helpglot.settings.Settings` for the MkDocs-free core.
"""

from __future__ import annotations

import logging
import os
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from helpglot.errors import ConfigError
from helpglot.qa import conventions as _conventions
from helpglot.settings import Language, LanguagePolicy, Settings

#: DeepL accepts formality "more"/"less" only for these targets; others need prefer_*.
#: checks no setting in mkdocs.yml can turn down or exclude (a translation branch can edit mkdocs.yml)
DEEPL_FORMALITY_LANGS = {"de", "fr", "it", "es", "nl", "pl", "pt", "ja", "ru"}
FORMALITY_CHOICES = ("default", "more", "less", "prefer_more", "prefer_less")


class LanguageOptions(base.Config):
    """Per-language policy; unset values fall back to ``defaults``."""

    publish_machine = c.Optional(c.Type(bool))
    fail_on_stale_days = c.Optional(c.Type(int))
    engine = c.Optional(c.Type(str))
    formality = c.Optional(c.Choice(FORMALITY_CHOICES))
    # when a reviewed block's English changes: put a fresh draft in the file (the earlier
    # translation is kept in provenance) or keep the earlier one (the draft is kept there)
    on_source_change = c.Optional(c.Choice(("draft", "keep")))


class CheckOptions(base.Config):
    """Project conventions for ``helpglot check`` (see :class:`helpglot.settings.CheckConventions`)."""

    localized_links = c.Type(list, default=[])
    code_comments = c.Choice(("kept", "translated"), default="kept")
    translated_fences = c.ListOfItems(c.Type(str), default=[])
    code_strings = c.Choice(("kept", "translated"), default="kept")
    key_names = c.Choice(("kept", "translated"), default="translated")
    glossary_missing = c.Choice(("english", "consistent", "any", "off"), default="english")
    front_matter_own = c.ListOfItems(c.Type(str), default=[])
    severity = c.Type(dict, default={})
    exclude = c.Type(dict, default={})


class HelpglotConfig(base.Config):
    """Settings of the ``helpglot`` MkDocs plugin (documented in README.md)."""

    source_lang = c.Optional(c.Type(str))
    translations_dir = c.Type(str, default="translations")
    glossary_dir = c.Type(str, default="glossary")
    defaults = c.SubConfig(LanguageOptions)
    languages = c.Type(dict, default={})
    messages = c.Type(dict, default={})
    split_search = c.Type(bool, default=True)
    # chunked: per-language sharded index fetched per query word (searchindex.py); lunr: Material's
    search_index = c.Choice(("chunked", "lunr"), default="chunked")
    # with more source pages than this, Material's navigation.prune is turned on (-1: never): every
    # page then carries only its own section's links, not the whole tree (300 KB of HTML at 1,000 articles)
    prune_nav_above = c.Type(int, default=100)
    engines = c.Type(dict, default={})  # per-engine settings, e.g. deepl: {server_url, price_per_million}
    reuse_as_reviewed = c.Type(bool, default=False)  # translation-memory hits count as reviewed
    cache_dir = c.Type(str, default=".helpglot")
    translators = c.Type(dict, default={})  # language -> GitHub handles reviewing it (CODEOWNERS)
    # GitHub handles owning everything outside translations/<lang>/ (CODEOWNERS): config, code, glossary
    maintainers = c.Type(list, default=[])
    queue_priority = c.Choice(("nav", "weight", "path"), default="nav")  # review queue order within a group
    pr_template = c.Optional(c.Type(str))  # Jinja2 template for `helpglot pr-body` (default: packaged one)
    preview_url = c.Optional(c.Type(str))  # preview site of l10n/<lang> linked from pull requests ({lang})
    checks = c.SubConfig(CheckOptions)  # project conventions for `helpglot check`
    # maintainers' list of translation globs where a translator's `ignore safety` counts
    trusted_suppressions = c.ListOfItems(c.Type(str), default=[])
    feedback_url = c.Optional(c.Type(str))  # "Was this article helpful?" POSTs JSON here (furniture.py)
    contact_url = c.Optional(c.Type(str))  # the contact-support link under every article (https: or mailto:)


def find_i18n(config: Any) -> Any:
    """The mkdocs-static-i18n plugin instance, or a clear error naming the fix."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise ConfigError(
            "mkdocs.yml: the helpglot plugin needs the mkdocs-static-i18n plugin, which "
            "declares the site's languages. Add it under 'plugins:' before helpglot, e.g.\n"
            "  - i18n:\n      docs_structure: suffix\n      languages:\n"
            "        - {locale: en, default: true, name: English}\n"
            "        - {locale: es, name: Español}"
        )
    if plugin.config.docs_structure != "suffix":
        raise ConfigError(
            "mkdocs.yml: plugins.i18n.docs_structure must be 'suffix' with helpglot "
            "(translations live in translations/<lang>/, not in docs/<lang>/). "
            "Set 'docs_structure: suffix'."
        )
    return plugin


def _policy(raw: LanguageOptions | dict, defaults: LanguageOptions, where: str) -> LanguagePolicy:
    def pick(key: str, fallback: Any) -> Any:
        value = raw.get(key) if isinstance(raw, dict) else raw[key]
        if value is None:
            value = defaults[key]
        return fallback if value is None else value

    days = pick("fail_on_stale_days", None)
    if days is not None and (isinstance(days, bool) or days < 0):
        raise ConfigError(f"mkdocs.yml: {where}.fail_on_stale_days: {days} is negative; give a number of days "
                          "(0 or more), or leave it out")
    return LanguagePolicy(
        publish_machine=pick("publish_machine", True),
        fail_on_stale_days=pick("fail_on_stale_days", None),
        engine=pick("engine", None),
        formality=pick("formality", None),
        on_source_change=pick("on_source_change", "draft"),
    )


def _validate_languages(raw: dict, codes: list[str], source: str) -> dict[str, LanguageOptions]:
    result: dict[str, LanguageOptions] = {}
    for code, options in raw.items():
        where = f"plugins.helpglot.languages.{code}"
        if code not in codes:
            raise ConfigError(
                f"mkdocs.yml: {where}: '{code}' is not a language of this site "
                f"(plugins.i18n.languages lists: {', '.join(codes)}). Fix the code or add "
                "the language to the i18n plugin."
            )
        if code == source:
            raise ConfigError(
                f"mkdocs.yml: {where}: '{code}' is the source language; policies apply to "
                "translation languages only. Remove this entry."
            )
        sub = LanguageOptions()
        sub.load_dict(options or {})
        errors, _warnings = sub.validate()
        if errors:
            key, err = errors[0]
            raise ConfigError(f"mkdocs.yml: {where}.{key}: {err}")
        formality = sub["formality"]
        if formality in ("more", "less") and code.split("-")[0] not in DEEPL_FORMALITY_LANGS:
            raise ConfigError(
                f"mkdocs.yml: {where}.formality: DeepL has no formality '{formality}' for "
                f"'{code}'. Use 'prefer_{formality}', which falls back gracefully."
            )
        result[code] = sub
    return result


def settings_from_mkdocs(config: Any, plugin_config: HelpglotConfig, config_file: str | None = None) -> Settings:
    """Validate the helpglot block against the i18n languages and build :class:`Settings`."""
    i18n = find_i18n(config)
    langs = [lang for lang in i18n.config.languages if lang.locale != "null" and lang.build]
    codes = [lang.locale for lang in langs]
    default = next((lang.locale for lang in langs if lang.default), codes[0] if codes else "en")
    source = plugin_config.source_lang or default
    if source not in codes:
        raise ConfigError(
            f"mkdocs.yml: plugins.helpglot.source_lang: '{source}' is not a language of this "
            f"site (plugins.i18n.languages lists: {', '.join(codes)})."
        )
    if source != default:
        raise ConfigError(
            f"mkdocs.yml: plugins.helpglot.source_lang is '{source}' but the i18n default "
            f"language is '{default}'. The source articles in docs/ are the default language: "
            "remove source_lang or make them agree."
        )
    raw_langs = plugin_config.languages or {}
    if not isinstance(raw_langs, dict):
        raise ConfigError("mkdocs.yml: plugins.helpglot.languages must be a mapping of language code to settings.")
    validated = _validate_languages(raw_langs, codes, source)
    for code, strings in (plugin_config.messages or {}).items():
        _check_messages(code, strings)
        if code not in codes:
            raise ConfigError(
                f"mkdocs.yml: plugins.helpglot.messages.{code}: '{code}' is not a language of "
                f"this site (plugins.i18n.languages lists: {', '.join(codes)})."
            )
    cfg_path = config_file or config.config_file_path
    root = Path(cfg_path).resolve().parent if cfg_path else Path.cwd()
    defaults = plugin_config.defaults
    policies = {
        code: _policy(validated.get(code, {}), defaults, f"plugins.helpglot.languages.{code}")
        for code in codes
        if code != source
    }
    if os.environ.get("HELPGLOT_PREVIEW") == "1":
        # a translation branch's preview is for its reviewers: drafts show (with their notices)
        # even where the language publishes reviewed text only
        policies = {code: replace(p, publish_machine=True) for code, p in policies.items()}
    return Settings(
        root=root,
        docs_dir=Path(config.docs_dir).resolve(),
        translations_dir=(root / plugin_config.translations_dir).resolve(),
        glossary_dir=(root / plugin_config.glossary_dir).resolve(),
        source_lang=source,
        languages=tuple(
            Language(code=lang.locale, name=lang.name, link=lang.link or f"/{lang.locale}/")
            for lang in langs
        ),
        site_url=config.site_url,
        policies=policies,
        engines=_engines(plugin_config.engines),
        translators=_translators(plugin_config.translators, codes, source),
        maintainers=_maintainers(plugin_config.maintainers),
        queue_priority=plugin_config.queue_priority,
        pr_template=(root / plugin_config.pr_template).resolve() if plugin_config.pr_template else None,
        # drafts are unreviewed: never on the production origin; unset, the PR points at the artifact
        preview_url=_preview_url(plugin_config.preview_url, config.site_url),
        nav_order=tuple(_nav_files(config.nav)),
        reuse_as_reviewed=plugin_config.reuse_as_reviewed,
        cache_dir=(root / plugin_config.cache_dir).resolve(),
        checks=_conventions.check_conventions(plugin_config.checks),
        markdown_extensions=tuple(config.markdown_extensions or ()),
        mdx_configs=dict(config.mdx_configs or {}),
        trusted_suppressions=tuple(plugin_config.trusted_suppressions),
    )


HANDLE = re.compile(r"@[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?")


def _maintainers(raw: object) -> tuple[str, ...]:
    """GitHub users or teams who own every path outside the translations (CODEOWNERS)."""
    if not isinstance(raw, list) or not all(isinstance(h, str) and HANDLE.fullmatch(h) for h in raw):
        raise ConfigError("mkdocs.yml: plugins.helpglot.maintainers must be a list of GitHub handles "
                          "(@user or @org/team), e.g. maintainers: ['@tallybird/docs']")
    return tuple(raw)


def _preview_url(raw: str | None, site_url: str | None) -> str | None:
    """A preview of l10n/<lang> shows unreviewed drafts: a separate origin from the published site,
    so a hostile draft can never run script where readers' cookies and the real pages live."""
    if not raw:
        return None
    preview = urllib.parse.urlsplit(raw.replace("{lang}", "xx"))
    where = f"mkdocs.yml: plugins.helpglot.preview_url: {raw!r}"
    try:
        _ = preview.port  # a malformed port raises here
    except ValueError:
        preview = urllib.parse.urlsplit("")
    if preview.scheme not in ("https", "http") or not preview.hostname:
        raise ConfigError(f"{where} is not an http(s) URL; give the previews' own site, e.g. "
                          "https://previews.example.net/{lang}/, or remove it")
    site = urllib.parse.urlsplit(site_url or "")

    def origin(url: urllib.parse.SplitResult) -> tuple:
        return url.scheme, url.hostname, url.port or {"https": 443, "http": 80}.get(url.scheme)

    if site.hostname and origin(preview) == origin(site):
        raise ConfigError(f"{where} is on the published site's origin ({site.scheme}://{site.netloc}); previews "
                          "hold unreviewed drafts, so serve them from another origin (e.g. a separate Pages "
                          "repository) or remove the setting: pull requests then point at the deploy run's "
                          "'previews' artifact")
    return raw


def _translators(raw: object, codes: list[str], source: str) -> dict[str, tuple[str, ...]]:
    """language -> GitHub users or teams (@name, @org/team) who review that language."""
    if not isinstance(raw, dict):
        raise ConfigError("mkdocs.yml: plugins.helpglot.translators must map a language code to GitHub handles, "
                          "e.g. translators: {es: ['@lucia', '@tallybird/spanish']}")
    result: dict[str, tuple[str, ...]] = {}
    for code, handles in raw.items():
        where = f"mkdocs.yml: plugins.helpglot.translators.{code}"
        if code not in codes or code == source:
            raise ConfigError(f"{where}: '{code}' is not a translation language of this site "
                              f"({', '.join(c for c in codes if c != source)})")
        if isinstance(handles, str):
            handles = [handles]
        if not isinstance(handles, list) or not handles:
            raise ConfigError(f"{where}: give a list of GitHub handles such as ['@lucia']")
        for handle in handles:
            if not isinstance(handle, str) or not HANDLE.fullmatch(handle):
                raise ConfigError(f"{where}: '{handle}' is not a GitHub handle (@user or @org/team)")
        result[code] = tuple(handles)
    return result


def _nav_files(nav: object) -> list[str]:
    """Source paths in the order of mkdocs.yml's explicit nav (empty without one)."""
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str):
            if item.endswith((".md", ".markdown")):
                found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return found


def _check_messages(code: str, strings: object) -> None:
    from helpglot.messages import KEYS

    where = f"mkdocs.yml: plugins.helpglot.messages.{code}"
    if not isinstance(strings, dict):
        raise ConfigError(f"{where}: give a mapping of message keys to texts (keys: {', '.join(KEYS)})")
    for key, value in strings.items():
        if key not in KEYS:
            raise ConfigError(f"{where}.{key}: unknown message key; use one of: {', '.join(KEYS)}")
        if not isinstance(value, str):
            raise ConfigError(f"{where}.{key}: must be text")


def _server_url(name: str, value: object) -> None:
    from urllib.parse import urlsplit

    where = f"mkdocs.yml: plugins.helpglot.engines.{name}.server_url"
    if not isinstance(value, str):
        raise ConfigError(f"{where}: must be a URL such as https://api-free.deepl.com")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise ConfigError(f"{where}: '{value}' is not a valid URL ({exc}); e.g. https://api-free.deepl.com") \
            from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: '{value}' is not an http(s) URL; e.g. https://api-free.deepl.com")


def _engines(raw: object) -> dict[str, dict]:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ConfigError("mkdocs.yml: plugins.helpglot.engines must map an engine name to its settings, "
                          "e.g. engines: {deepl: {server_url: https://api-free.deepl.com}}")
    for name, options in raw.items():
        price = options.get("price_per_million")
        if price is not None and not isinstance(price, (int, float)):
            raise ConfigError(f"mkdocs.yml: plugins.helpglot.engines.{name}.price_per_million must be a number")
        if options.get("server_url") is not None:
            _server_url(str(name), options["server_url"])
    return {str(k): dict(v) for k, v in raw.items()}


class _LoggedErrors(logging.Handler):
    """Collects the errors MkDocs logs while validating, so the one message can name them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_settings(config_file: str | None = None) -> Settings:
    """Load and validate mkdocs.yml the way ``mkdocs build`` does, for the CLI."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    path = config_file or "mkdocs.yml"
    if not Path(path).is_file():
        raise ConfigError(f"{path}: no such file. Run helpglot next to mkdocs.yml or pass -f PATH.")
    errors = _LoggedErrors()
    logger = logging.getLogger("mkdocs.config")
    logger.addHandler(errors)
    try:
        config = load_config(path)
    except ConfigurationError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except Abort as exc:  # MkDocs logged the reasons and aborts with a generic line: name them instead
        raise ConfigError(f"{path}: {'; '.join(errors.messages) or exc}") from None
    finally:
        logger.removeHandler(errors)
    plugin = config.plugins.get("helpglot")
    if plugin is None:
        raise ConfigError(f"{path}: add '- helpglot' under 'plugins:' (after i18n).")
    return settings_from_mkdocs(config, plugin.config, path)
