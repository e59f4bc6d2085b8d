"""``safety``: a translation must not add anything that runs, hides or leads readers away.

Translations come from vendors, volunteers and engines; the help center is
published on the company's domain. The check decides from what the renderer
produces, not from a regex over the Markdown: each chunk of the translation
(a run of lines up to a blank line, with its indented continuation) is
rendered with the project's own Markdown extensions (mkdocs.yml's, so
attr_list ``{: onclick=... }``, escaped backticks, md_in_html and reference
links are seen as the build sees them), and the HTML goes through the same
allow-list the build sanitises with (:mod:`helpglot.qa.sanitize`). The whole
document is rendered once more, so nothing that only exists across chunks
escapes. Front-matter values, HTML comments, bidi controls and zero-width
characters are checked too.

What the source itself has is allowed: the very same raw HTML element (its
own ``<style>``), the same attributes, comments and control characters, its
link domains. A translator cannot silence this check: a ``helpglot: ignore
safety`` comment counts only where the source has the same suppression or a
maintainer lists the file under ``trusted_suppressions`` (:func:`trusted`).
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from helpglot.markdown.chars import _INVISIBLE, INVISIBLE, invisible  # noqa: F401 (names this module has always offered)
from helpglot.markdown.segment import Document
from helpglot.qa import sanitize
from helpglot.qa.checks import fences
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.settings import Settings

_URL = re.compile(r"\b(?:https?:)?//([\w.-]+\.[a-z]{2,})|\bwww\.([\w.-]+\.[a-z]{2,})", re.I)
_HREF = re.compile(r"""\s(?:href|src)="((?:https?:)?//[^"]*)\"""", re.I)
_SCHEME = re.compile(r"\s*(?:javascript|vbscript)\s*:", re.I)
_CODE = re.compile(r"(?<!\\)(`+)(?!`).+?(?<!`)\1(?!`)")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S.*$", re.M)
# what can make Markdown write an element or an attribute a reader's browser acts on: raw HTML or an
# autolink (<), attr_list ({), escapes (\\), and link targets with a scheme other than http(s)/mailto
# or with entities; a chunk with none of these renders to harmless HTML, so it is not rendered
_TRIGGER = re.compile(r"[<{\\]|(?:\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)(?!https?://|mailto:)[^)\s/]*[:&]", re.M)
_OPEN_TAG = re.compile(r"<[A-Za-z!/?][^>\n]*$", re.M)  # a tag left open at a line end: render whole too
_DIRECTIVE = re.compile(r"^\s*helpglot:", re.I)
_DIRECTIVE_LINE = re.compile(r"^\s*<!--\s*helpglot:.*-->\s*$", re.I)
DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html")
_renderers: dict[int, tuple[Settings, object]] = {}


def _domain(match: re.Match) -> str:
    host = (match.group(1) or match.group(2) or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def renderer(settings: Settings):
    """A Python-Markdown instance with the project's extensions (built once per settings)."""
    import markdown

    cached = _renderers.get(id(settings))
    if cached is not None and cached[0] is settings:
        return cached[1]
    extensions = list(settings.markdown_extensions) or list(DEFAULT_EXTENSIONS)
    try:
        md = markdown.Markdown(extensions=extensions, extension_configs=dict(settings.mdx_configs))
    except Exception:  # an extension that needs MkDocs itself: the defaults still see raw HTML and attr_list
        md = markdown.Markdown(extensions=list(DEFAULT_EXTENSIONS))
    _renderers[id(settings)] = (settings, md)
    return md


def render(settings: Settings, text: str) -> str:
    md = renderer(settings)
    md.reset()
    try:
        return md.convert(text)
    except Exception:  # never let a Markdown extension's crash hide the rest
        return text


def _body(doc: Document) -> tuple[int, list[str]]:
    """(first line number, lines) of what follows the front matter."""
    lines = doc.text.split("\n")
    if not doc.front_matter:
        return 1, lines
    first = doc.line_of(doc.front_matter[1]) + 1
    return first, lines[first - 1:]


def chunks(doc: Document) -> list[tuple[int, str]]:
    """(line, text): runs of lines that start unindented after a blank line; fences stay whole."""
    first, lines = _body(doc)
    in_code: set[int] = set()
    for fence in fences(doc):
        in_code.update(range(fence.line + 1, fence.line + fence.body.count("\n") + 3))
    found: list[tuple[int, list[str]]] = []
    blank = True
    for offset, line in enumerate(lines):
        number = first + offset
        starts = blank and line.strip() and not line[:1].isspace() and number not in in_code
        if starts or not found:
            found.append((number, []))
        found[-1][1].append(line)
        blank = not line.strip()
    result = []
    for n, chunk in found:
        if "".join(chunk).strip():
            skip = next((k for k, line in enumerate(chunk) if not _DIRECTIVE_LINE.match(line)), 0)
            result.append((n + skip, "\n".join(chunk)))  # the line a suppression comment points at
    return result


