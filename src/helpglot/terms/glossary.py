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
      - en: sign in
        search_only: true  # what readers type, not a rule for translators (see below)
        translations: {ru: {preferred: войти, admitted: [вход]}}
      - en: two-factor authentication
        synonyms: [2FA, two-step verification]   # what readers type; search only
        translations: {ru: {preferred: двухфакторная аутентификация, synonyms: [2FA]}}

Validation names file and line for: a missing or empty source value, a
duplicate term (also across files), a ``dnt`` term with translations, a
language the site does not have, an empty ``preferred``, ``admitted`` or
``deprecated`` that is not a list of non-empty strings, a rendering both
deprecated and preferred/admitted, and unknown keys (a typo such as
``translation:`` would otherwise silently drop every rendering).

A ``search_only`` term is not a translation rule: engines, exports and ``helpglot
check`` ignore it. Site search uses it (like every term) to lead a reader's words to
the English-only articles that use the English term: a verb such as "sign in"
inflects too much to be checked ("войдите", "входа", Turkish "oturum açamıyorum"),
but a Russian reader typing "не могу войти" should still find "I cannot sign in".

``synonyms`` (on the term, in the source language; under a language, in that language) are
the other words readers type for the term: search treats a page that says the term or any of
its renderings as saying them too (2FA finds "two-factor authentication", in every language
the term is rendered in). Engines, exports and checks ignore them.

This module loads and validates the file and gives each language pair its
entries (preferred renderings; ``dnt`` terms map to themselves) with a version
hash of their content, so engines re-sync a glossary only when it changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

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
    search_only: bool = False  # only for site search: no engine, export or check uses it
    #: words readers type for the term (search only): in the source language, and per language
    synonyms: tuple[str, ...] = ()
    reader_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load(settings: Settings) -> list[Term]:
    """Every term of every glossary file, validated; errors name file and line."""
    terms: list[Term] = []
    seen: dict[str, str] = {}
    folder = settings.glossary_dir
    if not folder.is_dir():
        return terms
    for path in sorted(folder.glob("*.y*ml")):
        terms += parse_text(read_glossary(path, settings.rel(path)), settings.rel(path), settings, seen)
    return terms


def read_glossary(path: Path, shown: str) -> str:
    """A glossary file's text; unreadable or not UTF-8 is a clear error naming the line, not a traceback."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"{shown}: cannot read the glossary ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(f"{shown}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the glossary as UTF-8") \
            from None


def parse_text(text: str, shown: str, settings: Settings, seen: dict[str, str] | None = None) -> list[Term]:
    """The terms of one glossary file's text (``seen`` carries duplicates across files).

    Separate from :func:`load` so ``helpglot glossary import`` can validate the file it is about
    to write before it replaces the old one."""
    seen = {} if seen is None else seen
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ContentError(f"{shown}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not data or (isinstance(data, dict) and set(data) == {"terms"} and data["terms"] is None):
        return []  # an empty file, or "terms:" with no entries yet
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ContentError(f"{shown}:1: expected a top-level 'terms:' list")
    items = next(v for k, v in node.value if k.value == "terms").value
    return [_validate(item, _Lines(shown, item_node), settings, seen)
            for item, item_node in zip(data["terms"], items, strict=True)]


def term_from_dict(item: object, shown: str, line: int, settings: Settings,
                   seen: dict[str, str] | None = None) -> Term:
    """Validate one term given in the YAML shape (importers build these from TBX or CSV rows);
    every error points at ``shown:line``, the row or element it came from."""
    return _validate(item, _Lines(shown, None, line), settings, {} if seen is None else seen)


def as_dict(term: Term, source_lang: str) -> dict:
    """A term in the YAML shape, the inverse of :func:`term_from_dict` (short forms where possible)."""
    item: dict = {source_lang: term.source}
    if term.note:
        item["note"] = term.note
    if term.dnt:
        item["dnt"] = True
    if term.search_only:
        item["search_only"] = True
    if term.synonyms:
        item["synonyms"] = list(term.synonyms)
    translations: dict = {}
    for lang, preferred in term.preferred.items():
        admitted, deprecated = term.admitted.get(lang, ()), term.deprecated.get(lang, ())
        said = term.reader_words.get(lang, ())
        if not admitted and not deprecated and not said:
            translations[lang] = preferred
            continue
        value: dict = {"preferred": preferred}
        if admitted:
            value["admitted"] = list(admitted)
        if deprecated:
            value["deprecated"] = list(deprecated)
        if said:
            value["synonyms"] = list(said)
        translations[lang] = value
    if translations:
        item["translations"] = translations
    return item


_PLAIN = re.compile(r"[^\s\-?:#,\[\]{}&*!|>'\"%@`][^:#,\[\]{}\n]*")


def _scalar(value: object) -> str:
    """A YAML scalar safe in block and flow context: plain when it reads back the same, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    text = _scalar(value)
    try:  # a plain scalar that ends in "?" reads differently inside {...} and [...]
        if isinstance(value, str) and yaml.safe_load(f"[{text}]") != [value]:
            return json.dumps(value, ensure_ascii=False)
    except yaml.YAMLError:
        return json.dumps(value, ensure_ascii=False)
    return text


