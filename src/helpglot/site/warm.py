"""Work every language's build would repeat, done once before ``helpglot build`` forks.

MkDocs lists every file of the theme's template folders at the start of each build (to find
its static files): for Material that is thousands of files (its icons), walked again by each
of the six language workers and, in ``helpglot serve``, on every save. An installed theme does
not change while helpglot runs, so its listing is made once here, in the parent, and the
forked workers inherit it. The listing itself is Jinja's, unchanged: same names, same order.
"""

from __future__ import annotations

import os

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
