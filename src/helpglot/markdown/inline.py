"""Inline Markdown <-> the XML fragment engines translate, and back, byte for byte.

A block's text (see :mod:`helpglot.markdown.segment`) still holds inline markup. Engines must not touch
code, URLs, link targets, HTML or ``{{ placeholders }}``, yet they must see the words inside
``**bold**`` or ``[a link](...)`` to translate them in context. :func:`protect` turns the
Markdown into the shared format: text with ``& < >`` escaped, ``<x id="N"/>`` for opaque markup
and ``<g id="N">...</g>`` around translatable content whose markup (``**``, ``[``/``](url)``)
the tag keeps. :func:`restore` puts the markup back into the translated fragment and refuses
(:class:`MarkupLost`) a fragment that dropped, duplicated, invented or mis-nested a tag.

Choices, and why:

* A hand-written scanner, not markdown-it-py or Python-Markdown: both give a rendered tree
  without source offsets for inline markup, and the round trip must be exact. The scanner
  follows Python-Markdown + pymdown where readers see a difference (code before links before
  emphasis, ``_`` not emphasis inside words, nested brackets in link text, ``***x***`` as
  strong around em) and otherwise leaves characters as text: text is never lost, only possibly
  not protected. Emphasis runs are paired in one pass with CommonMark's delimiter stack rather
  than by trying each opener (Python-Markdown's regexes): no backtracking, linear in practice.
* A tiny regex tokenizer, not xml.etree, reads the engine's answer: engines return fragments
  that are not always well-formed XML (``<x id='3'/>``, ``<g id="2" >``, HTML entities,
  a stray ``</g>``), and the error must name the tag ids at fault rather than a parse offset.
* A line break inside a paragraph (with the spaces around it, an indentation or a quote's
  ``>`` markers) is an opaque tag, so the line structure comes back exactly. A space is sent
  in front of it so engines still see two words; restore drops the spaces around the tag.
* Backslash escapes (``\\*``) are opaque: sending ``*`` as text would make it impossible to
  know, on the way back, which ``*`` had been escaped.
* ``[text][]`` and ``[text]`` take their reference key from the visible text, so translating
  the text would break the link: the collapsed form is opaque, the shortcut form (which is a
  link only when a definition exists elsewhere) is left as text.
* No re-escaping of the translation: the source's text runs legitimately hold characters that
  are Markdown-significant elsewhere (a lone ``*``, ``snake_case``, ``[Note]``), and they travel
  unescaped; escaping the translation's would break the round trip and change what readers
  see. A translation that creates markup is a rare engine fault that review (and a comparison
  of :func:`protect` spans between source and translation) shows.
* Whitespace an engine moves inside emphasis tags (``<g id="1"> word</g>``) is moved outside
  the ``**`` on restore: ``** word**`` would not be bold in Markdown.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass

from helpglot.errors import HelpglotError

_EMPHASIS = {"**": "strong", "__": "strong", "~~": "del", "==": "mark", "^^": "ins", "*": "em", "_": "em"}
_TRIMMED = frozenset(_EMPHASIS.values())  # roles whose content cannot start or end with a space
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
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(\s[^<>]*?)?\s*(/?)>")
_ID = re.compile(r"""\bid\s*=\s*(?:"\s*(\d+)\s*"|'\s*(\d+)\s*'|(\d+))""", re.I)


@dataclass(frozen=True)
class Span:
    """What tag ``id`` stands for: opaque ``markup`` (kind "x"), or the ``markup`` opening and
    the ``close`` closing a translatable pair (kind "g"). ``role`` names the construct."""

    id: int
    kind: str  # "x" | "g"
    role: str  # code (also <code>, <pre>), url, email, html, attr, placeholder, footnote, keys, escape, break, char,
    #            reflink, link, image, strong, em, del, mark, ins
    markup: str
    close: str = ""


@dataclass(frozen=True)
class Protected:
    """A block as engines see it: ``text`` is the XML fragment, ``spans`` what its tags keep."""

    text: str
    spans: tuple[Span, ...]

    def billable(self) -> int:
        """Characters an engine bills: the text without tags, an entity counting as one."""
        return len(html.unescape(re.sub(r"<[^<>]*>", "", self.text)))


class MarkupLost(HelpglotError):
    """A translation lost, duplicated, invented or mis-nested a tag: the block is not written."""

    def __init__(self, lost: tuple[int, ...] = (), duplicated: tuple[int, ...] = (),
                 invented: tuple[int, ...] = (), unbalanced: tuple[str, ...] = ()) -> None:
        self.lost, self.duplicated, self.invented, self.unbalanced = lost, duplicated, invented, unbalanced
        parts = [f"{what} tag id {', '.join(map(str, ids))}" for what, ids in
                 (("lost", lost), ("duplicated", duplicated), ("invented", invented)) if ids]
        parts += list(unbalanced)
        super().__init__("markup lost in translation: " + "; ".join(parts))


@dataclass(frozen=True)
class _Pair:
    role: str
    markup: str
    close: str
    children: tuple


@dataclass(frozen=True)
class _Opaque:
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
                items[a + 1 : k] = [_Pair(_EMPHASIS[markup], markup, markup, _finish(items[a + 1 : k]))]
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


class _Scanner:
    """Python-Markdown's inline constructs over ``s``, as a tree of str / _Opaque / _Pair."""

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
                items.append(_Opaque("break", text[len(kept) :] + match.group()))  # type: ignore[union-attr]
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
            return (_Opaque("escape", s[i : i + 2]), i + 2) if i + 1 < end and s[i + 1] in _PUNCT else (None, i)
        if c == "`":
            j = self._code_end(i, end)
            return (_Opaque("code", s[i:j]), j) if j > 0 else (None, -j)
        if c == "[" or (c == "!" and s.startswith("[", i + 1)):
            return self._link(i, end)
        if c == "<":
            if match := _VERBATIM.match(s, i, end):
                return _Opaque("keys" if match.group(1).lower() == "kbd" else "code", match.group()), match.end()
            for pattern, role in ((_AUTOLINK, "url"), (_COMMENT, "html"), (_HTML, "html")):
                if match := pattern.match(s, i, end):
                    return _Opaque(role, match.group()), match.end()
            return None, i
        if c == "{":
            for pattern, role in ((_ATTR, "attr"), (_JINJA, "placeholder")):
                if match := pattern.match(s, i, end):
                    return _Opaque(role, match.group()), match.end()
            return None, i
        if c == "+" and (match := _KEYS.match(s, i, end)):
            return _Opaque("keys", match.group()), match.end()
        if _ILLEGAL.match(c):
            return _Opaque("char", c), i + 1
        word_start = i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "/@._+-")
        if word_start and c in "hHfFwW" and (match := _URL.match(s, i, end)):
            url = match.group().rstrip(_URL_TAIL)
            while url.endswith(")") and url.count(")") > url.count("("):
                url = url[:-1].rstrip(_URL_TAIL)
            if _URL.fullmatch(url):  # still more than "https://" once trailing punctuation is off
                return _Opaque("url", url), i + len(url)
        if word_start and self.emails and (c.isalnum() or c == "_") and (match := _EMAIL.match(s, i, end)):
            return _Opaque("email", match.group()), match.end()
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
            return _Opaque("footnote", match.group()), match.end()
        text_at = i + 2 if image else i + 1
        k = self._bracket_end(text_at, end)
        if k is None or k + 1 >= end:
            return None, i
        if s[k + 1] == "(":
            j = match.end() if (match := _DESTINATION.match(s, k + 2, end)) else None
        elif match := _REF.match(s, k + 1, end):
            j = match.end()
            if match.group() == "[]":  # the text is the reference key: it must not change
                return _Opaque("reflink", s[i:j]), j
        else:
            j = None
        if j is None:
            return None, i
        role = "image" if image else "link"
        children = self.parse(text_at, k)
        if not "".join(x for x in children if isinstance(x, str)).strip() and not any(
                isinstance(x, _Pair) for x in children):
            return _Opaque(role, s[i:j]), j  # nothing to translate: one tag, not an empty pair
        return _Pair(role, s[i:text_at], s[k:j], children), j

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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def protect(markdown: str) -> Protected:
    """The XML fragment for a block's Markdown; ``restore(p, p.text) == markdown`` always."""
    nodes = _Scanner(markdown).parse(0, len(markdown))
    spans: list[Span] = []
    out: list[str] = []

    def emit(children: tuple) -> None:
        for node in children:
            if isinstance(node, str):
                out.append(_escape(node))
                continue
            span_id = len(spans) + 1
            if isinstance(node, _Opaque):
                spans.append(Span(span_id, "x", node.role, node.markup))
                out.append(f'{" " if node.role == "break" else ""}<x id="{span_id}"/>')
            else:
                spans.append(Span(span_id, "g", node.role, node.markup, node.close))
                out.append(f'<g id="{span_id}">')
                emit(node.children)
                out.append("</g>")

    emit(nodes)
    return Protected("".join(out), tuple(spans))


