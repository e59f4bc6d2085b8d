"""The term base in ``glossary/*.yml``, as the translation engines need it.

Shape (one or several files)::

    terms:
      - en: bank feed
        note: the automatic import of bank transactions
        translations:
          es: conexión bancaria
          lt: {preferred: banko sąsaja, admitted: [sąsaja], deprecated: [banko srautas]}
      - en: Tallybird
        dnt: true        # do not translate: must appear verbatim

This module loads and validates the file and gives each language pair its
entries (preferred renderings; ``dnt`` terms map to themselves) with a version
hash of their content, so engines re-sync a glossary only when it changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import yaml

from helpglot.engines.base import GlossaryPair
from helpglot.errors import ContentError
from helpglot.settings import Settings


@dataclass(frozen=True)
class Term:
    source: str
    dnt: bool
    preferred: dict[str, str]
    admitted: dict[str, tuple[str, ...]]
    deprecated: dict[str, tuple[str, ...]]
    note: str | None
    path: str
    line: int


def load(settings: Settings) -> list[Term]:
    """Every term of every glossary file, validated; errors name file and line."""
    terms: list[Term] = []
    seen: dict[str, str] = {}
    folder = settings.glossary_dir
    if not folder.is_dir():
        return terms
    for path in sorted(folder.glob("*.y*ml")):
        shown = settings.rel(path)
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"))
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise ContentError(f"{shown}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
        if not data:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
            raise ContentError(f"{shown}:1: expected a top-level 'terms:' list")
        term_nodes = dict(node.value)
        items = next(v for k, v in term_nodes.items() if k.value == "terms").value
        lines = [item.start_mark.line + 1 for item in items]
        for item, line in zip(data["terms"], lines, strict=True):
            terms.append(_term(item, shown, line, settings, seen))
    return terms


def _term(item: object, shown: str, line: int, settings: Settings, seen: dict[str, str]) -> Term:
    where = f"{shown}:{line}"
    if not isinstance(item, dict) or not str(item.get(settings.source_lang) or "").strip():
        raise ContentError(f"{where}: each term needs a non-empty '{settings.source_lang}' value")
    source = str(item[settings.source_lang]).strip()
    key = source.casefold()
    if key in seen:
        raise ContentError(f"{where}: duplicate term '{source}' (first defined at {seen[key]}); merge them")
    seen[key] = where
    dnt = bool(item.get("dnt", False))
    translations = item.get("translations") or {}
    if dnt and translations:
        raise ContentError(f"{where}: '{source}' is marked dnt (do not translate) but has translations; "
                           "remove one or the other")
    if not isinstance(translations, dict):
        raise ContentError(f"{where}: 'translations' must map language codes to renderings")
    preferred: dict[str, str] = {}
    admitted: dict[str, tuple[str, ...]] = {}
    deprecated: dict[str, tuple[str, ...]] = {}
    for lang, value in translations.items():
        if lang not in settings.targets:
            raise ContentError(f"{where}: '{source}' has a translation for '{lang}', which is not a "
                               f"translation language of this site ({', '.join(settings.targets)})")
        if isinstance(value, str):
            value = {"preferred": value}
        if not isinstance(value, dict) or not str(value.get("preferred") or "").strip():
            raise ContentError(f"{where}: '{source}' → {lang}: empty or missing 'preferred' rendering")
        preferred[lang] = str(value["preferred"]).strip()
        admitted[lang] = tuple(str(v) for v in value.get("admitted") or ())
        deprecated[lang] = tuple(str(v) for v in value.get("deprecated") or ())
    return Term(source, dnt, preferred, admitted, deprecated, item.get("note"), shown, line)


def pair(terms: list[Term], source: str, target: str) -> GlossaryPair | None:
    """Entries for one language pair, or None when the glossary has none."""
    entries = []
    for term in terms:
        if term.dnt:
            entries.append((term.source, term.source))
        elif target in term.preferred:
            entries.append((term.source, term.preferred[target]))
    if not entries:
        return None
    entries.sort(key=lambda e: e[0].casefold())
    digest = hashlib.sha256(repr((source, target, entries)).encode("utf-8")).hexdigest()[:12]
    return GlossaryPair(source=source, target=target, entries=tuple(entries), version=digest)
