"""``markup``: what readers click, copy or the site renders survives translation.

Inline code is copied into terminals, link targets decide where a reader lands,
attr_list ids are what other pages' ``#anchors`` point at, and ``{{ product }}``
placeholders are filled in at build time: a translation may move them but not
change, drop or invent them. Each aligned block pair is compared through the
same :func:`helpglot.markdown.inline.protect` spans the engines see, so the check agrees
with what ``helpglot translate`` protects. A link may also point at the same
page in this language (``/es/x/`` for ``/x/``). Fenced code blocks are compared
body for body when both sides have as many (a differing count is ``structure``'s).
A link target that ``safety`` reports (``javascript:``, a foreign domain) is left
to it, so one bad link is one finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

from helpglot.markdown.segment import Block, Document
from helpglot.qa.checks import codes, fences, spans, target, wiki
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.qa.checks.safety import localized_domains, source_domains, unsafe_target

_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_INCLUDE = re.compile(r"^[ \t>]*\{\*\s*(.+?)\s*\*\}[ \t]*$", re.M)  # FastAPI-style code includes
_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\n]|\[[^\]\n]*\])+)\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_ANCHOR = re.compile(r"`[^`]+`|\d+(?:\.\d+)*|[A-Za-z][\w.-]{2,}")
_ATTR_ID = re.compile(r"\{[^}\n]*?#([\w:.-]+)[^}\n]*\}")


def _line_end(doc: Document, block: Block) -> str:
    """The block plus the rest of its last line, where a heading's ``{#id}`` lives."""
    end = doc.text.find("\n", block.end)
    return doc.text[block.start : len(doc.text) if end < 0 else end]


def _localised(src: str, tr: str, lang: str, prefixes: tuple[str, ...] = ()) -> bool:
    """``tr`` is ``src`` or the same page under this language's folder (or a prefix the project's
    ``checks.localized_links`` names, e.g. ``https://example.com/{lang}/`` for ``https://example.com/``)."""
    if src == tr:
        return True
    for prefix in (f"/{lang}/", f"{lang}/", f"../{lang}/"):
        if tr.startswith(prefix) and tr[len(prefix) :] == src.lstrip("/"):
            return True
    for pattern in prefixes:
        if pattern.endswith("*"):  # "https://{lang}.wikipedia.org/wiki/*": the article's name is translated too
            stem = pattern[:-1]
            for source_lang in ("en", ""):
                plain_stem = stem.replace("{lang}.", f"{source_lang}." if source_lang else "").replace(
                    "{lang}/", f"{source_lang}/" if source_lang else "")
                if src.startswith(plain_stem) and tr.startswith(stem.replace("{lang}", lang)):
                    return True
            continue
        local, plain_prefix = pattern.replace("{lang}", lang), pattern.replace("{lang}/", "").replace("{lang}", "")
        # "https://x.com" and "https://x.com/" are one page, as are ".../es" and ".../es/"
        a, b = src if src.endswith("/") or "#" in src or "?" in src else src + "/", \
            tr if tr.endswith("/") or "#" in tr or "?" in tr else tr + "/"
        if b.startswith(local) and a.startswith(plain_prefix) and b[len(local) :] == a[len(plain_prefix) :]:
            return True
    return False


_TITLE = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+\{[^}]*\})?[ \t]*$", re.M)


def _stems(text: str) -> set[str]:
    """Word beginnings of a link text or title (5 letters), to compare a link text with a page title."""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return {w.casefold()[:5] for w in words} | ({text.strip().casefold()} if text.strip() else set())


