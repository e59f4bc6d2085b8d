"""A language's own reader strings: ``translations/<lang>/.helpglot-strings.yml``.

helpglot ships its notices, badges and search words (``messages.yml``) for a few languages.
For any other language a site declares, ``helpglot translate`` drafts them into this file,
one entry per key, with the same provenance an article block has: the English it translates,
its state (``machine`` until a person approves it, ``reviewed`` after, ``material`` for Material
for MkDocs' own human translation), and a short hash of what the engine wrote, so a
translator's edit is recognised as human work even before it is approved. The file sits in
the language's folder, so CODEOWNERS routes it to that language's translators and the PR
shows it like an article.

The texts are untrusted input like every translation: a text that carries HTML's special
characters (``< > & "``) or loses a ``{placeholder}`` of its English is refused, with the
file and line, because templates put these strings into pages verbatim.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from helpglot import messages
from helpglot.errors import HelpglotError

FILE_NAME = ".helpglot-strings.yml"
STATES = ("machine", "reviewed", "material")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
UNSAFE = re.compile(r'[<>&"]')
_FIELDS = ("text", "status", "en", "drafted", "engine", "reviewer", "reviewed", "new_en", "draft")


class StringsError(HelpglotError):
    """A reader-strings file that cannot be used; the message names the file and line."""


def path_for(translations_dir: Path, lang: str) -> Path:
    return translations_dir / lang / FILE_NAME


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    """One reader string in one language, with where it came from."""

    text: str
    status: str  # machine | reviewed | material
    en: str  # the English this text translates
    drafted: str | None = None  # digest of the engine's text (machine only): an edit no longer matches it
    engine: str | None = None
    reviewer: str | None = None
    reviewed: str | None = None  # ISO date
    new_en: str | None = None  # stale: the English now
    draft: str | None = None  # stale: a fresh machine draft of new_en, for the reviewer

    @property
    def edited(self) -> bool:
        """A person changed the engine's text: human work, never redrafted."""
        return self.status == "machine" and self.drafted is not None and self.drafted != digest(self.text)

    @property
    def machine(self) -> bool:
        """Shown to readers as an unreviewed machine translation."""
        return self.status == "machine" and not self.edited

    def approved(self, reviewer: str, date: str) -> Entry:
        en = self.new_en or self.en
        return Entry(self.text, "reviewed", en, engine=self.engine, reviewer=reviewer, reviewed=date)

    def as_yaml(self) -> dict:
        return {name: getattr(self, name) for name in _FIELDS if getattr(self, name) is not None}


def problem(key: str, english: str, text: str) -> str | None:
    """Why ``text`` cannot stand for ``english`` on a page (None: it can)."""
    if not text.strip():
        return "is empty"
    bad = UNSAFE.search(text)
    if bad:
        return (f"contains '{bad.group()}', which HTML reads as markup; write the text without it "
                "(typographic quotes “ ” or the language's own are fine)")
    if key == "date_format":
        return None
    want, got = sorted(PLACEHOLDER.findall(english)), sorted(PLACEHOLDER.findall(text))
    if want != got:
        lost = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        what = "; ".join(filter(None, [lost and f"lost {', '.join('{' + p + '}' for p in lost)}",
                                       extra and f"has {', '.join('{' + p + '}' for p in extra)} "
                                       "the English does not have"]))
        return f"{what or 'repeats a placeholder'}; keep each placeholder of the English ('{english}') exactly once"
    return None


