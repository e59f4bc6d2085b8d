"""helpglot's settings as plain, frozen values.

The MkDocs config layer (:mod:`helpglot.config`) validates ``mkdocs.yml`` and
produces a :class:`Settings`; everything else in the core takes a ``Settings``
so it can run without MkDocs (CLI, tests, benchmarks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Language:
    """A site language as the i18n plugin declares it."""

    code: str
    name: str
    link: str  # site-relative folder, "/" for the source language, "/es/" otherwise


@dataclass(frozen=True)
class LanguagePolicy:
    """Per-language publishing and freshness policy."""

    publish_machine: bool = True
    fail_on_stale_days: int | None = None
    engine: str | None = None
    formality: str | None = None
    on_source_change: str = "draft"  # draft | keep: what a file holds while a changed block awaits review


@dataclass(frozen=True)
class CheckConventions:
    """A project's conventions that the QA checks respect (``checks:`` in the plugin block)."""

    #: link prefixes a translation may put in front of a source link's path ("/{lang}/",
    #: "https://example.com/{lang}/"): the same page in the reader's language
    localized_links: tuple[str, ...] = ()
    code_comments: str = "kept"  # "kept" | "translated": may comments in code blocks be translated?
    #: fence languages whose content is text to translate (diagram labels: ``mermaid``)
    translated_fences: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # check id -> "error" | "warning" | "off"
    exclude: tuple[tuple[str, frozenset[str]], ...] = ()  # (glob on the article's path, check ids or {"all"})
    #: string literals in code blocks: "kept" (must match) or "translated" (example values localized)
    code_strings: str = "kept"
    #: key names in keyboard shortcuts (`Ctrl+Space` → `Ctrl+Espacio`): "translated" or "kept"
    key_names: str = "translated"
    #: when is a term whose preferred rendering is missing reported: "english" (the block kept the
    #: English term instead), "consistent" (that, or the translation uses the preferred rendering in
    #: another block), "any" (no preferred or admitted rendering at all) or "off"
    glossary_missing: str = "english"
    #: front-matter keys each language may have or not (aliases, a per-language description)
    front_matter_own: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know about one help center."""

    root: Path
    docs_dir: Path
    translations_dir: Path
    glossary_dir: Path
    source_lang: str
    languages: tuple[Language, ...]
    site_url: str | None = None
    policies: dict[str, LanguagePolicy] = field(default_factory=dict)
    engines: dict[str, dict] = field(default_factory=dict)
    reuse_as_reviewed: bool = False
    cache_dir: Path | None = None
    translators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    maintainers: tuple[str, ...] = ()  # own every path outside translations/<lang>/ (CODEOWNERS)
    queue_priority: str = "nav"
    pr_template: Path | None = None
    preview_url: str | None = None
    nav_order: tuple[str, ...] = ()
    checks: CheckConventions = field(default_factory=CheckConventions)
    markdown_extensions: tuple = ()  # mkdocs.yml's, so `check` renders what the build renders
    mdx_configs: dict = field(default_factory=dict)
    trusted_suppressions: tuple[str, ...] = ()  # translation globs where a `safety` suppression counts

    @property
    def targets(self) -> tuple[str, ...]:
        """Translation languages: every site language except the source."""
        return tuple(lang.code for lang in self.languages if lang.code != self.source_lang)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    def policy(self, code: str) -> LanguagePolicy:
        return self.policies.get(code, LanguagePolicy())

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the project root when possible.

        Paths built from the settings' own folders are already absolute, so a string
        prefix test avoids a resolve() (a syscall per component) on every file.
        """
        text = str(path)
        root = str(self.root)
        if text.startswith(root + os.sep):
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return text
