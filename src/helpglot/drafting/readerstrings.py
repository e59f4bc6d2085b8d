"""Drafting helpglot's own reader strings for a language it ships none for.

The same pipeline as an article block, at the size of a sentence: each English string of
``messages.yml`` is protected (``{placeholders}`` become ``<x id="N"/>`` tags the engine keeps),
sent through the language's engine and the shared cache (nothing is paid for twice), restored,
checked (every placeholder back exactly once, no HTML) and written to
``translations/<lang>/.helpglot-strings.yml`` with status ``machine``. Human texts come first:
Material's own translations (status ``material``) are never sent to an engine, and a string a
person reviewed or edited is never overwritten: when its English changes it keeps its text and
gets ``new_en`` and a fresh ``draft`` beside it for the reviewer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from helpglot import messages
from helpglot.drafting.cache import TranslationCache, cache_key
from helpglot.drafting.engines.base import Engine, EngineError, GlossaryPair, Request
from helpglot.tracking.readerstrings import Entry, digest, problem

NOT_DRAFTED = ("date_format",)  # a strftime pattern, not words: ISO dates until a translator sets one
CONTEXT = "User interface strings of a help center: notices, buttons and labels shown around articles."
_TAG = re.compile(r"""<x\s+id\s*=\s*["']?(\d+)["']?\s*/>""")


@dataclass
class StringsResult:
    """What one language's run did (counts for the report, errors for the user)."""

    lang: str
    entries: dict[str, Entry]
    drafted: int = 0
    cached: int = 0
    material: int = 0
    stale: int = 0
    chars: int = 0
    errors: list[str] = field(default_factory=list)


def protect(text: str) -> tuple[str, list[str]]:
    """``Paragraphs: {count} of {total}`` -> ``Paragraphs: <x id="1"/> of <x id="2"/>``."""
    names: list[str] = []
    out: list[str] = []
    for part in re.split(r"(\{\w+\})", text):
        if re.fullmatch(r"\{\w+\}", part):
            names.append(part)
            out.append(f'<x id="{len(names)}"/>')
        else:
            out.append(html.escape(part, quote=False))
    return "".join(out), names


def restore(draft: str, names: list[str]) -> str:
    """The engine's answer with the placeholders back; ValueError when a tag was lost or repeated."""
    seen: list[int] = []

    def back(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(names):
            raise ValueError(f"the engine invented tag {number}")
        seen.append(number)
        return names[number - 1]

    text = _TAG.sub(back, draft)
    if sorted(seen) != list(range(1, len(names) + 1)):
        raise ValueError("the engine lost or repeated a placeholder")
    text = html.unescape(text).strip()
    return _curly(text)


def _curly(text: str) -> str:
    """ASCII double quotes an engine wrote become typographic ones (``"`` is markup in HTML attributes)."""
    count = [0]

    def swap(_m: re.Match) -> str:
        count[0] += 1
        return "“" if count[0] % 2 else "”"

    return re.sub('"', swap, text)


def plan(entries: dict[str, Entry], human: dict[str, str]) -> tuple[dict[str, Entry], list[str], int, int]:
    """(entries kept or updated without an engine, keys to draft, Material texts taken, newly stale)."""
    english = messages.shipped()["en"]
    result: dict[str, Entry] = {}
    todo: list[str] = []
    taken = newly_stale = 0
    for key, en in english.items():
        if key in NOT_DRAFTED:
            if key in entries:
                result[key] = entries[key]
            continue
        entry = entries.get(key)
        if key in human and (entry is None or entry.status == "material" and entry.text == human[key]):
            fresh = Entry(human[key], "material", en)
            taken += entry != fresh
            result[key] = fresh
        elif entry is None or (entry.machine and entry.en != en):
            todo.append(key)  # new, or an untouched machine draft of English that changed (kept until redrafted)
            if entry is not None:
                result[key] = entry
        elif entry.en != en:  # a person's text whose English changed: kept, marked, a draft beside it
            newly_stale += entry.new_en != en
            result[key] = entry if entry.new_en == en and entry.draft else replace(entry, new_en=en, draft=None)
            if not result[key].draft:
                todo.append(key)
        else:
            result[key] = replace(entry, new_en=None, draft=None) if entry.new_en else entry
    return result, todo, taken, newly_stale


def draft(lang: str, source_lang: str, entries: dict[str, Entry], human: dict[str, str], engine: Engine,
          cache: TranslationCache, glossary: GlossaryPair | None, formality: str | None,
          dry_run: bool = False) -> StringsResult:
    """One language's reader strings, drafted where needed; nothing is written here."""
    english = messages.shipped()["en"]
    kept, todo, taken, newly_stale = plan(entries, human)
    run = StringsResult(lang, kept, material=taken, stale=newly_stale)
    gversion = glossary.version if glossary else "-"
    options = f"formality={formality or ''};tags=xml"
    protected = {key: protect(english[key]) for key in todo}
    keys = {key: cache_key(engine.name, source_lang, lang, gversion, options, protected[key][0]) for key in todo}
    answers = cache.get_many(list(keys.values()))
    run.cached = sum(1 for key in todo if keys[key] in answers)
    send = [key for key in todo if keys[key] not in answers]
    run.chars = sum(len(english[key]) for key in send)
    if dry_run:
        run.drafted = len(send)
        return run
    size = max(1, min(engine.max_texts, 50))
    for start in range(0, len(send), size):
        batch = send[start:start + size]
        request = Request(tuple(protected[key][0] for key in batch), source_lang, lang, context=CONTEXT,
                          formality=formality, glossary=glossary)
        try:
            outputs = engine.translate(request)
        except EngineError as exc:
            run.errors.append(f"reader strings ({lang}): {exc.message}; finished strings are cached, "
                              "rerun `helpglot translate` to continue")
            break
        if len(outputs) != len(batch):
            run.errors.append(f"reader strings ({lang}): {engine.name} returned {len(outputs)} texts for {len(batch)}")
            break
        cache.put_many([(keys[key], engine.name, source_lang, lang, gversion, protected[key][0], out)
                        for key, out in zip(batch, outputs, strict=True)])
        answers.update({keys[key]: out for key, out in zip(batch, outputs, strict=True)})
        run.drafted += len(batch)
    for key in todo:
        if keys[key] not in answers:
            continue
        try:
            text = restore(answers[keys[key]], protected[key][1])
            why = problem(key, english[key], text)
        except ValueError as exc:
            why = str(exc)
        if why:
            run.errors.append(f"reader strings ({lang}): the draft of '{key}' {why}; it stays in English until "
                              f"a translator writes it in translations/{lang}/.helpglot-strings.yml")
            continue
        old = entries.get(key)
        if old is not None and not old.machine:
            run.entries[key] = replace(run.entries.get(key, old), new_en=english[key], draft=text)
        else:
            run.entries[key] = Entry(text, "machine", english[key], drafted=digest(text), engine=engine.name)
    return run
