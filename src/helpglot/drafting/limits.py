"""Blocks an engine cannot take in one request are refused by name, never sent.

DeepL takes at most 128 KiB per request; one paragraph larger than that (a
pasted log, a table flattened into one line) used to end ``translate`` with a
``ValueError``. Such a block is not sent: it gets an error that names it (the
sync report adds the file, block number and line), the rest of the file is
drafted, and the block is left for a person.
"""

from __future__ import annotations

from typing import Any


def fit(tasks: list[Any], engine: Any, context: str | None = None) -> list[Any]:
    """The tasks that fit in one request on their own; the others get ``task.error`` set."""
    measure = getattr(engine, "request_bytes", None)
    limit = engine.max_bytes
    kept = []
    for task in tasks:
        text = task.protected.text
        size = measure([text], context) if measure is not None else len(text.encode("utf-8"))
        if size > limit:
            task.error = (f"it is {size / 1024:.0f} KiB, more than {engine.name} takes in one request "
                          f"({limit // 1024} KiB); split it into shorter paragraphs in the source")
        else:
            kept.append(task)
    return kept