class _Profile:
    """What a rendered source has that its translations may keep: raw elements, problems, domains."""

    def __init__(self, settings: Settings, doc: Document) -> None:
        html = render(settings, "\n".join(_body(doc)[1]))  # (only when a translation has something)
        self.elements = Counter(sanitize.foreign_elements(html))
        self.problems = Counter(sanitize.problems(html, once=False))
        self.comments = Counter(c.strip() for c in sanitize.comments(html))
        self.invisible = set(invisible(doc.text))
        self.domains = {_domain(m) for m in _URL.finditer(doc.text)}
        self.suppressed = False


def _profile(settings: Settings, doc: Document) -> _Profile:
    """Computed once per source document (kept on the document, not hashed: hashing a 5 MB text per
    call made ``check`` quadratic)."""
    cached = doc.__dict__.get("_helpglot_safety")
    if cached is None:
        cached = _Profile(settings, doc)
        object.__setattr__(doc, "_helpglot_safety", cached)
    return cached


def source_domains(doc: Document) -> frozenset[str]:
    """The domains a source links to or names (kept on the document: markup asks once per block)."""
    cached = doc.__dict__.get("_helpglot_domains")
    if cached is None:
        cached = frozenset(_domain(m) for m in _URL.finditer(_CODE.sub("``", doc.text)))
        object.__setattr__(doc, "_helpglot_domains", cached)
    return cached


def unsafe_target(url: str, domains: frozenset[str] | set[str]) -> bool:
    """A link target this check reports: a script scheme, or a domain outside ``domains``."""
    if _SCHEME.match(url) or sanitize.url_scheme(url) in ("javascript", "vbscript"):
        return True
    m = _URL.match(url.strip())
    host = _domain(m) if m else ""
    return bool(host) and host not in domains and not any(host.endswith("." + d) for d in domains)


def _foreign_domains(html: str, prose: str, domains: frozenset[str]) -> list[str]:
    hosts = [h for h in (m.group(1) for m in _HREF.finditer(html))]
    hosts += [m.group() for m in _URL.finditer(_CODE.sub("``", prose))]
    found = []
    for url in hosts:
        m = _URL.search(url)
        if m and unsafe_target(m.group(), domains):
            found.append(f"link to {_domain(m)}, a domain the source does not link to")
    return found


def _unallowed(html: str, profile: _Profile, budget: Counter, problem_budget: Counter) -> list[str]:
    for element in sanitize.foreign_elements(html):
        if budget[element] > 0:
            budget[element] -= 1
            html = html.replace(element, "", 1)
    result = []
    for problem in sanitize.problems(html, once=False):
        if problem_budget[problem] > 0:
            problem_budget[problem] -= 1
        else:
            result.append(problem)
    return result


