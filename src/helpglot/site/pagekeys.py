"""The two keys of a page in an incremental build, and what is kept of a page between builds.

:func:`input_key` covers what reading and rendering the page's Markdown uses; :func:`render_keys`
adds what the theme shows of other pages around it (see :mod:`helpglot.site.incremental`).
What the theme may show of another page is taken as its URL, title, whole meta and whether it
is the home or a section index: nothing narrower, so a template that reads another meta key
is still covered.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpglot.settings import Settings
from helpglot.site import buildkey, crosslang, furniture


@dataclass(frozen=True)
class CrossFacts:
    """Per (article, language): the freshness record and the publish decision; the git dates."""

    records: dict
    translations: dict
    source_dates: dict

    @classmethod
    def of(cls, site: Any, settings: Settings) -> CrossFacts:
        return cls(dict(site.records), {(t.rel, t.lang): t for t in site.translations}, dict(site.source_dates))


def _read_hash(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _file_hash(path: str | Path | None) -> str:
    """The file's SHA-256, from the build's file facts when its stat did not change."""
    if not path:
        return ""
    facts = crosslang.file_facts()
    if facts is None:
        return _read_hash(path)
    return facts.get("sha256", path, None, lambda: _read_hash(path))


def prehash(settings: Settings, save: bool = True) -> None:
    """Every Markdown file's hash, in the parent before it forks the workers (which find them in
    memory), read only for the files whose stat changed; kept for the next build (``save=False``:
    by ``helpglot serve``'s warm process, after the build: :mod:`helpglot.site.warmstate`)."""
    facts = crosslang.file_facts()
    if facts is None:
        return
    for root in (settings.docs_dir, settings.translations_dir):
        for folder, _dirs, names in os.walk(root):
            for name in names:
                if name.endswith((".md", ".markdown")):
                    _file_hash(os.path.join(folder, name))
    if save:
        facts.save()


def input_key(global_key: str, file: Any, lang: str, settings: Settings, facts: CrossFacts) -> str:
    """Everything reading and rendering this page's Markdown depends on."""
    key = getattr(file, "norm_src_uri", file.src_uri)
    source = _file_hash(settings.docs_dir / key) if lang != settings.source_lang else ""
    decisions = [repr(facts.translations.get((key, code))) for code in settings.codes]
    return buildkey.digest(global_key, file.src_uri, key, file.dest_uri, file.url, str(file.abs_src_path),
                           getattr(file, "locale", None), _file_hash(file.abs_src_path), source,
                           repr(facts.records.get((key, lang))), decisions, facts.source_dates.get(key))


def summary(page: Any) -> str:
    """What another page's templates may show of this one."""
    try:
        meta = buildkey.to_plain(dict(page.meta or {}))
    except buildkey.NotPlain:
        meta = uuid.uuid4().hex  # cannot be compared: whatever shows it is always rendered
    return buildkey.digest(page.url, page.title, meta, bool(page.is_index), bool(page.is_homepage),
                           page.canonical_url, page.edit_url)


def _item(item: Any, pages: dict[int, str]) -> Any:
    if getattr(item, "is_page", False):
        return pages.get(id(item)) or summary(item)
    if getattr(item, "is_section", False):
        return ["S", item.title, [_item(child, pages) for child in item.children or ()]]
    return ["L", getattr(item, "title", None), getattr(item, "url", None)]


def _first_leaf(item: Any) -> Any:
    while getattr(item, "children", None):
        item = item.children[0]
    return item


def _tab(item: Any, pages: dict[int, str]) -> Any:
    if not getattr(item, "is_section", False):
        return _item(item, pages)
    first = _first_leaf(item)
    indexes = [_item(c, pages) for c in item.children or () if getattr(c, "is_page", False) and c.is_index]
    return ["S", item.title, _item(first, pages), indexes]


def _top(page: Any) -> Any:
    item = page.parent
    while item is not None and item.parent is not None:
        item = item.parent
    return item


def render_keys(doc_files: list, nav: Any, config: Any, input_keys: dict[str, str]) -> dict[str, str]:
    """Each page's input key plus the summaries of every page its templates can show."""
    pages = {id(f.page): summary(f.page) for f in doc_files}
    features = config.theme.get("features") or []
    prune = "navigation.prune" in features
    whole = buildkey.digest([_item(item, pages) for item in nav.items])
    tabs = buildkey.digest([_tab(item, pages) for item in nav.items]) if prune else ""
    in_nav = {id(p) for p in nav.pages}
    # every page's search box lists the help center's first five articles (main.html, "popular")
    popular = buildkey.digest([pages.get(id(p)) for p in
                               [p for p in nav.pages if not p.is_homepage and not p.is_index][:5]])
    categories: dict[int, str] = {}
    related_pool: dict[int, int] = {}
    for item in nav.items:
        if getattr(item, "is_section", False):
            categories[id(item)] = buildkey.digest(_item(item, pages))
    for other in nav.pages:
        top = _top(other)
        if top is not None and not (other.is_homepage or other.is_index):
            related_pool[id(top)] = related_pool.get(id(top), 0) + 1
    keys = {}
    for file in doc_files:
        page = file.page
        top = _top(page)
        narrow = (prune and top is not None and id(page) in in_nav and not page.is_homepage
                  and related_pool.get(id(top), 0) > furniture.RELATED_MAX)
        scope = [tabs, categories.get(id(top))] if narrow else [whole]
        neighbours = [pages.get(id(p)) if p is not None else None for p in (page.previous_page, page.next_page)]
        keys[file.src_uri] = buildkey.digest(input_keys[file.src_uri], scope, neighbours, popular,
                                             [getattr(a, "title", None) for a in page.ancestors])
    return keys


def page_entry(page: Any, fallback: bool) -> dict | None:
    """What the next build needs of a page it does not read: None if it cannot be kept."""
    try:
        meta = buildkey.to_plain(dict(page.meta or {}))
    except buildkey.NotPlain:
        return None
    anchors = page.present_anchor_ids
    links = {f.src_uri: dict(a) for f, a in (page.links_to_anchors or {}).items()}
    return {"title": page.title, "meta": meta, "anchors": sorted(anchors) if anchors is not None else None,
            "links": links, "fallback": fallback}


def restore_page(page: Any, entry: dict, files: Any) -> None:
    """A page that is not read this build, as the previous build read it."""
    page.title = entry.get("title")
    page.meta = buildkey.from_plain(entry.get("meta") or {})
    anchors = entry.get("anchors")
    page.present_anchor_ids = set(anchors) if anchors is not None else None
    links = {}
    for uri, found in (entry.get("links") or {}).items():
        target = files.get_file_from_path(uri)
        if target is not None:
            links[target] = dict(found)
    page.links_to_anchors = links
