"""``safety``: a translation must not add anything that runs or leads readers away.

Translations come from vendors, volunteers and engines; the help center is
published on the company's domain. Markdown passes raw HTML through, so a
``<script>``, an ``<iframe>``, an ``onclick=`` or a ``javascript:`` link in a
translation would run on the site, and a link to a domain the source never
links to is how phishing or spam gets in. The whole translation is scanned
line by line (front matter and fenced code excepted, inline code blanked),
because raw HTML is skeleton the segmenter never shows as a block. What the
source itself uses (its HTML tags, its link domains) is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from helpglot.checks import fences
from helpglot.checks.base import ERROR, Finding, Pair
from helpglot.segment import Document

_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_TAG = re.compile(r"<([A-Za-z][\w:-]*)(?=[\s/>])([^>]*)>?")
_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.I)
_SCHEME = re.compile(r"\b(?:javascript|vbscript)\s*:", re.I)
_URL = re.compile(r"\b(?:https?:)?//([\w.-]+\.[a-z]{2,})|\bwww\.([\w.-]+\.[a-z]{2,})", re.I)
_DANGEROUS = frozenset({"script", "iframe", "object", "embed", "form", "style", "meta", "link", "base"})


def _lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(number, text) of the lines readers' browsers see as Markdown/HTML, inline code blanked."""
    start = doc.line_of(doc.front_matter[1]) + 1 if doc.front_matter else 1
    code: set[int] = set()
    lines = doc.text.split("\n")
    for fence in fences(doc):
        end = fence.line + fence.body.count("\n") + 2
        code.update(range(fence.line, end + 1))
    for number, line in enumerate(lines, start=1):
        if number >= start and number not in code:
            yield number, _CODE.sub("``", line)


def _domain(match: re.Match) -> str:
    host = (match.group(1) or match.group(2) or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _profile(doc: Document) -> tuple[set[str], set[str]]:
    tags: set[str] = set()
    domains: set[str] = set()
    for _, line in _lines(doc):
        tags.update(m.group(1).lower() for m in _TAG.finditer(line))
        domains.update(_domain(m) for m in _URL.finditer(line))
    return tags, domains


@lru_cache(maxsize=64)
def source_domains(doc: Document) -> frozenset[str]:
    """The domains a source links to (cached: markup asks once per block)."""
    return frozenset(_profile(doc)[1])


def unsafe_target(url: str, domains: frozenset[str] | set[str]) -> bool:
    """A link target this check reports: a script scheme, or a domain outside ``domains``."""
    if _SCHEME.match(url.strip()):
        return True
    m = _URL.match(url.strip())
    host = _domain(m) if m else ""
    return bool(host) and host not in domains and not any(host.endswith("." + d) for d in domains)


class SafetyCheck:
    id = "safety"
    name = "Unsafe additions"
    severity = ERROR
    description = ("No raw HTML, <script>, <iframe>, event handlers, javascript: links or links to domains "
                   "that the source does not have.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        tags, domains = _profile(pair.source)
        for number, line in _lines(pair.translation):
            problems: list[str] = []
            for m in _TAG.finditer(line):
                name = m.group(1).lower()
                if name in _DANGEROUS:
                    problems.append(f"<{name}> element")
                elif name not in tags:
                    problems.append(f"raw HTML <{name}> the source does not use")
                if _HANDLER.search(m.group(2) or ""):
                    problems.append("event-handler attribute (on…=)")
            for m in _SCHEME.finditer(line):
                problems.append(f"'{m.group().rstrip(': ')}:' link")
            for m in _URL.finditer(line):
                if unsafe_target(m.group(), domains):
                    problems.append(f"link to {_domain(m)}, a domain the source does not link to")
            if problems:
                yield Finding(self.id, self.severity, pair.path, number,
                              f"{'; '.join(dict.fromkeys(problems))} added in translation; remove it "
                              f"(the source {pair.source_path} has none)")
