"""The ``checks:`` block of the plugin settings, validated: a project's conventions for
``helpglot check`` (localized link prefixes, severities, exclusions).

Next to the checks because the check ids it accepts are theirs; ``safety`` can be neither
turned down nor excluded (:data:`UNSWITCHABLE`): nothing in ``mkdocs.yml``, which a branch can
edit, lets a script or an off-site link into a translation.
"""

from __future__ import annotations

from typing import Any

from helpglot.errors import ConfigError
from helpglot.qa.checks import known_ids
from helpglot.settings import CheckConventions

UNSWITCHABLE = frozenset({"safety"})


def check_conventions(raw: Any) -> CheckConventions:
    """``checks:`` validated: known check ids, known severities, ``{lang}`` in every link prefix."""
    where = "mkdocs.yml: plugins.helpglot.checks"
    ids = known_ids()
    links = []
    for k, prefix in enumerate(raw.localized_links or []):
        if not isinstance(prefix, str) or "{lang}" not in prefix:
            raise ConfigError(f"{where}.localized_links[{k}]: {prefix!r} must be a string with {{lang}} where the "
                              "language goes, e.g. '/{lang}/' or 'https://example.com/{lang}/'.")
        links.append(prefix)
    severity: dict[str, str] = {}
    for check, level in (raw.severity or {}).items():
        if check not in ids:
            raise ConfigError(f"{where}.severity.{check}: no such check; the checks are {', '.join(sorted(ids))}.")
        level = "off" if level is False else level
        if level not in ("error", "warning", "off"):
            raise ConfigError(f"{where}.severity.{check}: {level!r} is not error, warning or off.")
        if check in UNSWITCHABLE and level != "error":
            raise ConfigError(f"{where}.severity.{check}: '{check}' cannot be turned down ({level!r}): a script or "
                              "an off-site link in a translation is never a translation choice. Remove this line.")
        severity[check] = level
    exclude = []
    for glob, checks in (raw.exclude or {}).items():
        names = [checks] if isinstance(checks, str) else checks
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{where}.exclude.{glob}: give a check id, a list of them, or 'all'.")
        if any(n in UNSWITCHABLE for n in names):
            raise ConfigError(f"{where}.exclude.{glob}: '{', '.join(n for n in names if n in UNSWITCHABLE)}' cannot "
                              "be excluded (it keeps scripts and off-site links out of translations); remove it "
                              "('all' excludes every other check).")
        unknown = [n for n in names if n != "all" and n not in ids]
        if unknown:
            raise ConfigError(f"{where}.exclude.{glob}: no such check {', '.join(unknown)}; the checks are "
                              f"{', '.join(sorted(ids))} (or 'all').")
        exclude.append((str(glob), frozenset(names)))
    return CheckConventions(tuple(links), raw.code_comments, tuple(x.lower() for x in raw.translated_fences),
                            severity, tuple(exclude), code_strings=raw.code_strings, key_names=raw.key_names,
                            glossary_missing=raw.glossary_missing,
                            front_matter_own=tuple(str(k) for k in raw.front_matter_own))
