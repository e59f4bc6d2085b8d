"""Compiled templates kept for the process, so each language's build does not compile them again.

MkDocs makes a new Jinja environment for every build, and mkdocs-static-i18n builds every
language again in the same process: each of the six builds parsed and compiled Material's and
helpglot's fifty templates anew (about a tenth of a small site's build). Jinja's own
bytecode cache keeps the compiled code instead, under the template's name and file, and
checks a SHA-1 of its source before it uses it: an edited template (``mkdocs serve``, a
``custom_dir``) is compiled again, never served stale. What else the code depends on is the
environment's syntax and compiler settings, so they are part of the key (:func:`_settings`);
an environment whose settings cannot be told apart (a callable ``autoescape``) is not cached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache


def _settings(env: jinja2.Environment) -> str | None:
    """Everything of ``env`` that compiled code depends on, or None when that cannot be said."""
    if callable(env.autoescape) or callable(env.finalize):
        return None
    return repr((
        jinja2.__version__, type(env).__module__, type(env).__qualname__, env.block_start_string,
        env.block_end_string, env.variable_start_string, env.variable_end_string, env.comment_start_string,
        env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions),
        env.optimized, env.autoescape, env.finalize, env.is_async, getattr(env, "newstyle_gettext", None),
        env.code_generator_class.__module__, env.code_generator_class.__qualname__))


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, in memory, keyed by template name, file and environment settings."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        settings = _settings(environment)
        key = hashlib.sha256(f"{settings}\0{name}\0{filename}".encode("utf-8", "surrogateescape")).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        if settings is not None:
            self.load_bytecode(bucket)
        else:
            bucket.key = ""  # (dump_bytecode keeps nothing under it)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # (Jinja resets the bucket when the source's checksum differs)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key:
            self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


class DiskBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder (an incremental build's workers keep compiled templates
    between builds), keyed like :class:`MemoryBytecodeCache` by the environment's settings too:
    Jinja's own key is the template's name and file only, so code compiled by an environment
    with other extensions or syntax (``helpglot build``'s parent, another plugin's) is never
    loaded where it would not have been compiled the same."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        settings = _settings(environment)
        key = "" if settings is None else hashlib.sha256(
            f"{settings}\0{name}\0{filename}".encode("utf-8", "surrogateescape")).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        if key:
            self.load_bytecode(bucket)
        return bucket

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key:
            super().dump_bytecode(bucket)


CACHE = MemoryBytecodeCache()
#: the templates each compiled one extends, includes and imports by name, by its cache key and
#: source checksum (:func:`warm` of a process that warmed before, e.g. ``helpglot serve``'s)
_REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {}


def install(env: Any) -> None:
    """Let ``env`` (a build's theme environment) use the process's compiled templates."""
    if isinstance(env, jinja2.Environment) and env.bytecode_cache is None:
        env.bytecode_cache = CACHE


def warm(config: Any, cache: BytecodeCache | None = None) -> int:
    """Compile, before ``helpglot build`` forks its workers, the templates each language's build
    renders (its page templates and 404 page, the theme's static templates, and what they extend,
    include and import by name), so the workers inherit them instead of each compiling them.
    ``cache``: where the workers will look for them: an incremental build's workers use the
    compiled templates kept on disk (:func:`helpglot.site.incremental.bytecode_folder`), so they
    are compiled there, and only those not already there; else this process's memory.
    The environment is the one MkDocs makes for a build (with helpglot's templates where
    :func:`helpglot.site.theme.install` puts them); a template named only at render time is
    compiled by the worker, as before. Returns how many templates were compiled; never fails
    (the worker meets and reports whatever is wrong)."""
    from jinja2 import meta

    from helpglot.site.theme import TEMPLATES

    try:
        theme = config.theme
        dirs = list(theme.dirs)
        if str(TEMPLATES) not in dirs:
            dirs.insert(1 if theme.custom_dir else 0, str(TEMPLATES))
        before, theme.dirs = theme.dirs, dirs
        try:
            env = theme.get_env()
        finally:
            theme.dirs = before
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            i18n.on_env(env, config, None)  # (as in the build: it adds Jinja's loop controls)
        cache = cache if cache is not None else CACHE
        env.bytecode_cache = cache
        names = ["main.html", "404.html", *theme.static_templates]
        for folder in dirs[: dirs.index(str(TEMPLATES)) + 1]:  # page templates: the user's and helpglot's
            names += sorted(p.name for p in Path(folder).glob("*.html"))
        seen: set[str] = set()
        compiled = 0
        while names:
            name = names.pop(0)
            if name in seen:
                continue
            seen.add(name)
            try:
                source, filename, _uptodate = env.loader.get_source(env, name)
            except jinja2.TemplateNotFound:
                continue
            bucket = cache.get_bucket(env, name, filename, source)
            refs = _REFERENCES.get((bucket.key, bucket.checksum)) if bucket.code is not None else None
            if refs is None:  # (parsing was most of a warm-up that found everything compiled)
                try:
                    tree = env.parse(source, name, filename)
                except jinja2.TemplateSyntaxError:
                    continue
                refs = _REFERENCES[(bucket.key, bucket.checksum)] = tuple(
                    ref for ref in meta.find_referenced_templates(tree) if isinstance(ref, str))
                if bucket.code is None and bucket.key:
                    bucket.code = env.compile(tree, name, filename)
                    cache.set_bucket(bucket)
                    compiled += 1
            names += refs
        return compiled
    except Exception:  # noqa: BLE001 - only a head start: the workers compile what is missing
        return 0
