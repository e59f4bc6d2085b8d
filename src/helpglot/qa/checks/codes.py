"""What in code a translation must keep, and what a project may localize.

Readers copy identifiers, keywords, operators, numbers and URLs into their programs and
terminals: those must match the source. What the code *says to people* is another matter, and
real projects localize it: comments (``# Crear un ítem``), string literals that are example values
(``"Hola mundo"``), placeholders (``<name>`` → ``<ad>``) and key names in shortcuts
(``Ctrl+Space`` → ``Ctrl+Espacio``). Code blocks are tokenized with Pygments, the lexer the site
already uses for highlighting, so "a comment" or "a string" is what the highlighter shows as one;
each localizable kind is a setting (``checks.code_comments``, ``checks.code_strings``,
``checks.key_names``; placeholders are always localizable, they stand for the reader's own value).

Inline code is judged by what blind labels found worth a fix (bench/labels): code translated
inside the backticks (```forbid``` → ```prohibir```), code turned into quoted or re-cased prose
(```"items"``` → „items“) and code added are errors; code that is simply not in the translation
is a warning, because a translator often says a type in words ("строка" for ```str```), which
labellers found fine in 12 of 19 cases. A keyword or built-in name of the page's own code language
(```str```, ```dict```, ```raise``` in a Python page, as its code fences and includes show) said in
words ("строка", "lanzar") is no finding at all: it names a concept every reader knows by its word,
and blind labels found 10 of 11 such warnings not worth a fix. Code spans merged or split with the same names inside
(```include_in_schema``` and ```False``` → ```include_in_schema=False```) and localized key names
are no finding.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_NAMES = re.compile(r"[A-Za-z_][\w.]*|\d+(?:\.\d+)*")
_KEYS = re.compile(r"^`?(?:Ctrl|Control|Cmd|Command|Alt|Option|Opt|Shift|Meta|Super|Win|Strg|Umschalt|Entf|Fn)"
                   r"(?:\s*\+\s*[^`+]+)+`?$", re.I)
_PLACEHOLDER = re.compile(r"<[^<>\s/][^<>\n]{0,40}>")
_URL = re.compile(r"\w+://")


def _names(codes: list[str]) -> Counter:
    return Counter(n for c in codes for n in _NAMES.findall(c.strip("`")))


def judge(src: list[str], tr: list[str], tr_text: str, keys_translated: bool) -> tuple[list[str], list[str], list[str]]:
    """(source codes, translation codes) left to compare, and the source codes simply not in the
    translation (a warning, reported apart)."""
    lost = list((Counter(src) - Counter(tr)).elements())
    added = list((Counter(tr) - Counter(src)).elements())
    common = list((Counter(src) & Counter(tr)).elements())
    if not lost and not added:
        return src, tr, []
    if lost and added and _names(lost) == _names(added):
        return common, common, []  # merged or split spans, the same names inside
    if keys_translated:
        lost_keys = [x for x in lost if _KEYS.match(x)]
        added_keys = [x for x in added if _KEYS.match(x)]
        for a, b in zip(list(lost_keys), list(added_keys), strict=False):
            lost.remove(a)
            added.remove(b)
    if added:
        return common + lost, common + added, []
    prose = re.sub(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", " ", tr_text).casefold()
    gone, kept = [], []
    for code in lost:
        inner = code.strip("`").strip().strip("\"'").casefold()
        # the code's text in the prose, re-quoted or re-cased („items“, "Scopes"), or glued to a CJK
        # word ("subキー"): formatting lost, an error
        if inner and re.search(rf"(?<![A-Za-z0-9_]){re.escape(inner)}(?![A-Za-z0-9_])", prose):
            kept.append(code)
        elif code in tr:
            continue  # said once where the source says it twice: a natural ellipsis, nothing lost
        else:
            gone.append(code)
    return common + kept, common, gone


@lru_cache(maxsize=256)
def _lexer(info: str):  # noqa: ANN202
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = (info.split()[0] if info.split() else "").strip(".{}").lower()
    try:
        return get_lexer_by_name(name) if name else None
    except ClassNotFound:
        return None


def significant(body: str, info: str, comments: bool, strings: bool) -> list[tuple[str, str]]:
    """The tokens of a code block that must match: (kind, text) with comments and/or string
    literals left out when the project localizes them, placeholders (``<name>``) always, and
    whitespace never compared. A string holding a URL is always compared."""
    from pygments.token import Comment, String, Text, Whitespace

    body = _PLACEHOLDER.sub("<placeholder>", body)
    lexer = _lexer(info)
    if lexer is None:  # no lexer for this fence: lines, with # comments taken off when they are localized
        lines = []
        for line in body.split("\n"):
            if comments:
                line = re.sub(r"(?:^|\s)(?:#|//)\s.*$", "", line)
            if line.strip():
                lines.append(("line", " ".join(line.split())))
        return lines
    out: list[tuple[str, str]] = []
    for ttype, value in lexer.get_tokens(body):
        if ttype in Whitespace or (ttype in Text and not value.strip()):
            continue
        if comments and ttype in Comment:
            continue
        if strings and ttype in String and not _URL.search(value):
            out.append(("string", ""))  # a string stays a string, whatever it says
            continue
        out.append((str(ttype).split(".")[1] if "." in str(ttype) else str(ttype), value.strip()))
    # adjacent string pieces (quote, body, quote) count as one
    merged: list[tuple[str, str]] = []
    for item in out:
        if item == ("string", "") and merged and merged[-1] == ("string", ""):
            continue
        merged.append(item)
    return merged


def block_differs(src_body: str, tr_body: str, info: str, comments: bool, strings: bool) -> str | None:
    """What differs between two code blocks, in a few words, or None when they match."""
    a, b = significant(src_body, info, comments, strings), significant(tr_body, info, comments, strings)
    if a == b:
        return None
    for x, y in zip(a, b, strict=False):
        if x != y:
            return f"'{x[1] or 'a string'}' became '{y[1] or 'a string'}'"
    return "code lines missing" if len(a) > len(b) else "code lines added"


_FENCE_INFO = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})[ \t]*\{?\.?([\w+#-]+)", re.M)
_INCLUDE_FILE = re.compile(r"\{\*\s*(\S+?\.\w+)\b")


@lru_cache(maxsize=64)
def page_languages(text: str) -> tuple[str, ...]:
    """The code languages a page shows: its fences' info words and its ``{* file.py *}`` includes'
    file names (a lexer is found for either)."""
    found = [("name", m.group(1).lower()) for m in _FENCE_INFO.finditer(text)]
    found += [("file", m.group(1).rsplit("/", 1)[-1]) for m in _INCLUDE_FILE.finditer(text)]
    names = []
    for kind, value in dict.fromkeys(found):
        lexer = _lexer(value) if kind == "name" else _file_lexer(value)
        if lexer is not None and lexer.aliases and lexer.aliases[0] not in names:
            names.append(lexer.aliases[0])
    return tuple(names)


@lru_cache(maxsize=64)
def _file_lexer(name: str):  # noqa: ANN202
    from pygments.lexers import get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        return get_lexer_for_filename(name)
    except ClassNotFound:
        return None


@lru_cache(maxsize=4096)
def sayable(code: str, languages: tuple[str, ...]) -> bool:
    """Is this inline code one keyword or built-in name (not a constant) of one of the page's code
    languages, a word a translator may say in words (```str``` as "строка")?"""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Keyword, Name

    inner = code.strip("`").strip()
    if not re.fullmatch(r"[A-Za-z_]\w*", inner):
        return False
    for language in languages:
        lexer = get_lexer_by_name(language)
        tokens = [(kind, value) for kind, value in lexer.get_tokens(inner) if value.strip()]
        if len(tokens) != 1:
            continue
        kind = tokens[0][0]
        if kind in Keyword.Constant or kind in Name.Builtin.Pseudo:
            continue  # None, True, self: values and names a reader types as they are
        if kind in Keyword or kind in Name.Builtin:
            return True
    return False
