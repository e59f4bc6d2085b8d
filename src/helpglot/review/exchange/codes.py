"""Inline markup as a CAT tool's inline codes, and back to the engine fragment.

helpglot already protects a block's inline Markdown for engines (:mod:`helpglot.markdown.inline`):
``<x id="N"/>`` for opaque markup (code spans, URLs, ``{#id}``, line breaks) and ``<g id="N">...</g>``
around translatable content whose markup the tag keeps (``**bold**``, ``[link](url)``). An exchange
file carries the same fragment, each tag mapped to the format's own inline code, so the CAT tool's
tag check guards the markup exactly as an engine's tag handling does:

* XLIFF 1.2: ``<x/>`` and ``<g>`` (the very names the engine fragment borrowed from 1.2), with
  ``ctype`` and, for ``<x/>``, ``equiv-text`` showing the markup it stands for;
* XLIFF 2.1: ``<ph/>`` and ``<pc>``, with ``disp``/``equiv`` and ``dispStart``/``dispEnd``;
* PO: ``{N}`` and ``{N}...{/N}`` placeholders, explained in an extracted comment.

On the way back the fragment goes through :func:`helpglot.markdown.inline.restore`, the one place
that refuses a lost, duplicated, invented or mis-nested tag. Elements are built and read with lxml:
no XML is written by string concatenation, and what is read is only the element tree.
"""

from __future__ import annotations

import re

from lxml import etree

from helpglot.markdown.inline import MarkupLost, Protected, Span

#: XLIFF 1.2 ``ctype`` of a span's role: the spec's values where one fits (``<g>``: bold, italic, link;
#: ``<x/>``: lb for a line break), else its extension form ``x-<role>``
_CTYPE = {("g", "strong"): "bold", ("g", "em"): "italic", ("g", "link"): "link", ("x", "break"): "lb"}
#: XLIFF 2.1 ``type`` of a span's role (the spec's closed list: fmt, ui, quote, link, image, other)
_TYPE2 = {"strong": "fmt", "em": "fmt", "del": "fmt", "mark": "fmt", "ins": "fmt", "link": "link",
          "image": "image", "keys": "ui"}
_PLACEHOLDER = re.compile(r"\{(/?)(\d+)\}")


class CodesBroken(MarkupLost):
    """A target's inline codes cannot be read back (an element the format does not allow)."""

    def __init__(self, reason: str) -> None:
        super().__init__(unbalanced=(reason,))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fragment_tree(protected_text: str) -> etree._Element:
    return etree.fromstring(f"<r>{protected_text}</r>".encode())


def _ctype(span: Span) -> str:
    return _CTYPE.get((span.kind, span.role), f"x-{span.role}")


def fill_xliff12(parent: etree._Element, fragment: str, spans: tuple[Span, ...], ns: str) -> None:
    """Append the fragment's text and tags to ``parent`` as XLIFF 1.2 content."""
    by_id = {span.id: span for span in spans}

    def copy(src: etree._Element, dest: etree._Element) -> None:
        dest.text = src.text
        for child in src:
            span = by_id.get(int(child.get("id")))
            if child.tag == "x":
                node = etree.SubElement(dest, f"{{{ns}}}x", id=child.get("id"), ctype=_ctype(span))
                node.set("equiv-text", span.markup)
            else:
                node = etree.SubElement(dest, f"{{{ns}}}g", id=child.get("id"), ctype=_ctype(span))
                copy(child, node)
            node.tail = child.tail

    copy(_fragment_tree(fragment), parent)


def fill_xliff21(parent: etree._Element, fragment: str, spans: tuple[Span, ...], ns: str) -> None:
    """Append the fragment's text and tags to ``parent`` as XLIFF 2.1 content (``ph``/``pc``)."""
    by_id = {span.id: span for span in spans}

    def copy(src: etree._Element, dest: etree._Element) -> None:
        dest.text = src.text
        for child in src:
            span = by_id[int(child.get("id"))]
            kind = _TYPE2.get(span.role, "other")
            if child.tag == "x":
                node = etree.SubElement(dest, f"{{{ns}}}ph", id=child.get("id"), type=kind)
                node.set("disp", span.markup)
                node.set("equiv", span.markup)
            else:
                node = etree.SubElement(dest, f"{{{ns}}}pc", id=child.get("id"), type=kind)
                node.set("dispStart", span.markup)
                node.set("dispEnd", span.close)
                node.set("canOverlap", "no")
            copy(child, node)
            node.tail = child.tail

    copy(_fragment_tree(fragment), parent)


def read_xliff(element: etree._Element, version: str) -> str:
    """The engine fragment of a 1.2 ``<target>`` (``x``/``g``) or a 2.1 one (``ph``/``pc``).

    ``mrk`` (an annotation a tool may add, e.g. OmegaT's or Okapi's segment marks) is read through;
    any other element, or a tag without a numeric id, is refused naming it."""
    opaque, paired = ("x", "g") if version == "1.2" else ("ph", "pc")
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        out.append(_escape(node.text or ""))
        for child in node:
            if not isinstance(child.tag, str):  # a comment or processing instruction: not content
                out.append(_escape(child.tail or ""))
                continue
            name = etree.QName(child).localname
            tag_id = child.get("id", "")
            if name == "mrk":
                walk(child)
            elif name in (opaque, paired) and tag_id.isdigit():
                if name == opaque:
                    out.append(f'<x id="{int(tag_id)}"/>')
                else:
                    out.append(f'<g id="{int(tag_id)}">')
                    walk(child)
                    out.append("</g>")
            else:
                raise CodesBroken(f"unexpected inline element <{name}{' id=' + repr(tag_id) if tag_id else ''}> "
                                  f"(XLIFF {version} targets hold text, <{opaque}/> and <{paired}> with the "
                                  "source's ids)")
            out.append(_escape(child.tail or ""))

    walk(element)
    return "".join(out)


def to_placeholders(protected: Protected, fragment: str | None = None) -> str:
    """The fragment as PO text: ``{N}`` for an opaque tag, ``{N}...{/N}`` around a paired one."""
    root = _fragment_tree(protected.text if fragment is None else fragment)
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        out.append(node.text or "")
        for child in node:
            if child.tag == "x":
                out.append(f"{{{child.get('id')}}}")
            else:
                out.append(f"{{{child.get('id')}}}")
                walk(child)
                out.append(f"{{/{child.get('id')}}}")
            out.append(child.tail or "")

    walk(root)
    return "".join(out)


def legend(protected: Protected) -> str:
    """What each placeholder stands for, for the PO extracted comment a translator reads."""
    parts = []
    for span in protected.spans:
        if span.kind == "x":
            parts.append(f"{{{span.id}}} = {span.markup!r}")
        else:
            parts.append(f"{{{span.id}}}...{{/{span.id}}} = {span.markup!r}...{span.close!r}")
    return "; ".join(parts)


def from_placeholders(protected: Protected, text: str) -> str:
    """The engine fragment of PO text: placeholders whose id the source has become tags again,
    anything else (a literal ``{3}`` in prose) stays text."""
    kinds = {span.id: span.kind for span in protected.spans}
    out: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        tag_id = int(match.group(2))
        if tag_id not in kinds:
            continue
        out.append(_escape(text[pos : match.start()]))
        if kinds[tag_id] == "x":
            out.append(f"{{/{tag_id}}}" if match.group(1) else f'<x id="{tag_id}"/>')
        else:
            out.append(f"</g id=\"{tag_id}\">" if match.group(1) else f'<g id="{tag_id}">')
        pos = match.end()
    out.append(_escape(text[pos:]))
    return "".join(out)
