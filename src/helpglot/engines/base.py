"""Compatibility: ``helpglot.engines.base`` is :mod:`helpglot.drafting.engines.base`."""

from helpglot.drafting.engines.base import *  # noqa: F403
from helpglot.drafting.engines.base import Engine, EngineError, EngineOptions, GlossaryPair, Request  # noqa: F401
