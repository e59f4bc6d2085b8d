"""The search index's postings, and how a long-lived worker patches them page by page.

Why: ``helpglot serve`` builds a language again at every save, and adding every section's
postings again (190,000 at 1,000 articles) and sorting every key's list was most of the index
step, although a save changes one page.

A page's postings are a pure function of what :class:`helpglot.site.searchindex._Builder` adds
for it: the list of its *calls*, each a section's code and the flat ``[key, weight, ...]`` its
texts give. So each build records every page's calls (the flat lists are the memo's own objects,
so recording costs a list of pairs), and a build whose pages are as many as the last one's
compares them: a page whose calls equal the last build's adds the same postings, and only the
others are taken out of their keys and added again. Codes in a key's list are in page order,
a page's codes are ``page * 256 + section``, and a page's weights are summed from its own calls
only, in the same order as a full build sums them: the patched lists are the full build's, byte
for byte (``tests/test_searchpostings.py`` and ``tests/test_langworker.py`` compare them).

Only a long-lived worker's incremental build keeps the last build
(:func:`helpglot.site.searchmemo.kept`); a full build always adds everything.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import neg
from pathlib import Path

MAX_POSTINGS = 100
#: more changed pages than this share of the language's: adding everything is as quick
PATCH_SHARE = 0.125


class Postings:
    """One key's postings as two flat arrays (12 bytes a posting, where a dict of boxed ints and
    floats took about ten times that: at 10,000 articles the postings were most of a language
    worker's memory after its pages). Sections are added in page order and each page's in
    section order, so a key's codes never decrease: a code met again is the last one."""

    __slots__ = ("codes", "weights", "pages", "last_page")

    def __init__(self) -> None:
        self.codes = array("l")
        self.weights = array("d")
        self.pages = 0
        self.last_page = -1

    def add(self, code: int, page: int, weight: float) -> None:
        if self.codes and self.codes[-1] == code:
            self.weights[-1] += weight
            return
        if self.codes and code < self.codes[-1]:
            raise ValueError(f"search index: postings out of order ({code} after {self.codes[-1]})")
        self.codes.append(code)
        self.weights.append(0.0 + weight)
        if page != self.last_page:
            self.pages, self.last_page = self.pages + 1, page

    def replace_page(self, page: int, new: Postings | None) -> None:
        """Put ``new`` (one page's postings) where this key's postings of ``page`` were."""
        start = bisect_left(self.codes, page * 256)
        end = bisect_left(self.codes, (page + 1) * 256, start)
        if end > start:
            self.pages -= 1
        if new is None or not new.codes:
            del self.codes[start:end]
            del self.weights[start:end]
            return
        self.codes[start:end] = new.codes
        self.weights[start:end] = new.weights
        self.pages += 1


Calls = list[tuple[int, list]]  # one page's: (code, [key, weight, key, weight, ...]) in the order added


def post(postings: dict[str, Postings], page: int, calls: Calls) -> None:
    """Add one page's calls to ``postings`` (what a full build does for every page)."""
    for code, weights in calls:
        for i in range(0, len(weights), 2):
            key = weights[i]
            found = postings.get(key)
            if found is None:
                found = postings[key] = Postings()
            found.add(code, page, weights[i + 1])


def entry(found: Postings) -> list:
    """A key's index value: ``[pages, code, weight, ...]``, its :data:`MAX_POSTINGS` best."""
    # (the heaviest first, then by code: sorted as (-weight, code) tuples, with no key function
    # called per posting; -(-w) is w exactly)
    best = sorted(zip(map(neg, found.weights), found.codes, strict=True))[:MAX_POSTINGS]
    flat: list = [found.pages]
    for weight, code in best:
        flat += [code, int(round(-weight))]
    return flat


