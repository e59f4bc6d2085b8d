"""The term base in the formats translators and tools exchange: TBX, CSV, DeepL.

Terminologists keep terms in CAT tools (TBX), reviewers in spreadsheets (CSV),
and DeepL wants its own entry list; ``glossary/*.yml`` stays the one source of
truth, and these formats go out and come back through here.

TBX (ISO 30042:2019, TBX-Basic, DCA style): ``tbx/text/body/conceptEntry`` with
one ``langSec`` per language and one ``termSec`` per rendering, its
``termNote type="administrativeStatus"`` ``preferredTerm-admn-sts``,
``admittedTerm-admn-sts`` or ``deprecatedTerm-admn-sts``. A term's note is a
concept-level ``note``; a do-not-translate term carries the concept-level note
``dnt: do not translate`` (TBX-Basic has no data category for it; the text reads
right in any tool and is recognised exactly on import). A glossary synonym (``synonyms:``,
the words readers type, search only) is a ``termSec`` of its language after the renderings,
with ``termNote type="termType"`` ``variant`` and the note ``search synonym: what readers
type, not a rendering``: a CAT tool shows it as a variant with that note, and import
recognises the note exactly (it is never read as an admitted rendering). Import also reads TBX v2
(``martif/termEntry/langSet/tig|ntig``); a ``termSec`` without a status is the
preferred rendering when it comes first and admitted otherwise; ``es-ES`` counts
as ``es`` when the site has ``es`` and not ``es-ES``.

CSV: UTF-8 *with* a byte-order mark, because Excel reads a BOM-less UTF-8 CSV as
the local code page and turns "sąskaita" and "счёт" into mojibake (LibreOffice,
Numbers and Google Sheets accept the BOM; import accepts both). Header
``en, note, dnt, es, es_admitted, es_deprecated, ...``; ``dnt`` is ``yes`` or
empty; a term base with synonyms adds ``synonyms`` (after ``dnt``) and ``es_synonyms``
(after ``es_deprecated``) columns, which import also accepts in any file; lists are joined
with ``"; "`` (so a rendering cannot contain one). A cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written with a ``'`` in front, so a
spreadsheet shows it as text instead of running it as a formula (``=HYPERLINK(...)`` in a
term a translator sent); import takes that ``'`` off again.

TBX import refuses a DOCTYPE (and so entity declarations): a term base never needs one,
and nested entities are how a 1 KB file expands to gigabytes. Text is collected in
lists and joined once per element, so a long text costs linear time.

DeepL: the TSV entries of one language pair (``source<TAB>target``), preferred
renderings only and dnt terms mapped to themselves, exactly what the DeepL
engine sends (:func:`helpglot.terms.glossary.pair`).
"""

from __future__ import annotations

import csv
import io
import xml.parsers.expat
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from helpglot.errors import ContentError, HelpglotError
from helpglot.settings import Settings
from helpglot.terms import glossary as g

DNT_NOTE = "dnt: do not translate"
SYNONYM_NOTE = "search synonym: what readers type, not a rendering"
STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
          "deprecated": "deprecatedTerm-admn-sts"}
_TRUE, _FALSE = {"yes", "y", "true", "1", "x"}, {"", "no", "n", "false", "0"}
SEP = "; "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet cannot run: a leading formula character is quoted with ``'``."""
    return "'" + value if value.startswith(_FORMULA) else value


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


# ---------------------------------------------------------------- export


def to_tbx(terms: list[g.Term], settings: Settings, langs: tuple[str, ...]) -> bytes:
    src = settings.source_lang
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<tbx type="TBX-Basic" style="dca" xml:lang={quoteattr(src)} xmlns="urn:iso:std:iso:30042:ed-2">',
           "  <tbxHeader>", "    <fileDesc>",
           f"      <sourceDesc><p>helpglot term base ({escape(settings.rel(settings.glossary_dir))})</p></sourceDesc>",
           "    </fileDesc>", "  </tbxHeader>", "  <text>", "    <body>"]

    def term_sec(text: str, status: str) -> list[str]:
        if status == "synonym":
            return ["        <termSec>", f"          <term>{escape(text)}</term>",
                    '          <termNote type="termType">variant</termNote>', f"          <note>{SYNONYM_NOTE}</note>",
                    "        </termSec>"]
        return ["        <termSec>", f"          <term>{escape(text)}</term>",
                f'          <termNote type="administrativeStatus">{STATUS[status]}</termNote>', "        </termSec>"]

    for n, term in enumerate(g.rules(terms), start=1):  # (search_only terms are no rule for a CAT tool)
        out.append(f'      <conceptEntry id="c{n}">')
        if term.dnt:
            out.append(f"        <note>{DNT_NOTE}</note>")
        if term.note:
            out.append(f"        <note>{escape(term.note)}</note>")
        out.append(f"        <langSec xml:lang={quoteattr(src)}>")
        out += [" " * 2 + line for line in term_sec(term.source, "preferred")]
        for synonym in term.synonyms:
            out += [" " * 2 + line for line in term_sec(synonym, "synonym")]
        out.append("        </langSec>")
        for lang in langs:
            if lang not in term.preferred:
                continue
            out.append(f"        <langSec xml:lang={quoteattr(lang)}>")
            rows = [(term.preferred[lang], "preferred")]
            rows += [(a, "admitted") for a in term.admitted.get(lang, ())]
            rows += [(d, "deprecated") for d in term.deprecated.get(lang, ())]
            rows += [(w, "synonym") for w in term.reader_words.get(lang, ())]
            for text, status in rows:
                out += [" " * 2 + line for line in term_sec(text, status)]
            out.append("        </langSec>")
        out.append("      </conceptEntry>")
    out += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(out).encode("utf-8")


