"""The inline scanner behind :func:`helpglot.markdown.inline.protect`: Markdown inline markup
as a tree of translatable pairs and opaque pieces, with exact source offsets.

Kept apart from :mod:`helpglot.markdown.inline` (the engine format and the way back) so each
reads in one sitting; the choices it makes, and why, are listed there.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

EMPHASIS = {"**": "strong", "__": "strong", "~~": "del", "==": "mark", "^^": "ins", "*": "em", "_": "em"}
_PUNCT = frozenset(string.punctuation)
_BREAK = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*>)*[ \t]*")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # not allowed in XML
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>`\[\]{}]+", re.I)
_URL_TAIL = ".,:;!?'\"*_~"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp|mailto):[^\s<>]+|[^\s<>@]+@[^\s<>@]+)>", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML = re.compile(r"""</[A-Za-z][\w:-]*\s*>|<[A-Za-z][\w:-]*(?:\s+[^\s"'<>/=]+"""
                   r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
# HTML elements whose content is code or keys, never words to translate: opaque with their tags
_VERBATIM = re.compile(r"<(code|kbd|pre|samp|var|tt)(?:\s[^<>]*)?>.*?</\1\s*>", re.I | re.S)
_ATTR_ITEM = r"""(?:[#.][^\s{}"'=]+|[^\s{}"'=#.]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+))"""
_ATTR = re.compile(rf"\{{:?[ \t]*{_ATTR_ITEM}(?:[ \t]+{_ATTR_ITEM})*[ \t]*\}}")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_KEYS = re.compile(r'\+\+(?:[\w-]+|"[^"\n]*")(?:\+(?:[\w-]+|"[^"\n]*"))*\+\+')
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_REF = re.compile(r"\[[^\[\]]*\]")
# after "](": a URL (in <> or with balanced parentheses), an optional title, the ")"
_DESTINATION = re.compile(r"""\s*(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
                          r"""\s*(?:"[^"]*"|'[^']*'|\([^()]*\))?\s*\)""")
_TICKS: dict[int, re.Pattern[str]] = {}
# what an engine may send back: our tags in any quoting, and tags it should not have invented



@dataclass(frozen=True)
class Pair:
    role: str
    markup: str
    close: str
    children: tuple


@dataclass(frozen=True)
class Opaque:
    role: str
    markup: str


class _Delim:
    """A run of ``*``, ``_``, ``~``, ``=`` or ``^``: ``n`` characters not yet matched."""

    __slots__ = ("c", "n", "opens", "closes")

    def __init__(self, c: str, n: int, opens: bool, closes: bool) -> None:
        self.c, self.n, self.opens, self.closes = c, n, opens, closes


def _emphasis(items: list) -> tuple:
    """Pair delimiter runs as CommonMark does (a closer takes the nearest opener of its
    character, openers in between become text), in one pass: no backtracking, so a paragraph
    full of stray ``*`` costs no more than one with none."""
    stack: list[int] = []
    k = 0
    while k < len(items):
        item = items[k]
        if isinstance(item, _Delim):
            need = 1 if item.c in "*_" else 2  # ~~, == and ^^ only come in twos
            while item.closes and item.n >= need:
                found = next((x for x in range(len(stack) - 1, -1, -1)
                              if items[stack[x]].c == item.c and items[stack[x]].n >= need), None)
                if found is None:
                    break
                a = stack[found]
                opener = items[a]
                # ***x***: <strong><em>, as Python-Markdown renders it (CommonMark nests the other way)
                use = 1 if need == 1 and min(opener.n, item.n) >= 3 else 2 if min(opener.n, item.n) >= 2 else 1
                del stack[found + 1 :]
                opener.n -= use
                item.n -= use
                markup = item.c * use
                items[a + 1 : k] = [Pair(EMPHASIS[markup], markup, markup, _finish(items[a + 1 : k]))]
                k = a + 2
                if opener.n < need:
                    stack.pop()
            if item.opens and item.n >= need:
                stack.append(k)
        k += 1
    return _finish(items)


def _finish(items: list) -> tuple:
    """Unmatched delimiters become text; adjacent text merges."""
    out: list = []
    for item in items:
        item = item.c * item.n if isinstance(item, _Delim) else item
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        elif item != "":
            out.append(item)
    return tuple(out)


class Scanner:
    """Python-Markdown's inline constructs over ``s``, as a tree of str / Opaque / Pair."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.emails = "@" in s

    def parse(self, i: int, end: int) -> tuple:
        """The nodes of ``s[i:end]``."""
        s = self.s
        items: list = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                items.append("".join(buf))
                buf.clear()

        while i < end:
            c = s[i]
            if c in "\r\n":
                text = "".join(buf)
                kept = text.rstrip(" \t")
                buf[:] = [kept] if kept else []
                flush()
                match = _BREAK.match(s, i, end)
                items.append(Opaque("break", text[len(kept) :] + match.group()))  # type: ignore[union-attr]
                i = match.end()  # type: ignore[union-attr]
                continue
            if c in "*_~=^":
                j = i
                while j < end and s[j] == c:
                    j += 1
                before = s[i - 1] if i else " "
                after = s[j] if j < end else " "
                underscore = c == "_"
                flush()
                items.append(_Delim(c, j - i, not after.isspace() and not (underscore and before.isalnum()),
                                    not before.isspace() and not (underscore and after.isalnum())))
                i = j
                continue
            node, j = self._construct(i, end)
            if node is None:
                j = max(j, i + 1)
                buf.append(s[i:j])
            else:
                flush()
                items.append(node)
            i = j
        flush()
        return _emphasis(items)

    def _construct(self, i: int, end: int) -> tuple[object, int]:
        """The construct starting at ``i``, and where it ends; (None, j): ``s[i:j]`` is text."""
        s, c = self.s, self.s[i]
        if c == "\\":
            return (Opaque("escape", s[i : i + 2]), i + 2) if i + 1 < end and s[i + 1] in _PUNCT else (None, i)
        if c == "`":
            j = self._code_end(i, end)
            return (Opaque("code", s[i:j]), j) if j > 0 else (None, -j)
        if c == "[" or (c == "!" and s.startswith("[", i + 1)):
            return self._link(i, end)
        if c == "<":
            if match := _VERBATIM.match(s, i, end):
                return Opaque("keys" if match.group(1).lower() == "kbd" else "code", match.group()), match.end()
            for pattern, role in ((_AUTOLINK, "url"), (_COMMENT, "html"), (_HTML, "html")):
                if match := pattern.match(s, i, end):
                    return Opaque(role, match.group()), match.end()
            return None, i
        if c == "{":
            for pattern, role in ((_ATTR, "attr"), (_JINJA, "placeholder")):
                if match := pattern.match(s, i, end):
                    return Opaque(role, match.group()), match.end()
            return None, i
        if c == "+" and (match := _KEYS.match(s, i, end)):
            return Opaque("keys", match.group()), match.end()
        if _ILLEGAL.match(c):
            return Opaque("char", c), i + 1
        word_start = i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "/@._+-")
        if word_start and c in "hHfFwW" and (match := _URL.match(s, i, end)):
            url = match.group().rstrip(_URL_TAIL)
            while url.endswith(")") and url.count(")") > url.count("("):
                url = url[:-1].rstrip(_URL_TAIL)
            if _URL.fullmatch(url):  # still more than "https://" once trailing punctuation is off
                return Opaque("url", url), i + len(url)
        if word_start and self.emails and (c.isalnum() or c == "_") and (match := _EMAIL.match(s, i, end)):
            return Opaque("email", match.group()), match.end()
        return None, i

    def _code_end(self, i: int, end: int) -> int:
        """End of the code span opening at ``i``; if unclosed, minus the end of its backtick
        run (the whole run is then text, as in Python-Markdown)."""
        j = i
        while j < end and self.s[j] == "`":
            j += 1
        n = j - i
        if n not in _TICKS:
            _TICKS[n] = re.compile(rf"(?<!`)`{{{n}}}(?!`)")
        found = _TICKS[n].search(self.s, j, end)
        return found.end() if found else -j

    def _link(self, i: int, end: int) -> tuple[object, int]:
        """A footnote reference, or a link or image whose text is translatable."""
        s = self.s
        image = s[i] == "!"
        if not image and (match := _FOOTNOTE.match(s, i, end)):
            return Opaque("footnote", match.group()), match.end()
        text_at = i + 2 if image else i + 1
        k = self._bracket_end(text_at, end)
        if k is None or k + 1 >= end:
            return None, i
        if s[k + 1] == "(":
            j = match.end() if (match := _DESTINATION.match(s, k + 2, end)) else None
        elif match := _REF.match(s, k + 1, end):
            j = match.end()
            if match.group() == "[]":  # the text is the reference key: it must not change
                return Opaque("reflink", s[i:j]), j
        else:
            j = None
        if j is None:
            return None, i
        role = "image" if image else "link"
        children = self.parse(text_at, k)
        if not "".join(x for x in children if isinstance(x, str)).strip() and not any(
                isinstance(x, Pair) for x in children):
            return Opaque(role, s[i:j]), j  # nothing to translate: one tag, not an empty pair
        return Pair(role, s[i:text_at], s[k:j], children), j

    def _bracket_end(self, j: int, end: int) -> int | None:
        """The ``]`` closing a link text from ``j``: nested brackets, code and escapes skipped."""
        s, depth = self.s, 0
        while j < end:
            c = s[j]
            if c == "\\":
                j += 2
                continue
            if c == "`":
                j = abs(self._code_end(j, end))
                continue
            if c == "[":
                depth += 1
            elif c == "]":
                if not depth:
                    return j
                depth -= 1
            j += 1
        return None
