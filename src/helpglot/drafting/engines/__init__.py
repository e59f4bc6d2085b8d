"""Translation engines, registered through the ``helpglot.engines`` entry point.

Built-ins (deepl, apertium, pseudo) are registered the same way in
pyproject.toml, so a third-party engine is a package with one entry point.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from helpglot.drafting.engines.base import Engine, EngineError, EngineOptions
from helpglot.errors import ConfigError

GROUP = "helpglot.engines"


def available() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def require_installed(name: str) -> object:
    """The entry point of engine ``name``; an unknown name lists the installed ones. Commands call
    this before they lock, cache or fetch anything, so a typo changes nothing."""
    found = available()
    if name not in found:
        raise ConfigError(
            f"engine '{name}' is not installed (available: {', '.join(sorted(found)) or 'none'}); "
            "check plugins.helpglot engine settings or --engine"
        )
    return found[name]


def load(name: str, options: EngineOptions) -> Engine:
    """Instantiate engine ``name``; an unknown name lists the installed ones."""
    factory = require_installed(name).load()  # type: ignore[attr-defined]
    return factory(options)


__all__ = ["Engine", "EngineError", "EngineOptions", "available", "load", "require_installed"]
