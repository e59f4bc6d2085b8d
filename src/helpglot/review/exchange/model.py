"""What an exchange file says once read: the languages and, per unit, the way back to a block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpglot.errors import HelpglotError

UNIT_ID = re.compile(r"^b([1-9]\d{0,6})$")
HASH = re.compile(r"\b(?:source hash|source-hash)\W+([0-9a-f]{12})\b")


class ExchangeError(HelpglotError):
    """An exchange file that cannot be imported: the message names file and unit; nothing is written."""


@dataclass(frozen=True)
class Incoming:
    """One unit of an imported file."""

    rel: str  # the article (relative to docs/)
    block: int  # 1-based
    source_hash: str  # the English the unit was made for
    text: str | None  # the target: an engine fragment (codes "xml") or PO text (codes "braces"); None: empty
    final: bool  # a final state: the translator (or agency) approved it
    where: str  # "FILE: unit b3 of ARTICLE", for messages
    codes: str = "xml"


@dataclass(frozen=True)
class ExchangeFile:
    fmt: str  # xliff-1.2 | xliff-2.1 | po
    source_lang: str | None
    target_lang: str | None
    units: tuple[Incoming, ...]
    reviewer: str | None = None  # named by the file (PO Last-Translator, XLIFF 1.2 review phase)


def block_of(unit_id: str | None, where: str) -> int:
    match = UNIT_ID.match(unit_id or "")
    if match is None:
        raise ExchangeError(f"{where}: unit id {unit_id!r} is not one helpglot exported (b<block number>); "
                            "import only files exported by `helpglot export` and translated in a CAT tool; "
                            "nothing was changed")
    return int(match.group(1))
