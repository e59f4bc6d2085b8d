"""Terms read from a translation style guide written in Markdown (``helpglot glossary import
GUIDE.md --lang L``), the way teams keep them for translators and for translation robots.

A team moving its style guides into a term base should not retype them. The guides that real
projects write (FastAPI's ``docs/<lang>/llm-prompt.md`` are five of them) share a shape:

- a heading or a paragraph that announces terms ("Preferred translations / glossary", "For the
  following technical terms, use these translations", "List of English terms ..."); the list
  items under it, up to the next heading, are ``term: rendering`` lines;
- a term may carry its sense in brackets (``request (as in HTTP request)``, ``mount (noun)``),
  an English article or infinitive marker (``the header``, ``to commit``): the sense becomes the
  term's note, the marker goes (and the rendering's article with it: ``der Header`` → ``Header``);
- a rendering may carry a note in brackets: ``(do not translate to "marco")`` and
  ``(avoid "инстанцировать")`` name deprecated renderings, ``(or `начать использовать`)``,
  ``translate as `x` or `y``` and ``... are also fine`` name admitted ones; ``NOT der
  Standardwert`` as the whole rendering is a deprecated one; ``a / b`` gives an admitted ``b``;
- a rendering equal to the term (``path operation: path operation (do not translate)``) is a
  *keep in English* rule for that language, and so is prose such as "Do not translate technical
  terms like path, route, request, ... keep them as is".

What is not a term is left out: lines whose term starts with a sign (``/// tip: ...``, the
titles of admonitions), holds code (backticks) or placeholders (``FastAPI's X``), or runs past
six words (a sentence, not a term). The same term twice in one guide (two senses) keeps the
first rendering as preferred and admits the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpglot.errors import ContentError
from helpglot.settings import Settings
from helpglot.terms.exchange import Imported

_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_ITEM = re.compile(r"^\s*[*+-]\s+(.+?)\s*$")
# an announcing heading or paragraph: it talks about terms, translations or a glossary
_ANNOUNCE = re.compile(r"\b(terms?|glossary|translations?)\b", re.I)
_SPLIT = re.compile(r"\s*(?<![:/])\s:\s+|(?<=[^\s:]):\s+")  # "term : rendering" or "term: rendering"
_SENSE = re.compile(r"\s*\(([^()]*)\)\s*")
_QUOTED = r"(?:\"[^\"]+\"|“[^”]+”|`[^`]+`|«[^»]+»|'[^']+')"
_DEPRECATED = re.compile(r"(?:do not translate to|don't translate to|do not use|avoid|\bnot)\s+("
                         + _QUOTED + r"(?:\s*(?:,|or|and)\s*" + _QUOTED + r")*)", re.I)
_ADMITTED = re.compile(r"(?:\bor(?: use)?(?: just)?|also possible to use|translate as|\buse(?: just)?)\s+("
                       + _QUOTED + r"(?:\s*(?:,|or|and)\s*" + _QUOTED + r")*)", re.I)
_ALSO_FINE = re.compile(r"(" + _QUOTED + r"(?:\s*(?:,|or|and)\s*" + _QUOTED + r")*)\s+are also (?:fine|possible)",
                        re.I)
_KEEP_PROSE = re.compile(r"(?:do not|don't|never) translate [^.]*?\b(?:like|such as|e\.g\.)\s+([^.]+?)"
                         r"(?:,?\s*(?:keep|leave)\b[^.]*)?(?:\.|$)", re.I)
_PLACEHOLDER = re.compile(r"\b[XYZN]\b|`")  # "FastAPI's X", "`foo` as a `type`"
_EN_ARTICLE = re.compile(r"^(?:the|a|an|to)\s+", re.I)
# an article a guide puts before a noun's rendering so translators can decline it
_TARGET_ARTICLE = re.compile(r"^(?:der|die|das|den|dem|des|el|la|los|las|le|les|il|lo|gli)\s+(?=\S)", re.I)
MAX_WORDS = 6


@dataclass(frozen=True)
class GuideTerm:
    """One ``term: rendering`` of a guide, parsed (line is where it stands in the guide)."""

    source: str
    preferred: str | None  # None: the line names only deprecated renderings ("NOT der Standardwert")
    admitted: tuple[str, ...]
    deprecated: tuple[str, ...]
    sense: str | None
    line: int


def _unquote(text: str) -> list[str]:
    return [m.strip("\"“”`«»' ").strip() for m in re.findall(_QUOTED, text)]


def _clean_target(text: str, drop_article: bool) -> str:
    text = text.strip().strip("«»“”\"").strip()
    return _TARGET_ARTICLE.sub("", text) if drop_article else text


def parse_item(body: str, line: int) -> GuideTerm | None:
    """One list item as a term, or None when it is not one (see the module docstring)."""
    parts = _SPLIT.split(body, maxsplit=1)
    if len(parts) != 2:
        return None
    raw_en, raw_target = parts[0].strip(), parts[1].strip()
    if not raw_en or not raw_target or not raw_en[0].isalnum() or _PLACEHOLDER.search(raw_en):
        return None
    senses = _SENSE.findall(raw_en)
    en = _SENSE.sub(" ", raw_en).strip()
    had_article = bool(_EN_ARTICLE.match(en))
    en = _EN_ARTICLE.sub("", en).strip()
    if not en or len(en.split()) > MAX_WORDS or (en.endswith(".") and len(en.split()) > 3):
        return None
    # the rendering and its note: "rendering (note)" with the note's own brackets kept
    note = ""
    m = re.search(r"\s*\((.*)\)\s*$", raw_target)
    target = raw_target
    if m:
        note, target = m.group(1), raw_target[: m.start()].strip()
    deprecated: list[str] = []
    admitted: list[str] = []
    preferred: str | None
    if re.match(r"^NOT\s+", target):
        deprecated.append(_clean_target(target[4:], had_article))
        preferred = None
    else:
        alternatives = [a for a in re.split(r"\s+/\s+", target) if a.strip()]
        if not alternatives:
            return None
        preferred = _clean_target(alternatives[0], had_article)
        admitted += [_clean_target(a, had_article) for a in alternatives[1:]]
        if not preferred or "`" in preferred:
            return None
    for found in _DEPRECATED.findall(note):
        deprecated += _unquote(found)
    for found in _ADMITTED.findall(note) + _ALSO_FINE.findall(note):
        admitted += [a for a in _unquote(found) if a not in deprecated]
    keep = {preferred} if preferred else set()
    admitted = [a for a in dict.fromkeys(admitted) if a and a not in keep and "(" not in a]
    deprecated = [d for d in dict.fromkeys(deprecated) if d and d not in keep and d not in admitted]
    sense = "; ".join(s.strip() for s in senses if s.strip()) or None
    return GuideTerm(en, preferred, tuple(admitted), tuple(deprecated), sense, line)


def _keep_prose(paragraph: str, line: int) -> list[GuideTerm]:
    """'Do not translate technical terms like path, route, ... and header, keep them as is.'"""
    found: list[GuideTerm] = []
    for m in _KEEP_PROSE.finditer(paragraph):
        for word in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group(1)):
            word = word.strip().strip("\"'`“”«»")
            if word and len(word.split()) <= MAX_WORDS and word[0].isalnum():
                found.append(GuideTerm(word, word, (), (), None, line))
    return found


def parse_guide(text: str) -> list[GuideTerm]:
    """Every term of one guide, in order (see the module docstring for what counts)."""
    found: list[GuideTerm] = []
    in_terms = False
    paragraph: list[str] = []
    para_line = 0
    fence = False

    def flush() -> None:
        nonlocal in_terms, paragraph
        if paragraph:
            joined = " ".join(paragraph)
            found.extend(_keep_prose(joined, para_line))
            if _ANNOUNCE.search(joined):
                in_terms = True
        paragraph = []

    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            flush()
            continue
        if fence:
            continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            in_terms = bool(_ANNOUNCE.search(heading.group(1)))
            continue
        item = _ITEM.match(line)
        if item:
            flush()
            if in_terms:
                term = parse_item(item.group(1), number)
                if term is not None:
                    found.append(term)
            continue
        if not stripped:
            flush()
            continue
        if not paragraph:
            para_line = number
        paragraph.append(stripped)
    flush()
    return found


def as_items(terms: list[GuideTerm], lang: str, src: str = "en") -> list[tuple[dict, int]]:
    """The guide's terms in the glossary's YAML shape for one language, with their guide line:
    one entry per term (its senses merged: the first rendering preferred, the others admitted),
    and no rendering both preferred/admitted and deprecated."""
    merged: dict[str, dict] = {}
    for t in terms:
        key = t.source.casefold()
        entry = merged.setdefault(key, {"source": t.source, "preferred": None, "admitted": [], "deprecated": [],
                                        "senses": [], "line": t.line})
        if t.preferred:
            if entry["preferred"] is None:
                entry["preferred"] = t.preferred
            else:
                entry["admitted"].append(t.preferred)
        entry["admitted"] += t.admitted
        entry["deprecated"] += t.deprecated
        if t.sense:
            entry["senses"].append(t.sense)
    out: list[tuple[dict, int]] = []
    for entry in merged.values():
        preferred = entry["preferred"]
        if preferred is None:
            continue  # only "NOT x" lines and no rendering to prefer: nothing a check can ask for
        admitted = [a for a in dict.fromkeys(entry["admitted"]) if a != preferred]
        deprecated = [d for d in dict.fromkeys(entry["deprecated"]) if d != preferred and d not in admitted]
        value: dict | str = preferred
        if admitted or deprecated:
            value = {"preferred": preferred}
            if admitted:
                value["admitted"] = admitted
            if deprecated:
                value["deprecated"] = deprecated
        item: dict = {src: entry["source"], "translations": {lang: value}}
        if entry["senses"]:
            item["note"] = "; ".join(dict.fromkeys(entry["senses"]))
        out.append((item, entry["line"]))
    return out


def read(data: bytes, shown: str, lang: str, settings: Settings) -> list[Imported]:
    """A guide as import rows for one target language (``helpglot glossary import GUIDE.md --lang L``)."""
    if lang not in settings.targets:
        raise ContentError(f"{shown}: --lang {lang} is not a translation language of this site "
                           f"({', '.join(settings.targets)})")
    return [Imported(item, line, True) for item, line in as_items(read_guide(data, shown), lang, settings.source_lang)]


def read_guide(data: bytes, shown: str) -> list[GuideTerm]:
    """A guide file's terms; not UTF-8 or no term at all is an error naming the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(f"{shown}:{line}: not UTF-8; save the guide as UTF-8") from None
    terms = parse_guide(text)
    if not terms:
        raise ContentError(f"{shown}: no term found; a guide lists terms as '* term: rendering' lines under a "
                           "heading or paragraph that mentions terms, translations or a glossary")
    return terms