class SafetyCheck:
    id = "safety"
    name = "Unsafe additions"
    severity = ERROR
    description = ("Nothing in the rendered translation may run script or hide text: no <script>, <iframe>, "
                   "event handlers (HTML or attr_list), javascript:/data: links, bidi controls or zero-width "
                   "characters, HTML in front-matter values, links to domains the source does not have.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        settings = pair.settings
        domains = source_domains(pair.source)
        doc = pair.translation
        state: dict[str, object] = {}

        def profile() -> _Profile:  # the source is rendered only when a translation chunk needs it
            if "profile" not in state:
                state["profile"] = _profile(settings, pair.source)
                state["budget"] = Counter(state["profile"].elements)
                state["problems"] = Counter(state["profile"].problems)
                state["comments"] = Counter(state["profile"].comments)
            return state["profile"]

        def budget() -> Counter:
            profile()
            return state["budget"]

        def problem_budget() -> Counter:
            profile()
            return state["problems"]
        yield from self._front_matter(pair)
        defs = "\n".join(_REFDEF.findall("\n".join(_body(doc)[1])))
        located: set[str] = set()
        for line, text in chunks(doc):
            problems = [f"invisible character {name}" for name in invisible(text)
                        if name not in profile().invisible]
            if not _TRIGGER.search(text):
                problems += _foreign_domains("", text, domains) if ("//" in text or "www." in text) else []
                html = ""
            else:
                html = render(settings, f"{text}\n\n{defs}" if defs else text)
                found = sanitize.problems(html, once=False) + sanitize.foreign_elements(html)
                problems += _unallowed(html, profile(), budget(), problem_budget()) if found else []
                problems += _foreign_domains(html, text, domains)
            for comment in sanitize.comments(html) if "<!--" in html else ():
                key = comment.strip()
                if _DIRECTIVE.match(key):
                    continue
                profile()
                comments: Counter = state["comments"]
                if comments[key] > 0:
                    comments[key] -= 1
                else:
                    problems.append("HTML comment hiding text from readers")
            located.update(problems)
            if problems:
                hidden_only = all(p.startswith("HTML comment") for p in problems)
                yield Finding(self.id, WARNING if hidden_only else self.severity, pair.path, line,
                              f"{'; '.join(dict.fromkeys(problems))} added in translation; remove it "
                              f"(the source {pair.source_path} has none)")
        body = "\n".join(_body(doc)[1])
        if not _OPEN_TAG.search(body):  # every construct starts and ends within a chunk
            return
        whole = render(settings, body)
        rest = [p for p in _unallowed(whole, profile(), Counter(profile().elements), Counter(profile().problems))
                if p not in located]
        if rest:
            yield Finding(self.id, self.severity, pair.path, _body(doc)[0],
                          f"{'; '.join(dict.fromkeys(rest))} in the rendered page (across paragraphs); remove it "
                          f"(the source {pair.source_path} has none)")

    def _front_matter(self, pair: Pair) -> Iterator[Finding]:
        meta = pair.translation.meta
        if not isinstance(meta, dict) or not pair.translation.front_matter:
            return
        source_meta = pair.source.meta if isinstance(pair.source.meta, dict) else {}
        line = pair.translation.line_of(pair.translation.front_matter[0])
        for key, value in meta.items():
            if key == "helpglot" or not isinstance(value, str):
                continue
            problems = sanitize.problems(value) + [f"invisible character {n}" for n in invisible(value)]
            if not problems and re.search(r"<[A-Za-z!/?]", value):
                problems = ["HTML"]
            if problems and value != source_meta.get(key):
                yield Finding(self.id, self.severity, pair.path, line + _key_line(pair.translation, key),
                              f"front-matter '{key}' contains {'; '.join(problems)}; write plain text "
                              "(the site shows it as text, never as HTML)")


def _key_line(doc: Document, key: str) -> int:
    start, end = doc.front_matter or (0, 0)
    for n, text in enumerate(doc.text[start:end].split("\n")):
        if text.startswith(f"{key}:"):
            return n
    return 0


SECURITY_CHECKS = frozenset({"safety"})


def _anchor(doc: Document, line: int) -> int:
    """Index of the last block starting at or before ``line`` (-1: before every block)."""
    return bisect.bisect_right([b.line for b in doc.blocks], line) - 1


def _tags(text: str) -> list[str]:
    return sorted(re.findall(r"<[A-Za-z][^>]*>", text))


def trusted(settings: Settings, path: str, rules: list, source_rules: list, pair: Pair | None = None) -> list:
    """The translation's suppressions that count: a ``safety`` suppression only where the source has
    the same one at the same place (after the aligned block, or both file-level) or
    ``trusted_suppressions`` (mkdocs.yml, set by maintainers) names the file."""
    if any(fnmatch.fnmatch(path, pattern) for pattern in settings.trusted_suppressions):
        return rules
    source_rules = [r for r in source_rules if r.checks & SECURITY_CHECKS]
    file_level = any(r.line == 0 for r in source_rules)
    places: set[int] = set()
    if pair is not None:
        places = {_anchor(pair.source, r.line) for r in source_rules if r.line}
        to_source = dict(pair.pairs) | {-1: -1}
    result = []
    for rule in rules:
        if rule.line == 0:
            ok = file_level
        else:
            here = _anchor(pair.translation, rule.line) if pair is not None else -2
            there = to_source.get(here, -2) if pair is not None else -2
            # the same place, and the same markup there: an aligner's best guess alone must not lend
            # the source's permission to different HTML
            ok = there in places and (here < 0 or _tags(pair.translation.blocks[here].text)
                                      == _tags(pair.source.blocks[there].text))
        if not ok and rule.checks & SECURITY_CHECKS:
            rule = replace(rule, checks=frozenset(rule.checks - SECURITY_CHECKS))
        if rule.checks:
            result.append(rule)
    return result
