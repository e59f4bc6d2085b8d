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
from dataclasses import dataclass

from helpglot.errors import HelpglotError
from helpglot.markdown.inlinescan import EMPHASIS, Opaque, Scanner

_TRIMMED = frozenset(EMPHASIS.values())  # roles whose content cannot start or end with a space
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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def protect(markdown: str) -> Protected:
    """The XML fragment for a block's Markdown; ``restore(p, p.text) == markdown`` always."""
    nodes = Scanner(markdown).parse(0, len(markdown))
    spans: list[Span] = []
    out: list[str] = []

    def emit(children: tuple) -> None:
        for node in children:
            if isinstance(node, str):
                out.append(_escape(node))
                continue
            span_id = len(spans) + 1
            if isinstance(node, Opaque):
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