def restore(protected: Protected, translated: str) -> str:
    """Markdown from a translated fragment: each tag replaced by what it stands for.

    Tags may move and whitespace change; a tag lost, duplicated or invented, a ``<g>`` never
    closed or a ``</g>`` closing nothing or the wrong id raises :class:`MarkupLost`.
    """
    by_id = {span.id: span for span in protected.spans}
    seen: set[int] = set()
    duplicated: list[int] = []
    invented: list[int] = []
    unbalanced: list[str] = []
    stack: list[tuple[Span | None, list]] = [(None, [])]
    pos = 0
    for match in _TAG.finditer(translated):
        if match.start() > pos:
            stack[-1][1].append(html.unescape(translated[pos : match.start()]))
        pos = match.end()
        closing, name, attrs, empty = match.group(1), match.group(2).lower(), match.group(3) or "", match.group(4)
        found = _ID.search(attrs)
        tag_id = int(next(g for g in found.groups() if g)) if found else None
        if name not in ("x", "g"):
            unbalanced.append(f"unexpected tag {match.group()}")
        elif closing:
            if name == "x":
                continue  # <x id="1"></x>: the same placeholder, written long
            if len(stack) == 1:
                unbalanced.append("</g> closes no open tag")
                continue
            span, children = stack.pop()
            if tag_id is not None and tag_id != span.id:  # type: ignore[union-attr]
                unbalanced.append(f"</g> of tag id {tag_id} closes tag id {span.id}")  # type: ignore[union-attr]
            stack[-1][1].append((span, children))
        elif tag_id is None:
            unbalanced.append(f"tag without id {match.group()}")
        elif tag_id not in by_id or by_id[tag_id].kind != name:
            invented.append(tag_id)
        elif tag_id in seen:
            duplicated.append(tag_id)
        else:
            seen.add(tag_id)
            span = by_id[tag_id]
            if name == "x":
                stack[-1][1].append(span)
            elif empty:
                stack[-1][1].append((span, []))
            else:
                stack.append((span, []))
    if pos < len(translated):
        stack[-1][1].append(html.unescape(translated[pos:]))
    unbalanced += [f"tag id {span.id} is never closed" for span, _ in stack[1:]]  # type: ignore[union-attr]
    lost = tuple(i for i in by_id if i not in seen and i not in invented)
    if lost or duplicated or invented or unbalanced:
        raise MarkupLost(lost, tuple(duplicated), tuple(invented), tuple(unbalanced))
    return _render(stack[0][1])


def _render(children: list) -> str:
    """Markdown of restored nodes: str, Span (opaque) or (Span, children) (pair)."""
    items = list(children)
    for k, item in enumerate(items):  # a line break takes the spaces around it
        if isinstance(item, Span) and item.role == "break":
            if k and isinstance(items[k - 1], str):
                items[k - 1] = items[k - 1].rstrip(" \t")
            if k + 1 < len(items) and isinstance(items[k + 1], str):
                items[k + 1] = items[k + 1].lstrip(" \t")
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Span):
            out.append(item.markup)
        else:
            span, inner = item
            lead = trail = ""
            inner = list(inner)
            if span.role in _TRIMMED and inner:
                if isinstance(inner[0], str):
                    lead = inner[0][: len(inner[0]) - len(inner[0].lstrip())]
                    inner[0] = inner[0][len(lead) :]
                if isinstance(inner[-1], str):
                    stripped = inner[-1].rstrip()
                    trail, inner[-1] = inner[-1][len(stripped) :], stripped
            out.append(f"{lead}{span.markup}{_render(inner)}{span.close}{trail}")
    return "".join(out)
