"""XLIFF 1.2 and 2.1 files of translation work, written and read with lxml.

One ``<file>`` per article (``original`` = its path under docs/), one unit per block: id ``b<N>`` (the
block number), the source hash as the unit's name (1.2 ``resname``, 2.1 ``name``; also in a note),
the English as source with inline codes (:mod:`helpglot.review.exchange.codes`), the translation as
target in the state its provenance gives: 1.2 ``final`` + ``approved="yes"`` for reviewed blocks,
``needs-review-translation`` (with ``state-qualifier="mt-suggestion"`` for a machine draft) otherwise;
2.1 ``final`` or ``translated``. Notes carry the English before and after a change, the earlier
translation, glossary terms; memory suggestions travel as 1.2 ``<alt-trans match-quality>`` or 2.1
notes. Reading accepts what CAT tools add (``mrk`` segment marks, 2.1 sub-segments) and refuses
anything that would not map back to one block.
"""

from __future__ import annotations

from lxml import etree

from helpglot import __version__
from helpglot.review.exchange import codes
from helpglot.review.exchange.model import HASH, ExchangeError, ExchangeFile, Incoming, block_of
from helpglot.review.exchange.units import Article, Unit

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FINAL_12 = ("final", "signed-off")


def write_12(articles: list[Article], source_lang: str, lang: str, copy_source: bool = False) -> bytes:
    """XLIFF 1.2. ``copy_source``: a unit that is not final gets the English as its target (state
    ``needs-translation``) and its draft as an ``<alt-trans origin="machine">``: OmegaT's built-in XLIFF
    filter (and po2xliff-style workflows) translate the *target* element's text, so a draft there would be
    translated as if it were English. On import such a target, still the English, counts as untranslated."""
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
    for article in articles:
        file = etree.SubElement(root, f"{{{NS12}}}file", original=article.rel, datatype="x-markdown")
        file.set("source-language", source_lang)
        file.set("target-language", lang)
        file.set("tool-id", "helpglot")
        header = etree.SubElement(file, f"{{{NS12}}}header")
        etree.SubElement(header, f"{{{NS12}}}tool", {"tool-id": "helpglot", "tool-name": "helpglot",
                                                     "tool-version": __version__})
        body = etree.SubElement(file, f"{{{NS12}}}body")
        for unit in article.units:
            tu = etree.SubElement(body, f"{{{NS12}}}trans-unit", id=unit.id, resname=unit.source_hash,
                                  approved="yes" if unit.final else "no")
            tu.set(XML_SPACE, "preserve")
            source = etree.SubElement(tu, f"{{{NS12}}}source")
            codes.fill_xliff12(source, unit.source.text, unit.source.spans, NS12)
            target = etree.SubElement(tu, f"{{{NS12}}}target", state="final" if unit.final
                                      else "needs-review-translation")
            copied = copy_source and not unit.final
            if copied:
                target.set("state", "needs-translation")
                codes.fill_xliff12(target, unit.source.text, unit.source.spans, NS12)
            else:
                if not unit.final and not unit.stale:
                    target.set("state-qualifier", "mt-suggestion")
                _target(unit, target, codes.fill_xliff12, NS12)
            for origin, text in unit.notes():
                etree.SubElement(tu, f"{{{NS12}}}note", {"from": origin}).text = text
            if copied:
                alt = etree.SubElement(tu, f"{{{NS12}}}alt-trans", origin="machine")
                codes.fill_xliff12(etree.SubElement(alt, f"{{{NS12}}}source"), unit.source.text, unit.source.spans,
                                   NS12)
                _target(unit, etree.SubElement(alt, f"{{{NS12}}}target"), codes.fill_xliff12, NS12)
            for s in unit.suggestions:
                alt = etree.SubElement(tu, f"{{{NS12}}}alt-trans", {"match-quality": f"{s.score:.0f}%",
                                                                    "origin": "helpglot-memory"})
                etree.SubElement(alt, f"{{{NS12}}}source").text = s.source
                etree.SubElement(alt, f"{{{NS12}}}target").text = s.target
    return _serialise(root)