def _scalar(node: yaml.Node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        raise StringsError(f"{where}: must be text")
    return str(node.value)


def load(path: Path, shown: str, strict: bool = True) -> dict[str, Entry]:
    """The entries of one file (empty when there is none), checked; :class:`StringsError` names
    ``shown`` (the file as the user knows it) and the line. ``strict=False`` skips keys helpglot
    does not have (a key a newer or older helpglot dropped must not stop a build or a redraft,
    which leaves it out of the file it writes); ``helpglot check`` and ``approve`` name them."""
    if not path.is_file():
        return {}
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StringsError(f"{shown}:1: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    return parse(raw, shown, strict)


def parse(raw: str, shown: str, strict: bool = True) -> dict[str, Entry]:
    """The entries of a strings file's text, checked (see :func:`load`)."""
    try:
        root = yaml.compose(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise StringsError(f"{shown}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                           "fix the line or delete the file and run `helpglot translate` again") from None
    if root is None:
        return {}
    english = messages.shipped()["en"]
    strings = None
    if isinstance(root, yaml.MappingNode):
        strings = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "strings"), None)
    if not isinstance(strings, yaml.MappingNode):
        line = (strings or root).start_mark.line + 1
        raise StringsError(f"{shown}:{line}: give a mapping `strings:` of reader-string keys to entries "
                           "(text, status, en)")
    entries: dict[str, Entry] = {}
    for key_node, value in strings.value:
        key = _scalar(key_node, f"{shown}:{key_node.start_mark.line + 1}")
        where = f"{shown}:{key_node.start_mark.line + 1}: strings.{key}"
        if key not in english:
            if not strict:
                continue
            raise StringsError(f"{where}: unknown reader-string key; remove it (`helpglot translate` drops "
                               "keys this helpglot does not have) or use one of the keys of helpglot's messages.yml")
        if not isinstance(value, yaml.MappingNode):
            raise StringsError(f"{where}: give `text:`, `status:` and `en:`")
        fields: dict[str, str] = {}
        lines: dict[str, int] = {}
        for name_node, field in value.value:
            name = _scalar(name_node, where)
            if name not in _FIELDS:
                raise StringsError(f"{shown}:{name_node.start_mark.line + 1}: strings.{key}.{name}: unknown field; "
                                   f"use {', '.join(_FIELDS)}")
            fields[name] = _scalar(field, f"{shown}:{field.start_mark.line + 1}: strings.{key}.{name}")
            lines[name] = field.start_mark.line + 1
        for needed in ("text", "status", "en"):
            if needed not in fields:
                raise StringsError(f"{where}: `{needed}:` is missing")
        if fields["status"] not in STATES:
            raise StringsError(f"{shown}:{lines['status']}: strings.{key}.status: '{fields['status']}' is not "
                               f"one of {', '.join(STATES)}")
        invented = set(PLACEHOLDER.findall(fields["text"])) - set(PLACEHOLDER.findall(english[key]))
        why = problem(key, fields["en"], fields["text"])
        if not why and invented and key != "date_format":
            why = (f"has {', '.join('{' + p + '}' for p in sorted(invented))}, which helpglot never fills in "
                   f"for this key (its English: '{english[key]}')")
        if why:
            raise StringsError(f"{shown}:{lines['text']}: strings.{key}.text {why}")
        entries[key] = Entry(**fields)
    return entries


HEADER = """\
# helpglot's reader strings in '{lang}' (notices, badges, search, feedback, 404): the site shows
# them on every '{lang}' page. Drafted by `helpglot translate`; review them like an article:
# correct any `text` (keep each {{placeholder}} exactly), then
#   helpglot approve translations/{lang}/{name}
# status: machine (not reviewed yet) | reviewed | material (Material for MkDocs' own translation).
# en: the English the text translates. When the English changes, `new_en` (and a fresh `draft`)
# appear beside a reviewed or edited text until it is approved again.
"""


def dump(lang: str, entries: dict[str, Entry]) -> str:
    order = list(messages.shipped()["en"])
    ordered = {key: entries[key].as_yaml() for key in order if key in entries}
    body = yaml.safe_dump({"strings": ordered}, allow_unicode=True, sort_keys=False, width=1000)
    return HEADER.format(lang=lang, name=FILE_NAME) + body


def stale(entries: dict[str, Entry], english: dict[str, str]) -> dict[str, Entry]:
    """Entries whose English changed since they were made, marked with the English now."""
    result = dict(entries)
    for key, entry in entries.items():
        now = english.get(key)
        if now is not None and now != entry.en and entry.new_en != now:
            result[key] = replace(entry, new_en=now, draft=None)
    return result
