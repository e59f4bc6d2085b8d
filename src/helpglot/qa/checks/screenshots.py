"""``screenshots`` (warning): a translated article that still shows English
screenshots, or whose image alt text is still the English one.

Instructions that say "Haz clic en Invitar usuario" next to a picture of an
"Invite user" button confuse readers, and screen-reader users hear the English
alt text. A language's own screenshot lives at the English file's path under
``translations/<lang>/`` (see :mod:`helpglot.tracking.assets`); this check names the
file to add. Alt text is compared with the source's alt for the same image.
"""

from __future__ import annotations

from collections.abc import Iterator

from helpglot.qa.checks import short
from helpglot.qa.checks.base import WARNING, Finding, Pair
from helpglot.tracking.assets import images

MIN_WORDS = 3  # "Stripe logo" may stay as it is


class ScreenshotsCheck:
    id = "screenshots"
    name = "English screenshots and alt text"
    severity = WARNING
    description = "An image with no translations/<lang>/ version, or alt text identical to the English."

    def run(self, pair: Pair) -> Iterator[Finding]:
        settings = pair.settings
        rel = pair.extra.get("source_rel") or pair.source_path
        source_alt = {target: alt for alt, target, _line in images(pair.source.text, rel)}
        warned: set[str] = set()
        for alt, target, line in images(pair.translation.text, rel):
            english = settings.docs_dir / target
            local = settings.translations_dir / pair.lang / target
            if english.is_file() and not local.is_file() and target not in warned:
                warned.add(target)
                yield Finding(self.id, self.severity, pair.path, line,
                              f"shows the English screenshot {settings.rel(english)}; add the {pair.lang} "
                              f"version as {settings.rel(local)} (same name, the {pair.lang} interface)")
            original = source_alt.get(target)
            if (original and len(original.split()) >= MIN_WORDS
                    and " ".join(alt.split()).casefold() == " ".join(original.split()).casefold()):
                yield Finding(self.id, self.severity, pair.path, line,
                              f"the alt text of {target} is still in English ('{short(alt)}'); translate it "
                              "for screen-reader users")