def patched_entry(found: Postings, old: list | None, page: int, new: Postings | None) -> list:
    """:func:`entry` of a key after :meth:`Postings.replace_page` put ``new`` for ``page``, without
    sorting its whole list when it can be avoided: if none of the last best postings was the page's,
    they are still the best of the rest, so the best of them and the page's new postings are the
    best of all (a common word has thousands of postings, and sorting them was the patch's cost)."""
    if old is None or len(old) < 1 + 2 * MAX_POSTINGS or len(found.codes) <= MAX_POSTINGS:
        return entry(found)
    low, high = page * 256, (page + 1) * 256
    codes = old[1::2]
    if any(low <= code < high for code in codes):
        return entry(found)
    weight = found.weights
    best = [(-weight[bisect_left(found.codes, code)], code) for code in codes]
    if new is not None:
        best += zip(map(neg, new.weights), new.codes, strict=True)
    flat: list = [found.pages]
    for value, code in sorted(best)[:MAX_POSTINGS]:
        flat += [code, int(round(-value))]
    return flat


@dataclass
class Kept:
    """One language's last build, as a long-lived worker keeps it for the next."""

    calls: list[Calls]
    postings: dict[str, Postings]
    entries: dict[str, list]  # every key's :func:`entry`, before the buckets are cut
    sizes: dict[str, tuple[list, int]] = field(default_factory=dict)  # key -> (value, its JSON size)
    written: dict[str, tuple[object, bytes]] = field(default_factory=dict)  # file -> (value, its bytes)


def settle(calls: list[Calls], live: dict | None) -> tuple[dict[str, list], int | None]:
    """Every key's entry from the pages' calls; with ``live`` (this process's place for the last
    build, or None), patched from the last build's when few pages changed. Returns the entries
    and how many pages were added again (None: all of them). The last build is taken out of
    ``live`` while it is patched: a build that fails midway leaves none behind."""
    last: Kept | None = live.pop("kept", None) if live is not None else None
    changed: list[int] | None = None
    if last is not None and len(last.calls) == len(calls):
        changed = [page for page, (now, then) in enumerate(zip(calls, last.calls, strict=True)) if now != then]
        if len(changed) > max(1, PATCH_SHARE * len(calls)):
            changed = None
    if last is None or changed is None:
        postings: dict[str, Postings] = {}
        for page, page_calls in enumerate(calls):
            post(postings, page, page_calls)
        entries = {key: entry(found) for key, found in postings.items()}
        if live is not None:
            live["kept"] = Kept(calls, postings, entries, last.sizes if last else {}, last.written if last else {})
        return entries, None
    postings, entries = last.postings, last.entries
    for page in changed:
        mine: dict[str, Postings] = {}
        post(mine, page, calls[page])
        touched = {weights[i] for _code, weights in last.calls[page] for i in range(0, len(weights), 2)}
        touched.update(mine)
        for key in touched:
            found = postings.get(key)
            if found is None:
                found = postings[key] = Postings()
            found.replace_page(page, mine.get(key))
            if found.codes:
                entries[key] = patched_entry(found, entries.get(key), page, mine.get(key))
            else:
                del postings[key]
                entries.pop(key, None)
    last.calls = calls
    if live is not None:
        live["kept"] = last
    return entries, len(changed)


def sizes(entries: dict[str, list], kept: Kept | None) -> dict[str, int]:
    """Each key's size in a shard (its JSON); a key whose value equals the last build's has its size."""
    found = kept.sizes if kept is not None else None
    out: dict[str, int] = {}
    for key, value in entries.items():
        last = found.get(key) if found is not None else None
        if last is not None and last[0] == value:
            out[key] = last[1]
            continue
        out[key] = len(json.dumps({key: value}, ensure_ascii=False))
        if found is not None:
            found[key] = (value, out[key])
    if found is not None and len(found) > 2 * len(out):  # (keys gone: forget them now and then)
        for key in found.keys() - out.keys():
            del found[key]
    return out


def encoded(target: Path, value: object, kept: Kept | None) -> bytes:
    """A shard's or fragment's bytes; the last build's when the value is equal."""
    name = str(target)
    last = kept.written.get(name) if kept is not None else None
    if last is not None and last[0] == value:
        return last[1]
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if kept is not None:
        kept.written[name] = (value, data)
    return data
