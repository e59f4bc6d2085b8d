"""What a translated page needs to know about its English source page, computed
from the source file alone.

A translated heading keeps the source heading's id, and what the source itself
uses (its own ``<style>``, its own video ``<iframe>`` and styled wrapper, its
classes, its ``tallybird://`` links, its link hosts: :mod:`helpglot.qa.trust`)
stays allowed in a translation. Both used to be collected while MkDocs built the English pages,
which made a language's pages depend on the English build having run first in
the same process. Computed here from ``docs/`` instead, a language's pages are
the same bytes whether it is built alone (``helpglot build --lang es``), in a
parallel worker or inside ``mkdocs build``.

Heading ids come from a small document made of the source's heading lines only,
rendered with the site's own Markdown extensions (toc slugify, attr_list
``{#id}``, de-duplication): cheap enough to do for every page of every
language. The full source is rendered only for a translation whose HTML has
something plain Markdown's allow-list would remove (:func:`may_have_foreign_elements`),
once per source page and process.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown as python_markdown
from mkdocs.utils.meta import get_data

from helpglot.errors import HelpglotError
from helpglot.markdown.directives import strip_directives
from helpglot.markdown.segment import parse
from helpglot.qa import sanitize, trust
from helpglot.site import readerui

HEADING_ID = re.compile(r"<h([1-6])([^>]*?)\sid=\"([^\"]+)\"")
_ATX = re.compile(r"^#{1,6}(\s|$)")
def may_have_foreign_elements(html: str) -> bool:
    """Whether the sanitiser would remove something from ``html`` without the source's trust:
    when False, what the source allows cannot matter here (and the source is not rendered)."""
    return sanitize.needs_source(html)


class SourceFacts:
    """Per-process memo of heading ids and raw HTML elements of source pages."""

    def __init__(self, docs_dir: Path, extensions: list[Any], configs: dict[str, Any]) -> None:
        self.docs_dir = docs_dir
        self.extensions = list(extensions)
        self.configs = dict(configs)
        self._md: python_markdown.Markdown | None = None
        self._ids: dict[str, list[str]] = {}
        self._foreign: dict[str, trust.SourceTrust] = {}

    def _render(self, text: str) -> str:
        if self._md is None:
            self._md = python_markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
        self._md.reset()
        return readerui.empty_header_cells(self._md.convert(text))

    def _body(self, key: str) -> str | None:
        try:
            text = (self.docs_dir / key).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        return text

    def heading_ids(self, key: str) -> list[str] | None:
        """The ids MkDocs gives the source page's headings, in order (None: no such source)."""
        if key in self._ids:
            return self._ids[key]
        text = self._body(key)
        if text is None:
            return None
        try:
            doc = parse(text, key)
        except HelpglotError:
            return None
        lines = []
        for block in doc.blocks:
            if block.kind != "heading":
                continue
            start = text.rfind("\n", 0, block.start) + 1
            end = text.find("\n", block.end)
            line = text[start: len(text) if end < 0 else end].strip()
            if not _ATX.match(line):  # setext: the underline is the next line
                line = "#" * int(block.detail or 1) + " " + line
            lines.append(line)
        ids = [m.group(3) for m in HEADING_ID.finditer(self._render("\n\n".join(lines)))] if lines else []
        self._ids[key] = ids
        return ids

    def foreign_elements(self, key: str) -> trust.SourceTrust:
        """What the rendered source page lets its translations use (its raw elements outside the
        allow-list, attributes, classes, styles, URL schemes and hosts; see helpglot.qa.trust)."""
        if key in self._foreign:
            return self._foreign[key]
        text = self._body(key)
        found = trust.EMPTY
        if text is not None:
            body, _meta = get_data(text)
            body = strip_directives(body)
            found = sanitize.source_trust(self._render(body), body)
        self._foreign[key] = found
        return found
