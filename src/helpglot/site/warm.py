"""Work every language's build would repeat, done once before ``helpglot build`` forks.

MkDocs lists every file of the theme's template folders at the start of each build (to find
its static files): for Material that is thousands of files (its icons), walked again by each
of the six language workers and, in ``helpglot serve``, on every save. An installed theme does
not change while helpglot runs, so its listing is made once here, in the parent, and the
forked workers inherit it. The listing itself is Jinja's, unchanged: same names, same order.
"""

from __future__ import annotations

import copy
import os
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
#: from (a long-lived worker builds the same languages again and again: :mod:`helpglot.site.langworker`)
_I18N_FILES: dict[tuple, Any] = {}


def i18n_files() -> None:
    """Keep static-i18n's per-language copy of each file (``create_i18n_file``: a new ``File`` with
    its URL, destination and locale worked out, 1,900 of them per language build at 300 articles)
    by everything it reads: the file's source path, destination, URI and inclusion, the languages
    and the config's folders and URL style. Each call gets its own shallow copy (its own
    attributes, its own ``alternates``), so what a build does to its files never reaches the next."""
    import inspect

    from mkdocs_static_i18n import suffix

    original = suffix.create_i18n_file
    if getattr(original, "_helpglot_kept", False):
        return
    if list(inspect.signature(original).parameters) != ["file", "current_language", "default_language",
                                                         "all_languages", "config"]:
        return  # another static-i18n: not kept

    def create(file: Any, current_language: str, default_language: str, all_languages: list, config: Any) -> Any:
        key = (file.src_path, file.dest_path, file.dest_uri, file.inclusion, current_language, default_language,
               tuple(all_languages), config.docs_dir, config.site_dir, config.use_directory_urls)
        made = _I18N_FILES.get(key)
        if made is None:
            made = _I18N_FILES[key] = original(file, current_language, default_language, all_languages, config)
            made = _I18N_FILES[key] = copy.copy(made)  # the kept one is never handed out
        new = copy.copy(made)
        new.alternates = {current_language: new}
        return new

    create._helpglot_kept = True  # type: ignore[attr-defined]
    suffix.create_i18n_file = create
