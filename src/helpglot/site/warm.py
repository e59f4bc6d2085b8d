"""Work every language's build would repeat, done once before ``helpglot build`` forks.

MkDocs lists every file of the theme's template folders at the start of each build (to find
its static files): for Material that is thousands of files (its icons), walked again by each
of the six language workers and, in ``helpglot serve``, on every save. An installed theme does
not change while helpglot runs, so its listing is made once here, in the parent, and the
forked workers inherit it. The listing itself is Jinja's, unchanged: same names, same order.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_MEMO: dict[tuple[str, bool], frozenset[str]] = {}
_INSTALLED: list[str] = []


def _walk(searchpath: str, followlinks: bool) -> frozenset[str]:
    """What ``jinja2.FileSystemLoader.list_templates`` finds in one folder."""
    found = set()
    for dirpath, _dirs, filenames in os.walk(searchpath, followlinks=followlinks):
        for filename in filenames:
            template = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep).replace(os.path.sep, "/")
            if template[:2] == "./":
                template = template[2:]
            found.add(template)
    return frozenset(found)


def _list_templates(self) -> list[str]:  # noqa: ANN001 - a FileSystemLoader
    found: set[str] = set()
    for searchpath in self.searchpath:
        if any(searchpath == root or searchpath.startswith(root + os.sep) for root in _INSTALLED):
            key = (searchpath, self.followlinks)
            if key not in _MEMO:
                _MEMO[key] = _walk(searchpath, self.followlinks)
            found.update(_MEMO[key])
        else:  # the user's custom_dir, helpglot's own templates: walked every time
            found.update(_walk(searchpath, self.followlinks))
    return sorted(found)


def theme_listing() -> None:
    """Keep the listing of installed themes' folders (Material's) for this process and its children."""
    import jinja2
    import material

    root = os.path.dirname(os.path.abspath(material.__file__))
    if root not in _INSTALLED:
        _INSTALLED.append(root)
    if jinja2.FileSystemLoader.list_templates is not _list_templates:
        jinja2.FileSystemLoader.list_templates = _list_templates  # type: ignore[method-assign]
    jinja2.FileSystemLoader([os.path.join(root, "templates")]).list_templates()


#: static-i18n's copies of the site's files for one language build, by everything they are made
#: from but the output folder (a language's worker builds into its own: the one path made from it
#: is set on each copy)
_I18N_FILES: dict[tuple, Any] = {}


def i18n_files() -> None:
    """Keep static-i18n's per-language copy of each file (``create_i18n_file``: a new ``File`` with
    its URL, destination and locale worked out; 11,000 of them per language build at 1,000 articles,
    a quarter of an incremental build's worker) by everything it reads: the file's source path,
    destination, URI and inclusion, the languages, the docs folder and URL style. The absolute
    destination, the only thing made from the output folder, is set on each copy as static-i18n
    sets it. Each call gets its own shallow copy (its own attributes, its own ``alternates``), so
    what a build does to its files never reaches the next. A long-lived worker
    (:mod:`helpglot.site.langworker`) keeps them between builds; ``helpglot build`` makes them once
    in the parent (:func:`prime_i18n_files`) for the workers it forks."""
    import inspect

    from mkdocs_static_i18n import suffix

    original = suffix.create_i18n_file
    if getattr(original, "_helpglot_kept", False):
        return
    if list(inspect.signature(original).parameters) != ["file", "current_language", "default_language",
                                                         "all_languages", "config"]:
        return  # another static-i18n: not kept

    def create(file: Any, current_language: str, default_language: str, all_languages: list, config: Any) -> Any:
        key = _key(file, current_language, default_language, all_languages, config.docs_dir,
                   config.use_directory_urls)
        made = _I18N_FILES.get(key)
        if made is None:
            made = _I18N_FILES[key] = original(file, current_language, default_language, all_languages, config)
            made = _I18N_FILES[key] = copy.copy(made)  # the kept one is never handed out
        new = object.__new__(type(made))  # copy.copy's result without its generic protocol
        new.__dict__.update(made.__dict__)
        new.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, new.dest_path))
        new.alternates = {current_language: new}
        return new

    create._helpglot_kept = True  # type: ignore[attr-defined]
    create.original = original  # type: ignore[attr-defined]
    suffix.create_i18n_file = create


def _key(file: Any, current_language: str, default_language: str, all_languages: list, docs_dir: str,
         use_directory_urls: bool) -> tuple:
    return (file.src_path, file.dest_path, file.dest_uri, file.inclusion, current_language, default_language,
            tuple(all_languages), docs_dir, use_directory_urls)


def prime_i18n_files(config: Any, offered: Callable[[str, Callable[[str], bool]], Iterable[str]] | None = None,
                     keep: Path | None = None) -> int:
    """Make static-i18n's copy of every file of the docs folder in every language it builds, once,
    before ``helpglot build`` forks its language workers: each worker makes the copies for its own
    language and for every other one (a page's alternates), so without this the six workers make
    the same 11,000 copies six times. ``offered(lang, exists)`` names the files helpglot's plugin
    adds in that language's build (its translations: :func:`helpglot.site.files.offer`). A copy a
    worker needs and does not find here is made as before. ``keep``: a JSON file with the copies
    the last build made (what each is made from and what it holds), read first and written again
    when the files changed, so a build after an edit makes only the new ones. Returns how many
    copies are kept."""
    from mkdocs.structure.files import File, get_files

    from helpglot.config import find_i18n

    i18n_files()
    from mkdocs_static_i18n import suffix

    i18n = find_i18n(config)  # (suffix structure: helpglot's config checks)
    if not getattr(suffix.create_i18n_file, "_helpglot_kept", False):
        return 0
    read = _read(keep) if keep is not None else set()
    default, every = i18n.default_language, i18n.all_languages
    docs_dir, use_directory_urls = config.docs_dir, config.use_directory_urls
    files = get_files(config)
    known = {file.src_uri for file in files}
    wanted = set()
    for lang in i18n.build_languages:
        for file in [*files, *(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
                               for src_uri in (offered(lang, known.__contains__) if offered is not None else ()))]:
            key = _key(file, lang, default, every, docs_dir, use_directory_urls)
            if key not in _I18N_FILES:
                suffix.create_i18n_file(file, lang, default, every, config)
            wanted.add(key)
    if keep is not None and wanted != read:
        _write(keep, wanted)
    return len(wanted)


def _stamp() -> str:
    from importlib import metadata

    return "\0".join(["1"] + [metadata.version(name) for name in ("mkdocs", "mkdocs-static-i18n")])


def _read(path: Path) -> set[tuple]:
    """Put the kept copies of ``path`` in the memo; the keys read. Anything unexpected: none."""
    from mkdocs.structure.files import File, InclusionLevel

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("stamp") != _stamp():
            return set()
        read = {}
        for key, attrs in data["files"]:
            key = (*key[:3], InclusionLevel[key[3]], key[4], key[5], tuple(key[6]), *key[7:])
            made = object.__new__(File)
            made.__dict__.update(attrs)
            made.inclusion = InclusionLevel[attrs["inclusion"]]
            made.alternates = {}
            read[key] = made
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return set()
    for key, made in read.items():
        _I18N_FILES.setdefault(key, made)
    return set(read)


def _write(path: Path, keys: set[tuple]) -> None:
    """Only copies whose every value is a string, a boolean or None (and the inclusion level) are
    written, so what is read back is exactly what was made."""
    from helpglot.fsutil import atomic_write_text

    rows = []
    for key in sorted(keys, key=repr):
        attrs = {name: (None if name == "alternates" else value.name if name == "inclusion" else value)
                 for name, value in _I18N_FILES[key].__dict__.items()}
        if not all(value is None or isinstance(value, (str, bool)) for value in attrs.values()):
            return
        rows.append([[*key[:3], key[3].name, key[4], key[5], list(key[6]), *key[7:]], attrs])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps({"stamp": _stamp(), "files": rows}, ensure_ascii=False,
                                           separators=(",", ":")), durable=False)
    except OSError:
        pass  # only a head start for the next build
