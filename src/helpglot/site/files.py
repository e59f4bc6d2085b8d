"""Which files a language's build adds to MkDocs' collection, and where they really live.

mkdocs-static-i18n understands suffix files (``x.es.md`` beside ``x.md``); helpglot keeps
translations under ``translations/<lang>/``. The adapter offers each published translation
(and each localized asset) to i18n under its suffix name and reads it from its real path.
Deciding which, and what to tell the team about the rest, needs no MkDocs: this module
returns plain names and messages; :mod:`helpglot.site.plugin` makes the ``File`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from helpglot.errors import HelpglotError
from helpglot.settings import Settings
from helpglot.site.crosslang import Translation
from helpglot.tracking import assets


@dataclass
class Offer:
    """What to add for one language: suffix name -> real path, and what to say about the rest."""

    files: dict[str, str] = field(default_factory=dict)
    #: ("warning" | "info", text) in the order they arose; "info" is the publish_machine policy
    #: at work, not a fault: said once, and never failing a --strict build
    messages: list[tuple[str, str]] = field(default_factory=list)


def offer(settings: Settings, translations: Iterable[Translation], current: str, single_lang: str | None,
          exists: Callable[[str], bool]) -> Offer:
    """The translations and localized assets of language ``current``. ``exists(src_uri)``
    says whether MkDocs already collected a file of that name under docs/."""
    out = Offer()
    awaiting: dict[str, list[str]] = {}
    # only the language being built: i18n turns every file into one per language (x.es.md
    # for every other language too), and which other languages have a page comes from
    # crosslang (see the plugin's _versions), so their translations would only cost time here
    for tfile in translations:  # (crosslang.select decided which are published)
        if tfile.why is not None:
            if single_lang not in (None, tfile.lang):
                continue  # each language's process reports its own
            if tfile.awaiting_review:
                awaiting.setdefault(tfile.lang, []).append(settings.rel(tfile.path))
            elif tfile.withheld:  # the deploy's QA at work: said, never failing --strict
                out.messages.append(("info", tfile.why))
            else:
                out.messages.append(("warning", tfile.why))
            continue
        if tfile.lang != current:
            continue
        stem, _dot, suffix = tfile.rel.rpartition(".")
        src_uri = f"{stem}.{tfile.lang}.{suffix}"
        if exists(src_uri):
            raise HelpglotError(
                f"{settings.rel(settings.docs_dir / src_uri)} and {settings.rel(tfile.path)} "
                "are both the same translation: keep translations in "
                f"{settings.rel(settings.translations_dir)}/ only."
            )
        out.files[src_uri] = str(tfile.path)
    for lang, paths in awaiting.items():
        out.messages.append(("info",
            f"{lang}: {len(paths)} translation(s) have no reviewed block yet and are shown in English "
            f"until review (plugins.helpglot.languages.{lang}.publish_machine: false): "
            f"{', '.join(paths[:3])}{', ...' if len(paths) > 3 else ''}; `helpglot queue --lang {lang}` "
            "lists them"))
    for asset in assets.local_assets(settings):  # localized screenshots: same path, other file
        if asset.lang != current:
            continue
        if not exists(asset.rel):
            out.messages.append(("warning",
                f"{settings.rel(asset.path)}: there is no {settings.rel(settings.docs_dir / asset.rel)} "
                "for it to replace, so it is not published. Give it the English file's path."))
            continue
        out.files[asset.suffixed] = str(asset.path)
    return out
