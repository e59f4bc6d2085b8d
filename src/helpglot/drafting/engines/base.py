"""The one small interface every engine implements.

An engine receives a batch of *protected* segments (inline markup already
replaced by XML tags, see :mod:`helpglot.markdown.inline`) and returns the same number
of translated segments, tags kept. It says which language pairs it supports
and what a number of characters costs. Caching, batching limits, glossary
preparation and markup restoration live outside the engines, so each engine
stays a thin adapter over its API or program.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from helpglot.errors import HelpglotError
from helpglot.terms.glossary import GlossaryPair  # noqa: F401 (engines take it in EngineOptions)


class EngineError(HelpglotError):
    """An engine stopped: the message says what happened and what the user can do.

    ``retryable`` tells whether a rerun may succeed (rate limit, outage) or needs
    the user first (key rejected, quota used up).
    """

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class EngineOptions:
    """Settings an engine may use; unknown engines ignore what they do not need."""

    root: str = "."
    server_url: str | None = None
    price_per_million: float | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One batch to translate."""

    texts: tuple[str, ...]  # protected segments (XML-tagged)
    source: str
    target: str
    context: str | None = None  # e.g. the article title
    formality: str | None = None
    glossary: GlossaryPair | None = None


@runtime_checkable
class Engine(Protocol):
    name: str
    #: limits of one request
    max_texts: int
    max_bytes: int

    def supports(self, source: str, target: str) -> bool:
        """Can this engine translate from ``source`` to ``target``?"""

    def translate(self, request: Request) -> list[str]:
        """Translate a batch; same number of segments out as in, tags kept."""

    def cost(self, chars: int) -> float:
        """Estimated price in the engine's currency for ``chars`` billable characters."""
