"""What every page of one language's build depends on besides its own files: the build's
global key, and the plain-data form of the values pages show of each other.

An incremental build (:mod:`helpglot.site.incremental`) reuses a page only when every input
that made it is the same as last time. The inputs shared by all pages of a language (the
config, templates, theme, package versions, the glossary, the list of files, today's date)
go into one global key: when any of them changes, every page of that language is rebuilt.
Whatever cannot be tracked (a plugin, hook or Markdown extension helpglot does not know,
which may read any file) turns the incremental build off, and :func:`untracked` says why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from helpglot.terms import bilingual

#: bump when what a key covers changes: every previous state is then ignored
FORMAT = "helpglot-incremental-1"

#: plugins whose effect on a page helpglot knows (the incremental plugin itself is not in config)
KNOWN_PLUGINS = frozenset({"search", "material/search", "i18n", "helpglot"})

#: Markdown extensions (and options) that read files other than the page: not tracked
_READS_FILES = re.compile(r"snippets|include|macros|auto_append|base_path", re.I)

_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "Markdown", "pymdown-extensions", "Pygments",
             "Jinja2", "MarkupSafe", "PyYAML", "Babel", "helpglot")

_HELPGLOT_PACKAGE = Path(__file__).resolve().parent.parent


def digest(*parts: Any) -> str:
    """A stable short hash of plain data (lists, dicts, strings, numbers, dates)."""
    text = json.dumps(parts, sort_keys=False, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _plain(value: Any) -> Any:
    """How a config value goes into a key: mappings and sequences by content, anything else by
    type and text (a text with a memory address changes every run, which only costs a full build)."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, (tuple, list)):
        return list(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return f"{type(value).__name__}:{value}"


def files_hash(paths: Iterable[Path]) -> str:
    """Names and bytes of every file under the given folders (or the files themselves)."""
    h = hashlib.sha256()
    for root in paths:
        if root.is_file():
            found = [root]
        elif root.is_dir():
            found = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            found = []
        for path in found:
            h.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:32]


def _versions() -> dict[str, str]:
    found = {}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    found["dictionaries"] = bilingual.fingerprint()  # search renders English-only titles with them
    return found


def untracked(config: Any) -> str | None:
    """Why this build cannot be incremental, or None: an input helpglot cannot track."""
    for name in config.plugins:
        if name not in KNOWN_PLUGINS and not name.startswith("helpglot-incremental"):
            return f"the plugin or hook '{name}' may read anything; helpglot cannot tell which pages it changes"
    for ext in config.markdown_extensions:
        options = (config.mdx_configs or {}).get(ext) or {}
        if _READS_FILES.search(str(ext)) or any(_READS_FILES.search(str(k)) for k in options):
            return f"the Markdown extension '{ext}' reads other files, which helpglot does not track"
    return None


_CONFIG_KEYS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
                "edit_uri", "edit_uri_template", "use_directory_urls", "extra", "extra_css", "extra_javascript",
                "extra_templates", "markdown_extensions", "mdx_configs", "nav", "validation", "not_in_nav",
                "exclude_docs", "draft_docs", "docs_dir", "remote_branch", "remote_name", "dev_addr", "watch")


def global_key(config: Any, files: Iterable[Any], lang: str, glossary_dir: Path, extra: Iterable[Path] = ()) -> str:
    """Everything every page of ``lang`` depends on: change any of it and the whole language is rebuilt."""
    from mkdocs.utils import get_build_date

    config_file = Path(config.config_file_path) if config.config_file_path else None
    sources = [config_file] if config_file else []
    if config_file is not None and config_file.is_file():
        text = config_file.read_text(encoding="utf-8", errors="replace")
        for parent in re.findall(r"^INHERIT:\s*(\S+)", text, re.M):
            sources.append(config_file.parent / parent.strip("'\""))
        env = {name: os.environ.get(name) for name in re.findall(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", text)}
    else:
        env = {}
    theme = config.theme
    view = {key: config.get(key) for key in _CONFIG_KEYS}
    plugins = {name: dict(plugin.config) for name, plugin in config.plugins.items()
               if not name.startswith("helpglot-incremental")}
    custom = [Path(theme.custom_dir)] if theme.custom_dir else []
    file_list = [(f.src_uri, f.dest_uri, f.url, f.abs_src_path) for f in files]
    return digest(FORMAT, lang, view, dict(theme.items()), list(theme.dirs), theme.name, plugins, env,
                  files_hash(sources + custom + [_HELPGLOT_PACKAGE, glossary_dir, *extra]), _versions(),
                  file_list, get_build_date(), dt.date.today().isoformat())


# -- page values as plain data, and back ------------------------------------------------------

class NotPlain(ValueError):
    """A value (page meta) that does not survive JSON: such a page is never reused."""


def to_plain(value: Any) -> Any:
    """Front-matter values as JSON, dates tagged so they come back as dates."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        if any(not isinstance(k, str) or k.startswith("$") for k in value):
            raise NotPlain(repr(list(value)))
        return {k: to_plain(v) for k, v in value.items()}
    raise NotPlain(type(value).__name__)


def from_plain(value: Any) -> Any:
    if isinstance(value, list):
        return [from_plain(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if len(value) == 1 and "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        return {k: from_plain(v) for k, v in value.items()}
    return value