def _page_title(pair: Pair, target_: str) -> set[str]:
    """The words of the title of the page a relative link goes to, in this translation (or the
    source when the page is not translated): "Тестирование" for ``../tutorial/testing.md``."""
    root = getattr(pair.settings, "root", None)
    if root is None or "://" in target_ or not target_.split("#")[0].endswith(".md"):
        return set()
    here = (Path(root) / pair.path).parent
    page = (here / target_.split("#")[0]).resolve()
    source = (Path(root) / pair.source_path).parent / target_.split("#")[0]
    for path in (page, source.resolve()):
        try:
            m = _TITLE.search(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if m:
            return _stems(m.group(1))
    return set()


def _diff(name: str, src: list[str], tr: list[str]) -> str | None:
    """"inline code `a` changed to `b`" style text for two multisets, or None if equal."""
    if src == tr:  # (most blocks: nothing of the kind, or the same in the same order)
        return None
    lost = list((Counter(src) - Counter(tr)).elements())
    added = list((Counter(tr) - Counter(src)).elements())
    if not lost and not added:
        return None
    if lost and added:
        return f"{name} {', '.join(lost)} changed to {', '.join(added)}"
    if lost:
        return f"{name} {', '.join(lost)} missing"
    return f"{name} {', '.join(added)} added"


def _formatting_only(src: list[str], tr: list[str], source_doc: str, tr_text: str) -> tuple[list[str], list[str]]:
    """Inline code that only changed formatting is left out: code a translation adds around a word
    the source has (the source writes yield, the translation `yield`), and code whose text the
    translation still has without backticks. What was lost or changed is kept."""
    if src == tr:  # nothing lost or added: both sides are what they share, in the source's order
        common = list(Counter(src).elements())
        return common, list(common)
    lost = list((Counter(src) - Counter(tr)).elements())
    added = list((Counter(tr) - Counter(src)).elements())
    if lost and added:
        return src, tr  # something changed into something else: compare everything
    inner = [x.strip("`").strip() for x in added]
    keep_added = [x for x, word in zip(added, inner, strict=True) if word.casefold() not in source_doc.casefold()]
    prose = _INLINE_CODE.sub(" ", tr_text)  # the code's text written as a word, outside code
    keep_lost = [x for x in lost
                 if not re.search(rf"(?<![\w.]){re.escape(x.strip('`').strip())}(?![\w])", prose)]
    common = list((Counter(src) & Counter(tr)).elements())
    return common + keep_lost, common + keep_added


class MarkupCheck:
    id = "markup"
    name = "Code, links, ids and placeholders"
    severity = ERROR
    description = ("Code blocks, inline code, link and image targets, attr_list ids and {{ placeholders }} "
                   "identical to the source.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        for t, tb, sb in pair.aligned():
            notes: list[str] = []
            problems = self._compare(pair, sb, tb, notes)
            if problems:
                yield Finding(self.id, self.severity, pair.path, tb.line,
                              f"{'; '.join(problems)} (source {pair.source_path}:{sb.line}); "
                              "copy the markup from the source unchanged", t + 1)
            elif notes:
                yield Finding(self.id, WARNING, pair.path, tb.line,
                              f"{'; '.join(notes)} (source {pair.source_path}:{sb.line}); if the translation "
                              "left it out, put it back (a type or name said in words may be fine)", t + 1)
        yield from self._includes(pair)
        src_f, tr_f = fences(pair.source), fences(pair.translation)
        conventions = getattr(pair.settings, "checks", None)
        comments = getattr(conventions, "code_comments", "kept") == "translated"
        strings = getattr(conventions, "code_strings", "kept") == "translated"
        text_fences = getattr(conventions, "translated_fences", ())
        if len(src_f) == len(tr_f):
            for sf, tf in zip(src_f, tr_f, strict=True):
                if sf.info == tf.info and sf.info.split(" ")[0].strip(".{ ").lower() in text_fences:
                    continue  # a diagram whose labels the project translates
                if sf.info.split()[:1] != tf.info.split()[:1]:
                    what = f"its language '{tf.info}' is not the source's '{sf.info}'"
                else:
                    what = codes.block_differs(sf.body, tf.body, sf.info, comments, strings)
                if what:
                    kept = "identifiers, keywords, operators, numbers and URLs" + ("" if comments else ", comments") \
                        + ("" if strings else ", strings")
                    yield Finding(self.id, self.severity, pair.path, tf.line,
                                  f"code block differs from the source's ({pair.source_path}:{sf.line}): {what}; "
                                  f"keep its {kept} as in the source")

    def _includes(self, pair: Pair) -> Iterator[Finding]:
        """``{* path hl[3] *}`` includes (the code a page shows): the same files, in the same order."""
        def found(doc: Document) -> list[tuple[int, str]]:
            body = doc.text
            skip = {f.line for f in fences(doc)}
            return [(body.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split()))
                    for m in _INCLUDE.finditer(body) if body.count("\n", 0, m.start()) + 1 not in skip]

        src, tr = found(pair.source), found(pair.translation)
        if [x for _, x in src] == [x for _, x in tr]:
            return
        matcher = SequenceMatcher(None, [x for _, x in src], [x for _, x in tr], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            line = tr[j1][0] if j1 < len(tr) else (tr[-1][0] if tr else 1)
            was = ", ".join(f"{{* {x} *}}" for _, x in src[i1:i2])
            now = ", ".join(f"{{* {x} *}}" for _, x in tr[j1:j2])
            what = (f"include {was} changed to {now}" if was and now else
                    f"include {was} missing" if was else f"include {now} added")
            at = f" (source {pair.source_path}:{src[i1][0]})" if i1 < len(src) else ""
            yield Finding(self.id, self.severity, pair.path, line, f"{what}{at}; copy the include line from the "
                          "source unchanged")

    @staticmethod
    def _swapped(sb: Block, tb: Block, titles=None) -> str | None:  # noqa: ANN001
        """Two links of a paragraph whose targets were swapped: a translated link's text shares its
        names, numbers or code with one source link's text, but its target is another's. (Targets are
        compared as a multiset elsewhere, so a swap keeps them all; the texts tell which is which.)"""
        src_links = [(m.group(1), m.group(2)) for m in _LINK.finditer(sb.text)]
        tr_links = [(m.group(1), m.group(2)) for m in _LINK.finditer(tb.text)]
        if len(src_links) < 2 or sorted(t for _, t in src_links) != sorted(t for _, t in tr_links):
            return None

        def anchors(text: str) -> set[str]:
            return {a.casefold() for a in _ANCHOR.findall(text)}

        owners = [(t, anchors(text) | (titles(t) if titles else set())) for text, t in src_links]
        for text, tr_target in tr_links:
            mine = anchors(text) | _stems(text)
            shared = [(len(mine & a), t) for t, a in owners if mine & a]
            if not shared:
                continue
            top = max(n for n, _ in shared)
            best = {t for n, t in shared if n == top}
            if len(best) == 1 and tr_target not in best:
                return f"link '{text}' goes to {tr_target}, where the source's goes to {best.pop()} (targets swapped)"
        return None

    def _compare(self, pair: Pair, sb: Block, tb: Block, notes: list[str]) -> list[str]:
        problems: list[str] = []
        conventions = getattr(pair.settings, "checks", None)
        for roles, name in ((("code",), "inline code"), (("placeholder",), "placeholder"),
                            (("keys",), "keyboard keys")):
            src_m, tr_m = [s.markup for s in spans(sb.text, *roles)], [s.markup for s in spans(tb.text, *roles)]
            if roles == ("code",):
                src_m, tr_m = _formatting_only(src_m, tr_m, pair.source.text, tb.text)
                src_m, tr_m, gone = codes.judge(src_m, tr_m, tb.text,
                                                getattr(conventions, "key_names", "translated") == "translated")
                languages = codes.page_languages(pair.source.text)
                gone = [code for code in gone if not codes.sayable(code, languages)]
                if gone:
                    notes.append(f"inline code {', '.join(gone)} not in the translation")
            found = _diff(name, src_m, tr_m)
            if found:
                problems.append(found)
        src_t = [x for x in (target(s) for s in spans(sb.text, "link", "image")) if x is not None]
        tr_t = [x for x in (target(s) for s in spans(tb.text, "link", "image")) if x is not None]
        prefixes = tuple(getattr(getattr(pair.settings, "checks", None), "localized_links", ()))
        src_t += [s.markup for s in spans(sb.text, "url", "email")]
        tr_t += [s.markup for s in spans(tb.text, "url", "email")]
        unmatched = list(tr_t)
        lost = []
        for item in src_t:
            hit = next((x for x in unmatched if _localised(item, x, pair.lang, prefixes)), None)
            if hit is None:
                lost.append(item)
            else:
                unmatched.remove(hit)
        domains = localized_domains(pair, source_domains(pair.source))
        unmatched = [x for x in unmatched if not unsafe_target(x, domains)]  # safety reports those
        if lost or unmatched:
            found = _diff("link target", lost, unmatched)
            if found:
                problems.append(found)
        else:
            swapped = self._swapped(sb, tb, lambda t: _page_title(pair, t))
            if swapped:
                problems.append(swapped)
        wikilinks = wiki.compare(pair.settings, pair.lang, sb.text, tb.text)
        if wikilinks:
            problems.append(wikilinks)
        ids = _diff("attr id", [f"#{m}" for m in _ATTR_ID.findall(_line_end(pair.source, sb))],
                    [f"#{m}" for m in _ATTR_ID.findall(_line_end(pair.translation, tb))])
        if ids:
            problems.append(ids)
        return problems