def to_yaml(item: dict, indent: int = 2) -> str:
    """One ``- en: ...`` entry of the terms list, in the style of the sample term base: translations
    on one flow line when every rendering is a plain string, one line per language otherwise."""
    pad = " " * indent
    lines: list[str] = []
    for k, (key, value) in enumerate(item.items()):
        lead = f"{pad}- " if k == 0 else f"{pad}  "
        if key != "translations":
            lines.append(f"{lead}{_scalar(key)}: {_flow(value) if isinstance(value, list) else _scalar(value)}")
        elif all(isinstance(v, str) for v in value.values()):
            lines.append(f"{lead}translations: {_flow(value)}")
        else:
            lines.append(f"{lead}translations:")
            lines += [f"{pad}    {_scalar(lang)}: {_flow(v)}" for lang, v in value.items()]
    return "\n".join(lines) + "\n"


class _Lines:
    """File:line of a term and of the keys inside it, for messages that point at the value."""

    def __init__(self, shown: str, node: yaml.Node | None, line: int = 1) -> None:
        self.shown = shown
        self.node = node
        self._line = line

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else self._line

    def at(self, *keys: str) -> str:
        if self.node is None:
            return f"{self.shown}:{self._line}"
        node = self.node
        for wanted in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            found = next((v for k, v in node.value if str(k.value) == wanted), None)
            if found is None:
                break
            node = found
        return f"{self.shown}:{node.start_mark.line + 1}"


def _term(item: object, shown: str, line: int, settings: Settings, seen: dict[str, str]) -> Term:
    """The old private entry point (``helpglot.qa.runner`` calls it); prefer :func:`parse_text`."""
    return _validate(item, _Lines(shown, None, line), settings, seen)


_TERM_KEYS = frozenset({"note", "dnt", "search_only", "translations", "synonyms"})
_LANG_KEYS = frozenset({"preferred", "admitted", "deprecated", "synonyms"})


