"""How a language's chunked index is cut into shards (:mod:`helpglot.site.searchindex`): which
shard a key lives in, and how much of a shard one query prefix may take. The worker
(``helpglot-search.js``) repeats :func:`fnv1a` and :func:`bucket` to find a word's shard."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from helpglot.fsutil import atomic_write_bytes
from helpglot.site import searchtext

#: a term shard's size: the index is cut into as many shards as its keys fill at this size. A query
#: word fetches its bucket's shard, and the other buckets the hash put there come with it: at 8,000
#: bytes they were half of a typed question's shard bytes. 4,000 (measured on the three query sets
#: at 300 and 1,000 articles x 8 languages, the worker run in Node typing every letter): the median
#: typed first search 15-22% smaller (1,000 x 8, `heldout2`: 104 -> 81 KB), every rank the same (which
#: keys a list keeps is decided by :data:`BUCKET_BYTES` and :data:`CROWDED_BYTES`, not by this), for
#: twice the files (449 shards a language at 1,000 articles; 2,000 bytes: 72 KB, 897 files)
SHARD_BYTES = 4_000
BUCKET_BYTES = 16_000  # at most this much of a shard is one query prefix's keys
CROWDED_BYTES = 16_000  # a three-letter prefix holding more gets a bucket per four letters
MIN_POSTINGS = 30  # a crowded bucket cuts its lists no shorter than this
SHORT = "\u0000"  # the bucket of every word shorter than three letters (no word begins with this)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (the worker computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def bucket(key: str, split: frozenset[str] = frozenset()) -> str:
    """Keys starting with the same three letters share a shard; four for a crowded prefix. Words of
    one or two letters (and their exact spellings and stop-word marks) all share :data:`SHORT`:
    a reader typing "no puedo" asks for "n", "no", "p", "pu" before "pue", and each was a shard of
    its own (8 KB) holding nothing else, since no completion can be found from two letters; now
    they are one shard, fetched once per query. Chinese and Japanese bigrams keep their own."""
    body = key[1:] if key[:1] in "=~-!^" else key
    word = body.split("|", 1)[0]  # ("=mi|mí": the exact spelling of "mi" lives where "mi" does)
    if len(word) < 3 and not searchtext.is_cjk(word):
        return SHORT
    return body[:4] if body[:3] in split else body[:3]


def shard_of(key: str, split: frozenset[str], shards: int) -> int | str:
    """The shard file a key is in (``t/<n>.json``): by its bucket's hash; the short words' bucket
    has a file of its own, ``t/s.json``, so the one shard every typed query starts with holds
    nothing else (the worker's ``shardOf`` is the same function)."""
    found = bucket(key, split)
    return "s" if found == SHORT else fnv1a(found) % shards


def crowded(sizes: dict[str, int]) -> frozenset[str]:
    """Three-letter prefixes holding more than :data:`CROWDED_BYTES` ("con", "par" in Spanish):
    they get a bucket per four letters, or their shard would grow with the help center."""
    per_prefix: dict[str, int] = defaultdict(int)
    for key, size in sizes.items():
        per_prefix[bucket(key)] += size
    return frozenset(prefix for prefix, size in per_prefix.items() if size > CROWDED_BYTES and prefix != SHORT)


def fit_buckets(entries: dict[str, list], sizes: dict[str, int],
                split: frozenset[str]) -> tuple[dict[str, list], dict[str, int]]:
    """Keep every bucket (the keys a query's first letters lead to) within
    :data:`BUCKET_BYTES`, so the bytes of a first search stop growing with the help center.

    Past a thousand articles the common words of a crowded prefix ("negalite", "galite" in
    Lithuanian) each reach :data:`MAX_POSTINGS`, and their bucket kept growing with the
    vocabulary. Postings are stored best first, so a long list is cut from its tail: what
    remains are the pages where the word is in a title or said most. ``df`` (the first
    number) stays the true page count, so the word's weight in ranking does not change.
    """
    per_bucket: dict[str, list[str]] = defaultdict(list)
    for key in entries:
        if key[:1] not in "-!^":  # (typo lists are short and must stay whole; "!" marks a stop word)
            per_bucket[bucket(key, split)].append(key)
    for keys in per_bucket.values():
        size = sum(sizes[key] for key in keys)
        if size <= BUCKET_BYTES:
            continue
        longest = max(len(entries[key]) for key in keys) // 2
        keep = max(MIN_POSTINGS, int(longest * BUCKET_BYTES / size))
        for key in keys:
            postings = entries[key]
            if (len(postings) - 1) // 2 > keep:
                entries[key] = postings[: 1 + 2 * keep]
                sizes[key] = len(json.dumps({key: entries[key]}, ensure_ascii=False))
    return entries, sizes


def write_file(path: Path, data: bytes) -> None:
    """A shard or fragment: a new file (the usual case: a build's part starts empty) is created and
    written directly, without the temporary file and rename an existing one is replaced by (a reader
    may be looking at that one). Thousands per language: the rename and temporary name add up."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        atomic_write_bytes(path, data, durable=False)
        return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
