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

from helpglot.markdown.segment import Block, Document
from helpglot.qa.checks import fences, spans, target
from helpglot.qa.checks.base import ERROR, Finding, Pair
from helpglot.qa.checks.safety import source_domains, unsafe_target

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
        local, plain_prefix = pattern.replace("{lang}", lang), pattern.replace("{lang}/", "").replace("{lang}", "")
        # "https://x.com" and "https://x.com/" are one page, as are ".../es" and ".../es/"
        a, b = src if src.endswith("/") or "#" in src or "?" in src else src + "/", \
            tr if tr.endswith("/") or "#" in tr or "?" in tr else tr + "/"
        if b.startswith(local) and a.startswith(plain_prefix) and b[len(local) :] == a[len(plain_prefix) :]:
            return True
    return False


_COMMENT = re.compile(r"(?:^|(?<=\s))(?:#|//|--)(?!\[)(?:[ \t].*|)$|<!--.*?-->|/\*.*?\*/", re.M)


def _code(body: str, comments_translated: bool) -> str:
    """A code block's text as compared: without comments when the project translates them."""
    body = body.strip()
    if comments_translated:
        body = "\n".join(line.rstrip() for line in _COMMENT.sub("", body).split("\n"))
    return body


def _diff(name: str, src: list[str], tr: list[str]) -> str | None:
    """"inline code `a` changed to `b`" style text for two multisets, or None if equal."""
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
    lost = list((Counter(src) - Counter(tr)).elements())
    added = list((Counter(tr) - Counter(src)).elements())
    if lost and added:
        return src, tr  # something changed into something else: compare everything
    inner = [x.strip("`").strip() for x in added]
    keep_added = [x for x, word in zip(added, inner, strict=True) if word.casefold() not in source_doc.casefold()]
    keep_lost = [x for x in lost if x.strip("`").strip() not in tr_text]
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
            problems = self._compare(pair, sb, tb)
            if problems:
                yield Finding(self.id, self.severity, pair.path, tb.line,
                              f"{'; '.join(problems)} (source {pair.source_path}:{sb.line}); "
                              "copy the markup from the source unchanged", t + 1)
        src_f, tr_f = fences(pair.source), fences(pair.translation)
        conventions = getattr(pair.settings, "checks", None)
        comments = getattr(conventions, "code_comments", "kept") == "translated"
        text_fences = getattr(conventions, "translated_fences", ())
        if len(src_f) == len(tr_f):
            for sf, tf in zip(src_f, tr_f, strict=True):
                if sf.info == tf.info and sf.info.split(" ")[0].strip(".{ ").lower() in text_fences:
                    continue  # a diagram whose labels the project translates
                if _code(sf.body, comments) != _code(tf.body, comments) or sf.info != tf.info:
                    yield Finding(self.id, self.severity, pair.path, tf.line,
                                  f"code block differs from the source's ({pair.source_path}:{sf.line}); "
                                  "code is never translated: copy it unchanged")

    def _compare(self, pair: Pair, sb: Block, tb: Block) -> list[str]:
        problems: list[str] = []
        for roles, name in ((("code",), "inline code"), (("placeholder",), "placeholder"),
                            (("keys",), "keyboard keys")):
            src_m, tr_m = [s.markup for s in spans(sb.text, *roles)], [s.markup for s in spans(tb.text, *roles)]
            if roles == ("code",):
                src_m, tr_m = _formatting_only(src_m, tr_m, pair.source.text, tb.text)
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
        domains = source_domains(pair.source)
        unmatched = [x for x in unmatched if not unsafe_target(x, domains)]  # safety reports those
        if lost or unmatched:
            found = _diff("link target", lost, unmatched)
            if found:
                problems.append(found)
        ids = _diff("attr id", [f"#{m}" for m in _ATTR_ID.findall(_line_end(pair.source, sb))],
                    [f"#{m}" for m in _ATTR_ID.findall(_line_end(pair.translation, tb))])
        if ids:
            problems.append(ids)
        return problems