def _validate(item: object, where_: _Lines, settings: Settings, seen: dict[str, str]) -> Term:
    where = f"{where_.shown}:{where_.line}"
    src = settings.source_lang
    if not isinstance(item, dict) or not isinstance(item.get(src), str) or not str(item.get(src)).strip():
        raise ContentError(f"{where}: each term needs a non-empty '{src}' text (quote numbers: {src}: \"365\")")
    _visible(item, where)
    source = str(item[src]).strip()
    unknown = sorted(str(k) for k in item if k != src and k not in _TERM_KEYS)
    if unknown:
        raise ContentError(f"{where_.at(unknown[0])}: '{source}': unknown key '{unknown[0]}' "
                           f"(a term has '{src}', 'note', 'dnt', 'search_only', 'synonyms', 'translations')")
    key = source.casefold()
    if key in seen:
        raise ContentError(f"{where}: duplicate term '{source}' (first defined at {seen[key]}); merge them")
    seen[key] = where
    if not isinstance(item.get("dnt", False), bool):
        raise ContentError(f"{where_.at('dnt')}: '{source}': 'dnt' must be true or false")
    dnt = bool(item.get("dnt", False))
    if not isinstance(item.get("search_only", False), bool):
        raise ContentError(f"{where_.at('search_only')}: '{source}': 'search_only' must be true or false")
    search_only = bool(item.get("search_only", False))
    if search_only and (dnt or not item.get("translations")):
        raise ContentError(f"{where}: '{source}' is search_only but has no translations to search by"
                           + (" (and is dnt)" if dnt else "") + "; give the words readers type per language")
    note = item.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise ContentError(f"{where_.at('note')}: '{source}': 'note' must be non-empty text (or left out)")
    translations = item.get("translations") or {}
    if dnt and translations:
        raise ContentError(f"{where}: '{source}' is marked dnt (do not translate) but has translations; "
                           "remove one or the other")
    if not isinstance(translations, dict):
        raise ContentError(f"{where_.at('translations')}: 'translations' must map language codes to renderings")
    preferred: dict[str, str] = {}
    admitted: dict[str, tuple[str, ...]] = {}
    deprecated: dict[str, tuple[str, ...]] = {}
    reader_words: dict[str, tuple[str, ...]] = {}
    synonyms = item.get("synonyms") or []
    if not isinstance(synonyms, list) or not all(isinstance(v, str) and v.strip() for v in synonyms):
        raise ContentError(f"{where_.at('synonyms')}: '{source}': 'synonyms' must be a list of non-empty words, "
                           "e.g. [2FA, two-step verification]")
    for lang, value in translations.items():
        at = where_.at("translations", str(lang))
        if lang not in settings.targets:
            raise ContentError(f"{at}: '{source}' has a translation for '{lang}', which is not a "
                               f"translation language of this site ({', '.join(settings.targets)})")
        if isinstance(value, str):
            value = {"preferred": value}
        if not isinstance(value, dict) or not isinstance(value.get("preferred"), str) \
                or not value["preferred"].strip():
            raise ContentError(f"{at}: '{source}' → {lang}: empty or missing 'preferred' rendering")
        extra = sorted(str(k) for k in value if k not in _LANG_KEYS)
        if extra:
            raise ContentError(f"{at}: '{source}' → {lang}: unknown key '{extra[0]}' "
                               "(use 'preferred', 'admitted', 'deprecated', 'synonyms')")
        preferred[lang] = value["preferred"].strip()
        lists = {}
        for kind in ("admitted", "deprecated", "synonyms"):
            raw = value.get(kind)
            if raw is None:
                lists[kind] = ()
                continue
            if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
                raise ContentError(f"{where_.at('translations', str(lang), kind)}: '{source}' → {lang}: "
                                   f"'{kind}' must be a list of non-empty renderings, e.g. [{kind[:3]}1, ...]")
            lists[kind] = tuple(v.strip() for v in raw)
        clash = {preferred[lang], *lists["admitted"]} & set(lists["deprecated"])
        if clash:
            raise ContentError(f"{at}: '{source}' → {lang}: '{sorted(clash)[0]}' is both deprecated and "
                               "preferred or admitted; keep one")
        admitted[lang] = lists["admitted"]
        deprecated[lang] = lists["deprecated"]
        if lists["synonyms"]:
            reader_words[lang] = lists["synonyms"]
    return Term(source, dnt, preferred, admitted, deprecated, note.strip() if note else None,
                where_.shown, where_.line, search_only, tuple(v.strip() for v in synonyms), reader_words)


def _visible(item: dict, where: str) -> None:
    """A zero-width or bidi control character in a term silently disables its check: refuse it."""
    from helpglot.markdown.chars import invisible

    def walk(value: object) -> None:
        if isinstance(value, str):
            names = invisible(value)
            if names:
                raise ContentError(f"{where}: {value!r} contains the invisible character {names[0]}; "
                                   "delete it (retype the term)")
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(item)


def rules(terms: list[Term] | tuple[Term, ...]) -> list[Term]:
    """The terms that are translation rules (engines, exports, checks): all but ``search_only``."""
    return [term for term in terms if not term.search_only]


@dataclass(frozen=True)
class GlossaryPair:
    """Glossary entries for one language pair, and a version hash of their content."""

    source: str
    target: str
    entries: tuple[tuple[str, str], ...]
    version: str


def pair(terms: list[Term], source: str, target: str) -> GlossaryPair | None:
    """Entries for one language pair, or None when the glossary has none."""
    entries = []
    for term in rules(terms):
        if term.dnt:
            entries.append((term.source, term.source))
        elif target in term.preferred:
            entries.append((term.source, term.preferred[target]))
    if not entries:
        return None
    entries.sort(key=lambda e: e[0].casefold())
    digest = hashlib.sha256(repr((source, target, entries)).encode("utf-8")).hexdigest()[:12]
    return GlossaryPair(source=source, target=target, entries=tuple(entries), version=digest)
