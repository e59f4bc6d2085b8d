"""PO files of translation work, as po4a and msgmerge users know them, through translate-toolkit.

One PO per language; one entry per block: ``msgctxt`` ``<article>#<block>`` (identical English in two
places stays two entries), ``msgid`` the English with ``{N}``/``{N}...{/N}`` placeholders for the
inline codes (explained in an extracted comment), ``msgstr`` the translation. A machine draft or a
translation made from other English is ``#, fuzzy`` (what msgmerge marks "needs review"); a
reviewed block is not. For a changed block the English it was made from is the previous msgid
(``#| msgid``), as ``msgmerge --previous`` writes it, and the earlier translation an extracted comment.
The source hash sits in an extracted comment (``#. source hash ...``), which CAT tools and msgmerge
keep. The header names the language, and on the way back ``Last-Translator`` is the reviewer.
"""

from __future__ import annotations

import re

from helpglot import __version__
from helpglot.markdown.inline import protect
from helpglot.review.exchange import codes
from helpglot.review.exchange.model import HASH, ExchangeError, ExchangeFile, Incoming, block_of
from helpglot.review.exchange.units import Article

_CONTEXT = re.compile(r"^(?P<rel>.+)#(?P<block>\d+)$")


def write(articles: list[Article], source_lang: str, lang: str) -> bytes:
    from translate.storage import pypo

    store = pypo.pofile()
    store.updateheader(add=True, Project_Id_Version=f"helpglot {__version__}", Language=lang,
                       Content_Type="text/plain; charset=UTF-8", Content_Transfer_Encoding="8bit",
                       MIME_Version="1.0", X_Generator=f"helpglot {__version__}",
                       X_Helpglot_Source_Language=source_lang)
    # no template placeholders (msgfmt --check warns about them): the export is the revision, the team
    # is the language's, and Last-Translator stays empty until the translator's tool fills it in
    created = store.parseheader().get("POT-Creation-Date")
    store.updateheader(PO_Revision_Date=created, Last_Translator="", Language_Team=lang)
    for article in articles:
        for unit in article.units:
            entry = pypo.pounit(codes.to_placeholders(unit.source))
            entry.setcontext(f"{article.rel}#{unit.block}")
            if unit.target is not None:
                entry.target = codes.to_placeholders(unit.target)
            else:  # the translation's markup differs from the source's: its Markdown, for a person to fix
                entry.target = unit.text
            entry.addlocation(f"{article.rel}:{unit.block}")
            if unit.source.spans:
                entry.addnote(f"placeholders: {codes.legend(unit.source)}", origin="developer")
            for origin, text in unit.notes():
                if origin in ("english-before", "english-after"):
                    continue  # the previous msgid says it
                entry.addnote(f"{origin}: {' '.join(text.split())}", origin="developer")
            if unit.before is not None and unit.before.strip():
                entry.prev_source = codes.to_placeholders(protect(unit.before))
            entry.markfuzzy(not unit.final)
            store.addunit(entry)
    return bytes(store)


def read(data: bytes, shown: str) -> ExchangeFile:
    from translate.storage import pypo

    try:
        store = pypo.pofile.parsestring(data)
    except Exception as exc:  # translate-toolkit raises ValueError and friends for a broken PO
        raise ExchangeError(f"{shown}: not a PO file translate-toolkit can read ({exc}); nothing was changed") \
            from None
    header = store.parseheader()
    units: list[Incoming] = []
    for entry in store.units:
        if entry.isheader() or entry.isobsolete():
            continue
        context = entry.getcontext()
        found = _CONTEXT.match(context or "")
        where = f"{shown}: entry {context or entry.source[:40]!r}"
        if found is None:
            raise ExchangeError(f"{where}: its msgctxt is not '<article>#<block>' as helpglot exports it; import "
                                "only files exported by `helpglot export`; nothing was changed")
        block = block_of(f"b{found.group('block')}", where)
        hashes = HASH.findall(entry.getnotes("developer"))
        if not hashes:
            raise ExchangeError(f"{where}: no '#. helpglot: ... source hash' comment; helpglot cannot tell which "
                                "English it was translated from; export the file again; nothing was changed")
        text = entry.target or None
        units.append(Incoming(found.group("rel"), block, hashes[0], text, not entry.isfuzzy() and text is not None,
                              where, codes="braces"))
    reviewer = (header.get("Last-Translator") or "").strip() or None
    if reviewer and "FULL NAME" in reviewer:  # the template's placeholder
        reviewer = None
    return ExchangeFile("po", header.get("X-Helpglot-Source-Language"), header.get("Language") or None,
                        tuple(units), reviewer)
