"""Material for MkDocs' own human translations of the few reader strings it shares with helpglot.

Material ships its interface in 60+ languages (``partials/languages/<lang>.html``), written
and reviewed by people. Where one of helpglot's keys says exactly what one of Material's
says, that human text beats a machine draft: ``helpglot translate`` records it with status
``material`` instead of sending it to an engine. Only exact equivalents are taken:

* ``skip`` is Material's ``action.skip`` ("Skip to content");
* ``updated`` ("Last updated: {date}") is Material's ``source.file.date.updated`` ("Last
  update") followed by the date.

Everything else helpglot says (notices, badges, feedback, the 404 page) has no counterpart
there and is drafted. The language files are Jinja macros around one dict literal; they are
read as text, not rendered, so nothing of Material runs.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import resources

_DICT = re.compile(r"\{\{\s*(\{.*?\})\[key\]\s*\}\}", re.S)
#: helpglot key -> (Material key, how helpglot's text is made from Material's)
EQUIVALENTS = {
    "skip": ("action.skip", "{}"),
    "updated": ("source.file.date.updated", "{}: {{date}}"),
}


@cache
def _table(name: str) -> dict[str, str]:
    try:
        folder = resources.files("material").joinpath("templates", "partials", "languages")
        text = folder.joinpath(f"{name}.html").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError, UnicodeDecodeError):
        return {}
    found = _DICT.search(text)
    if not found:
        return {}
    try:
        table = ast.literal_eval(found.group(1))
    except (SyntaxError, ValueError):
        return {}
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def language_file(lang: str) -> dict[str, str]:
    """Material's strings for ``lang`` (``pt-BR``, then ``pt``); empty when it has none."""
    for name in dict.fromkeys((lang, lang.replace("_", "-"), lang.split("-")[0])):
        table = _table(name)
        if table:
            return table
    return {}


def for_language(lang: str) -> dict[str, str]:
    """helpglot's keys that Material translates for ``lang``, in helpglot's form."""
    table = language_file(lang)
    english = _table("en")
    result = {}
    for key, (theirs, form) in EQUIVALENTS.items():
        text = table.get(theirs)
        if text and text.strip() and (lang.split("-")[0] == "en" or text != english.get(theirs)):
            result[key] = form.format(text.strip())
    return result
