"""Render each inactive navigation item once per build, not once per page.

With Material, every page renders the navigation around it: at 1,000 articles,
even with ``navigation.prune``, a page lists its category's hundred articles and
every other category, so about a third of a language's build went into
re-rendering the same ``<li>`` items thousands of times. An item that is not
on the way to the current page (not ``active``) renders the same HTML on every
page except for its link, which the ``url`` filter makes relative to the page.
So the HTML is kept per (item, path, level) and reused whenever the page
gives the same relative link. Active items, the current page (with its table
of contents) and whole unpruned sections are always rendered afresh.

``partials/nav-item.html`` (Material 9.x's, with the ``render`` macro wrapped)
calls :class:`NavMemo`; the plugin gives each build a fresh one (``on_env``), so
one language's titles and badges never leak into another's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.utils import normalize_url


class _Slot:
    """One lookup: ``html`` is the kept HTML, or None until :meth:`keep` stores it."""

    __slots__ = ("_memo", "_key", "html")

    def __init__(self, memo: NavMemo, key: tuple, html: str | None) -> None:
        self._memo, self._key, self.html = memo, key, html

    def keep(self, html: str) -> str:
        self._memo._store[self._key] = html
        return html


class NavMemo:
    def __init__(self) -> None:
        self._store: dict[tuple, str] = {}
        self._items: list[Any] = []  # keeps the items alive, so their id() is not reused
        self._known: set[int] = set()
        self.hits = 0

    def __call__(self, nav_item: Any, path: str, level: int, parent: Any, page: Any, features: Any) -> _Slot | None:
        if page is None or nav_item is page or getattr(nav_item, "active", True):
            return None
        if getattr(nav_item, "pages", None):  # Material's blog views: may stand for the page
            return None
        children = getattr(nav_item, "children", None)
        features = features or ()
        if children:
            if "navigation.prune" not in features or _is_section(level, parent, features):
                return None  # renders its whole subtree: not worth a key per page
            target = _first_leaf(nav_item)
        else:
            target = nav_item
        url = getattr(target, "url", None)
        if url is None:
            return None
        if id(nav_item) not in self._known:
            self._known.add(id(nav_item))
            self._items.append(nav_item)
        key = (id(nav_item), path, level, normalize_url(str(url), page=page))
        html = self._store.get(key)
        if html is not None:
            self.hits += 1
        return _Slot(self, key, html)


    def children(self, nav_item: Any, index: Any, path: str, level: int, page: Any, features: Any,
                 render: Callable[..., str]) -> str:
        """A section's items (Material's loop in ``nav-item.html``, less its index page), each
        from the memo or rendered by the ``_render`` macro. At a hundred articles a category,
        a macro call per item was most of what remained of the navigation's cost."""
        out = []
        for number, item in enumerate(nav_item.children or (), start=1):
            if index is not None and item == index:
                continue
            item_path = f"{path}_{number}"
            slot = self(item, item_path, level + 1, nav_item, page, features)
            if slot is None:
                out.append(str(render(item, item_path, level + 1, nav_item)))
            elif slot.html is not None:
                out.append(slot.html)
            else:
                out.append(slot.keep(str(render(item, item_path, level + 1, nav_item))))
        return "\n".join(out)


def _is_section(level: int, parent: Any, features: Any) -> bool:
    """Material's rule for an inactive item shown as an expanded section (nav-item.html)."""
    if "navigation.tabs" in features:
        return "navigation.sections" in features and level == 2 and bool(getattr(parent, "active", False))
    return "navigation.sections" in features and level == 1


def _first_leaf(nav_item: Any) -> Any:
    """Where a pruned section links to: its first page, as Material's ``render_pruned`` finds it."""
    first = next(iter(nav_item.children or ()), None)
    while first is not None and getattr(first, "children", None):
        first = next(iter(first.children), None)
    return first