def csv_header(settings: Settings, langs: tuple[str, ...], synonyms: bool = False) -> list[str]:
    extra = ("_synonyms",) if synonyms else ()
    return [settings.source_lang, "note", "dnt", *(("synonyms",) if synonyms else ())] + [
        f"{lang}{s}" for lang in langs for s in ("", "_admitted", "_deprecated", *extra)]


def to_csv(terms: list[g.Term], settings: Settings, langs: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rules = g.rules(terms)
    synonyms = any(t.synonyms or t.reader_words for t in rules)  # (no empty columns for term bases without)
    writer.writerow(csv_header(settings, langs, synonyms))
    for term in rules:
        row = [_cell(term.source), _cell(term.note or ""), "yes" if term.dnt else ""]
        lists = [term.synonyms] if synonyms else []
        for lang in langs:
            lists += [(term.preferred[lang],) if lang in term.preferred else (),
                      term.admitted.get(lang, ()), term.deprecated.get(lang, ())]
            lists += [term.reader_words.get(lang, ())] if synonyms else []
        for values in lists:
            bad = next((v for v in values if SEP.strip() in v), None)
            if bad:
                raise HelpglotError(f"{term.path}:{term.line}: '{bad}' contains ';', which CSV export uses "
                                    "to join renderings; use TBX for this term base")
            row.append(_cell(SEP.join(values)))
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_deepl(terms: list[g.Term], settings: Settings, lang: str) -> bytes:
    pair = g.pair(terms, settings.source_lang, lang)
    entries = pair.entries if pair else ()
    return "".join(f"{s}\t{t}\n" for s, t in entries).encode("utf-8")


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class Imported:
    """One term read from a file, in the YAML shape, with where it came from."""

    item: dict
    line: int
    decides_dnt: bool  # dnt marked, or translations given (then it is not dnt); else keep the old flag


def _lang(code: str, settings: Settings, where: str) -> str:
    if code in settings.codes:
        return code
    base = code.split("-")[0].split("_")[0].lower()
    if base in settings.codes:
        return base
    raise ContentError(f"{where}: language '{code}' is not a language of this site "
                       f"({', '.join(settings.codes)})")


def read_csv(data: bytes, shown: str, settings: Settings) -> list[Imported]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{shown}:1: not UTF-8 (byte {exc.start}); save the CSV as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    src = settings.source_lang
    if not header or header[0].strip() != src:
        example = ", ".join(csv_header(settings, settings.targets[:1]))
        raise ContentError(f"{shown}:1: the first column must be '{src}' (header like: {example}, ...)")
    columns: list[tuple[str, str]] = []  # (field, lang) per column
    for name in (h.strip() for h in header):
        if name in (src, "note", "dnt", "synonyms"):
            columns.append((name, ""))
            continue
        lang, _, kind = name.partition("_")
        if kind not in ("", "admitted", "deprecated", "synonyms"):
            raise ContentError(f"{shown}:1: unknown column '{name}' (use LANG, LANG_admitted, LANG_deprecated, "
                               "LANG_synonyms)")
        columns.append((kind or "preferred", _lang(lang, settings, f"{shown}:1")))
    out: list[Imported] = []
    end = reader.line_num
    for row in reader:
        line, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise ContentError(f"{shown}:{line}: {len(row)} cells but {len(columns)} columns in the header")
        item: dict = {}
        marked = False
        translations: dict[str, dict] = {}
        for (name, lang), cell in zip(columns, row, strict=False):
            cell = _uncell(cell.strip())
            if name == src:
                item[src] = cell
            elif name == "note":
                if cell:
                    item["note"] = cell
            elif name == "synonyms" and not lang:
                if cell:
                    item["synonyms"] = [v.strip() for v in cell.split(";") if v.strip()]
            elif name == "dnt":
                if cell.lower() not in _TRUE | _FALSE:
                    raise ContentError(f"{shown}:{line}: dnt '{cell}': write 'yes' or leave it empty")
                item["dnt"] = cell.lower() in _TRUE
                marked = item["dnt"]
            elif cell:
                value: str | list[str] = cell if name == "preferred" else [v.strip() for v in cell.split(";")]
                translations.setdefault(lang, {})[name] = value
        if translations:
            item["translations"] = translations
        out.append(Imported(item, line, marked or "translations" in item))
    return out


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""
    chunks: list[str] = field(default_factory=list)  # joined into text at the end tag (linear)

    def find(self, *tags: str) -> list[_Node]:
        return [c for c in self.children if c.tag in tags]


class _Refused(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def _parse_xml(data: bytes, shown: str) -> _Node:
    """A small tree with line numbers (ElementTree has none), namespaces dropped."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    root = _Node("", {}, 1)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag.split(" ")[-1], {k.split(" ")[-1]: v for k, v in attrs.items()}, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        node.text, node.chunks = "".join(node.chunks), []

    def chars(text: str) -> None:
        stack[-1].chunks.append(text)

    def doctype(name: str, *_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, f"a DOCTYPE (<!DOCTYPE {name} ...>)")

    def entity(name: str, *_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, f"an entity declaration (<!ENTITY {name} ...>)")

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.StartDoctypeDeclHandler, parser.EntityDeclHandler = doctype, entity
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise ContentError(f"{shown}:{exc.line}: {exc.what} is not accepted in a TBX file (entities can expand a "
                           "small file without end); export the term base again without it") from None
    except xml.parsers.expat.ExpatError as exc:
        raise ContentError(f"{shown}:{exc.lineno}: not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)})"
                           ) from None
    if not root.children or root.children[0].tag not in ("tbx", "martif"):
        raise ContentError(f"{shown}:1: not a TBX file (the root element must be <tbx> or <martif>)")
    return root.children[0]


def _walk(node: _Node, *tags: str) -> list[_Node]:
    found = []
    for child in node.children:
        found += [child] if child.tag in tags else _walk(child, *tags)
    return found


def read_tbx(data: bytes, shown: str, settings: Settings) -> list[Imported]:
    root = _parse_xml(data, shown)
    src = settings.source_lang
    out: list[Imported] = []
    for entry in _walk(root, "conceptEntry", "termEntry"):
        where = f"{shown}:{entry.line}"
        notes = [n.text.strip() for n in entry.find("note") if n.text.strip()]
        notes += [d.text.strip() for d in entry.find("descrip") if d.attrs.get("type") == "definition"]
        dnt = DNT_NOTE in notes
        item: dict = {src: ""}
        rest = [n for n in notes if n != DNT_NOTE]
        if rest:
            item["note"] = rest[0]
        translations: dict[str, dict] = {}
        for sec in entry.find("langSec", "langSet"):
            code = sec.attrs.get("lang", "")
            lang = _lang(code, settings, f"{shown}:{sec.line}")
            ranked: dict[str, list[str]] = {"preferred": [], "admitted": [], "deprecated": [], "synonyms": []}
            for tsec in sec.find("termSec", "tig", "ntig"):
                terms = _walk(tsec, "term")
                if not terms or not terms[0].text.strip():
                    raise ContentError(f"{shown}:{tsec.line}: empty or missing <term>")
                if any(n.text.strip() == SYNONYM_NOTE for n in _walk(tsec, "note")):
                    ranked["synonyms"].append(" ".join(terms[0].text.split()))
                    continue
                status = next((n.text.strip() for n in _walk(tsec, "termNote")
                               if n.attrs.get("type") == "administrativeStatus"), "")
                kind = next((k for k, v in STATUS.items() if v == status), None)
                if status and kind is None:
                    raise ContentError(f"{shown}:{tsec.line}: unknown administrativeStatus '{status}' "
                                       f"(use {', '.join(STATUS.values())})")
                kind = kind or ("admitted" if ranked["preferred"] else "preferred")
                ranked[kind].append(" ".join(terms[0].text.split()))
            if lang == src:
                if not ranked["preferred"]:
                    raise ContentError(f"{shown}:{sec.line}: no {src} term")
                item[src] = ranked["preferred"][0]
                if ranked["synonyms"]:
                    item["synonyms"] = ranked["synonyms"]
                continue
            if not ranked["preferred"] and (ranked["admitted"] or ranked["deprecated"]):
                raise ContentError(f"{shown}:{sec.line}: {lang}: admitted or deprecated terms but no preferred one")
            value: dict = {"preferred": ranked["preferred"][0]} if ranked["preferred"] else {}
            admitted = ranked["admitted"] + ranked["preferred"][1:]
            if admitted:
                value["admitted"] = admitted
            if ranked["deprecated"]:
                value["deprecated"] = ranked["deprecated"]
            if ranked["synonyms"]:
                value["synonyms"] = ranked["synonyms"]
            if value:
                translations[lang] = value
        if not item[src]:
            raise ContentError(f"{where}: the entry has no '{src}' term")
        if dnt:
            item["dnt"] = True
            # tools that fill every language copy a dnt term into each: that is no translation
            translations = {k: v for k, v in translations.items() if v != {"preferred": item[src]}}
        if translations:
            item["translations"] = translations
        out.append(Imported(item, entry.line, dnt or bool(translations)))
    return out


def read(path: str, data: bytes, settings: Settings) -> list[Imported]:
    """Read an import file, detected by extension (.tbx/.xml or .csv)."""
    low = path.lower()
    if low.endswith((".tbx", ".xml")):
        return read_tbx(data, path, settings)
    if low.endswith(".csv"):
        return read_csv(data, path, settings)
    raise HelpglotError(f"{path}: unknown format; name it .tbx (or .xml) or .csv")