def _target(unit: Unit, element: etree._Element, fill, ns: str) -> None:  # noqa: ANN001
    if unit.target is not None:
        fill(element, unit.target.text, unit.target.spans, ns)
    else:  # the translation's markup differs from the source's: it travels as its Markdown
        element.text = unit.text


def write_21(articles: list[Article], source_lang: str, lang: str) -> bytes:
    root = etree.Element(f"{{{NS20}}}xliff", nsmap={None: NS20, "mda": MDA}, version="2.1", srcLang=source_lang,
                         trgLang=lang)
    for number, article in enumerate(articles, start=1):
        file = etree.SubElement(root, f"{{{NS20}}}file", id=f"f{number}", original=article.rel)
        for unit in article.units:
            u = etree.SubElement(file, f"{{{NS20}}}unit", id=unit.id, name=unit.source_hash)
            meta = etree.SubElement(etree.SubElement(u, f"{{{MDA}}}metadata"), f"{{{MDA}}}metaGroup",
                                    category="helpglot")
            for kind, value in (("source-hash", unit.source_hash), ("block", str(unit.block)),
                                ("block-kind", unit.kind)):
                etree.SubElement(meta, f"{{{MDA}}}meta", type=kind).text = value
            notes = etree.SubElement(u, f"{{{NS20}}}notes")
            for origin, text in unit.notes():
                etree.SubElement(notes, f"{{{NS20}}}note", category=origin).text = text
            segment = etree.SubElement(u, f"{{{NS20}}}segment", id="s1", state="final" if unit.final
                                       else "translated")
            source = etree.SubElement(segment, f"{{{NS20}}}source")
            source.set(XML_SPACE, "preserve")
            codes.fill_xliff21(source, unit.source.text, unit.source.spans, NS20)
            target = etree.SubElement(segment, f"{{{NS20}}}target")
            target.set(XML_SPACE, "preserve")
            _target(unit, target, codes.fill_xliff21, NS20)
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    """The document with one structural element a line, and source/target content untouched.

    (lxml's ``pretty_print`` would indent inside a ``<source>`` that holds only an inline code, and
    with ``xml:space="preserve"`` that whitespace would become part of the translation.)"""
    content = {"source", "target", "note", "meta"}

    def walk(node: etree._Element, depth: int) -> None:
        if etree.QName(node).localname in content or len(node) == 0:
            return
        node.text = "\n" + "  " * (depth + 1)
        for child in node:
            walk(child, depth + 1)
            child.tail = "\n" + "  " * (depth + 1)
        node[-1].tail = "\n" + "  " * depth

    walk(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def read(root: etree._Element, shown: str) -> ExchangeFile:
    """The units of an XLIFF 1.2 or 2.x document (already parsed safely)."""
    name = etree.QName(root)
    if name.localname != "xliff" or name.namespace not in (NS12, NS20):
        raise ExchangeError(f"{shown}: not an XLIFF 1.2 or 2.x file (root <{name.localname}> in namespace "
                            f"{name.namespace!r}); nothing was changed")
    return _read_12(root, shown) if name.namespace == NS12 else _read_2(root, shown)


def _read_12(root: etree._Element, shown: str) -> ExchangeFile:
    ns = {"x": NS12}
    units: list[Incoming] = []
    langs: set[tuple[str | None, str | None]] = set()
    reviewer = None
    for file in root.findall("x:file", ns):
        rel = file.get("original") or ""
        langs.add((file.get("source-language"), file.get("target-language")))
        for phase in file.iterfind("x:header/x:phase-group/x:phase", ns):
            if (phase.get("process-name") or "").casefold() in ("review", "proofreading") and phase.get("contact-name"):
                reviewer = phase.get("contact-name")
        for tu in file.iterfind(".//x:trans-unit", ns):
            where = f"{shown}: unit {tu.get('id')} of {rel}"
            block = block_of(tu.get("id"), where)
            source_hash = _hash(tu.get("resname"), [n.text or "" for n in tu.findall("x:note", ns)], where)
            target = tu.find("x:target", ns)
            text = None
            if target is not None:
                try:
                    text = codes.read_xliff(target, "1.2")
                except codes.CodesBroken as exc:
                    raise ExchangeError(f"{where}: {exc.message}; fix the tags in the CAT tool; nothing was "
                                        "changed") from None
            state = target.get("state") if target is not None else None
            source = tu.find("x:source", ns)
            if text is not None and source is not None and state in (None, "new", "needs-translation") \
                    and tu.get("approved") != "yes" and text == codes.read_xliff(source, "1.2"):
                text = None  # the English copied as target (`export --copy-source`, po2xliff): untranslated
            # approved="yes" is 1.2's own "final / passed its final review" (translate-toolkit and Weblate
            # approve that way, leaving state alone); a final or signed-off state says the same
            final = tu.get("approved") == "yes" or state in FINAL_12
            units.append(Incoming(rel, block, source_hash, text or None, final, where))
    source_lang, target_lang = _one_pair(langs, shown)
    return ExchangeFile("xliff-1.2", source_lang, target_lang, tuple(units), reviewer)


def _read_2(root: etree._Element, shown: str) -> ExchangeFile:
    ns = {"x": NS20, "mda": MDA}
    units: list[Incoming] = []
    for file in root.findall("x:file", ns):
        rel = file.get("original") or ""
        for u in file.iterfind(".//x:unit", ns):
            where = f"{shown}: unit {u.get('id')} of {rel}"
            block = block_of(u.get("id"), where)
            metas = [m.text or "" for m in u.iterfind(".//mda:meta[@type='source-hash']", ns)]
            notes = [n.text or "" for n in u.iterfind("x:notes/x:note", ns)]
            source_hash = _hash(u.get("name") or (metas[0] if metas else None), notes, where)
            parts: list[str] = []
            states: list[str] = []
            missing = False
            for part in u:
                if not isinstance(part.tag, str):
                    continue
                local = etree.QName(part).localname
                if local not in ("segment", "ignorable"):
                    continue
                target = part.find("x:target", ns)
                if local == "segment":
                    states.append(part.get("state") or "initial")
                    if target is None:
                        missing = True
                        continue
                holder = target if target is not None else part.find("x:source", ns)
                try:
                    parts.append(codes.read_xliff(holder, "2.1") if holder is not None else "")
                except codes.CodesBroken as exc:
                    raise ExchangeError(f"{where}: {exc.message}; fix the tags in the CAT tool; nothing was "
                                        "changed") from None
            text = None if missing else "".join(parts)
            final = bool(states) and all(s == "final" for s in states)
            units.append(Incoming(rel, block, source_hash, text or None, final, where))
    return ExchangeFile("xliff-2.1", root.get("srcLang"), root.get("trgLang"), tuple(units))


def _hash(named: str | None, notes: list[str], where: str) -> str:
    if named and len(named) == 12 and all(c in "0123456789abcdef" for c in named):
        return named
    for note in notes:
        found = HASH.search(note)
        if found:
            return found.group(1)
    raise ExchangeError(f"{where}: no source hash (the unit's resname/name, or the helpglot note); helpglot "
                        "cannot tell which English it was translated from; export the file again; nothing was "
                        "changed")


def _one_pair(langs: set, shown: str) -> tuple[str | None, str | None]:
    if len(langs) > 1:
        raise ExchangeError(f"{shown}: its <file> elements name different languages "
                            f"({', '.join(sorted(f'{a}->{b}' for a, b in langs))}); import one language per file; "
                            "nothing was changed")
    return next(iter(langs), (None, None))
