"""``frontmatter``: the translation's front matter is valid, titled and honest about its source.

The title is what navigation, search results and the browser tab show: a
missing or untranslated one is visible on every page that links to the article.
The ``helpglot:`` provenance drives ``status`` and ``sync``; one that names
another source or lists a different number of blocks than the translation has
makes every freshness answer wrong, so it is checked against the file itself
(the block count only when the body has the source's block count: otherwise
the body is what is wrong, and ``structure`` says where).
(Broken YAML stops the segmenter; ``helpglot check`` reports that as a
``frontmatter`` finding before any check runs.)
"""

from __future__ import annotations

from collections.abc import Iterator

from helpglot.errors import ContentError
from helpglot.qa.checks.base import ERROR, Finding, Pair
from helpglot.tracking import provenance


class FrontMatterCheck:
    id = "frontmatter"
    name = "Front matter"
    severity = ERROR
    description = ("Valid YAML, a translated title where the source has one, provenance that matches the source "
                   "and the block count.")

    def _finding(self, pair: Pair, line: int, message: str, block: int | None = None) -> Finding:
        return Finding(self.id, self.severity, pair.path, line, message, block)

    def run(self, pair: Pair) -> Iterator[Finding]:
        src_title = next((b for b in pair.source.blocks if b.kind == "meta" and b.detail == "title"), None)
        title = next((b for b in pair.translation.blocks if b.kind == "meta" and b.detail == "title"), None)
        if title is None and src_title is not None:  # only what the source has is required
            yield self._finding(pair, 1, f"no 'title' in the front matter; add the translated title of "
                                f"'{src_title.text}'")
        elif src_title is not None and title.text.strip() == src_title.text.strip():
            dnt = {t.source.casefold() for t in pair.glossary if getattr(t, "dnt", False)}
            if title.text.strip().casefold() not in dnt:
                yield self._finding(pair, title.line, f"title '{title.text}' is the source's; translate it",
                                    title.index + 1)
        try:
            prov = provenance.read(pair.translation)
        except ContentError as exc:
            yield self._finding(pair, provenance.key_line(pair.translation), str(exc))
            return
        if prov is None:
            return
        line = provenance.key_line(pair.translation)
        rel = pair.extra.get("source_rel", pair.source_path)
        if prov.source != rel:
            yield self._finding(pair, line, f"provenance source is '{prov.source}' but this file translates "
                                f"'{rel}'; fix helpglot.source")
        # a body that lost or gained blocks is structure's finding; this one is for a stale provenance
        count = len(pair.translation.blocks)
        if len(prov.blocks) != count and count == len(pair.source.blocks):
            yield self._finding(pair, line, f"provenance lists {len(prov.blocks)} blocks but the translation has "
                                f"{len(pair.translation.blocks)}; run `helpglot adopt {pair.path}` after fixing "
                                "the structure")
