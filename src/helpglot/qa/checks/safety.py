"""``safety``: a translation must not add anything that runs, hides or leads readers away.

Translations come from vendors, volunteers and engines; the help center is
published on the company's domain. The check sees exactly what the build sees:
the body with helpglot's directive comments stripped by the build's own code
(so ``<scr<!-- helpglot: x -->ipt>`` is the ``<script>`` the build gets),
rendered whole, once, with the project's own Markdown extensions (reference
links in a paragraph of their own included), and run through the build's own
sanitiser with the source's trust (:mod:`helpglot.qa.trust`). Every removal the
sanitiser makes is a finding; each is placed on the line of the chunk (a run of
lines after a blank line) that has it when rendered on its own, or else on the
first body line. Front-matter values, HTML comments, bidi controls, zero-width
and tag characters, and domains named in prose are checked too.

What the source itself has is allowed: the very same raw HTML element (its
own ``<style>``), its attributes, classes, styles, URL schemes and hosts, its
comments and control characters. A translator cannot silence this check: a ``helpglot: ignore
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

from helpglot.markdown.chars import _INVISIBLE, INVISIBLE, TAG_BLOCK, invisible, usual_in  # noqa: F401 (names this module has always offered)
from helpglot.markdown.directives import strip_directives
from helpglot.markdown.segment import Document
from helpglot.qa import sanitize, trust, urls
from helpglot.qa.checks import fences
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.settings import Settings

_URL = re.compile(r"\b(?:https?:)?//([\w.-]+\.[a-z]{2,})|\bwww\.([\w.-]+\.[a-z]{2,})", re.I)
_SCHEME = re.compile(r"\s*(?:javascript|vbscript)\s*:", re.I)
_CODE = re.compile(r"(?<!\\)(`+)(?!`).+?(?<!`)\1(?!`)")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S.*$", re.M)
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
    """What a source lets its translations keep: its trust (:mod:`helpglot.qa.trust`, computed from
    the source rendered as the build renders it), comments and invisible characters."""

    def __init__(self, settings: Settings, doc: Document) -> None:
        body = strip_directives("\n".join(_body(doc)[1]))
        html = render(settings, body)  # (only when a translation has something)
        self.trust = sanitize.source_trust(html, body).with_hosts(_site_host(settings))
        self.comments = Counter(c.strip() for c in sanitize.comments(html))
        self.invisible = set(invisible(doc.text)) - {TAG_BLOCK}  # (the build removes those in any case)


def _site_host(settings: Settings) -> str | None:
    return urls.target(settings.site_url).host if settings.site_url else None


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


def localized_domains(pair, domains: frozenset[str]) -> frozenset[str]:  # noqa: ANN001
    """The source's domains plus their language subdomains a project declared in
    ``checks.localized_links`` ("https://{lang}.wikipedia.org/wiki/*": zh.wikipedia.org where the
    source links en.wikipedia.org). Only a label swap on a domain the source already links to: no
    setting lets a translation link to a site the source does not."""
    patterns = getattr(getattr(pair.settings, "checks", None), "localized_links", ()) or ()
    source_lang = getattr(pair.settings, "source_lang", "en") or "en"
    extra = set()
    for pattern in patterns:
        m = _URL.match(pattern.replace("{lang}", "LANGLABEL"))
        host = _domain(m).replace("langlabel", "{lang}") if m else ""
        if not host.startswith("{lang}."):
            continue
        if host.replace("{lang}", source_lang) in domains or host.replace("{lang}.", "") in domains:
            extra.add(host.replace("{lang}", pair.lang.lower()))
    return domains | frozenset(extra) if extra else domains


def unsafe_target(url: str, domains: frozenset[str] | set[str]) -> bool:
    """A link target this check reports: a script scheme, or a domain outside ``domains``."""
    if _SCHEME.match(url) or sanitize.url_scheme(url) in ("javascript", "vbscript"):
        return True
    m = _URL.match(url.strip())
    host = _domain(m) if m else ""
    return bool(host) and host not in domains and not any(host.endswith("." + d) for d in domains)


def _prose_domains(prose: str, domains: frozenset[str]) -> list[str]:
    """Domains a chunk names in its text (not as a link: the sanitiser judges links)."""
    found = []
    for m in _URL.finditer(_CODE.sub("``", prose)):
        if unsafe_target(m.group(), domains):
            found.append(f"link to {_domain(m)}, a domain the source does not link to")
    return found


class SafetyCheck:
    id = "safety"
    name = "Unsafe additions"
    severity = ERROR
    description = ("Nothing in the rendered translation may run script, hide text or lead readers away: "
                   "whatever the build's sanitiser removes from the page (<script>, <iframe>, event handlers, "
                   "javascript:/data: links, classes, styles, schemes and hosts the source does not use, the "
                   "theme's ids), bidi controls, zero-width and tag characters, HTML in front-matter values.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        settings = pair.settings
        doc = pair.translation
        yield from self._front_matter(pair)
        first, lines = _body(doc)
        # the build: directive comments stripped first, then one render of the whole document
        html = render(settings, strip_directives("\n".join(lines)))
        if sanitize.needs_source(html):
            source = _profile(settings, pair.source).trust
        else:
            source = trust.EMPTY.with_hosts(_site_host(settings))
        domains = localized_domains(pair, source_domains(pair.source))
        source = source.with_hosts(*(domains - source_domains(pair.source)))  # declared language subdomains
        whole = set(sanitize.sanitize(html, source)[1])  # exactly what the build removes from this page
        pending = dict.fromkeys(sorted(whole))
        defs = "\n".join(_REFDEF.findall("\n".join(lines)))
        state: dict[str, Counter] = {}
        for line, text in chunks(doc):
            problems = [f"invisible character {name}" for name in invisible(text)
                        if name == TAG_BLOCK or (name not in _profile(settings, pair.source).invisible
                                                 and name not in usual_in(pair.lang))]
            if "//" in text or "www." in text:
                problems += _prose_domains(text, domains)
            if whole:  # where in the file each removal is: the chunks that have it on their own
                part = render(settings, strip_directives(f"{text}\n\n{defs}" if defs else text))
                problems += [p for p in sanitize.sanitize(part, source)[1] if p in whole]
            if "<!--" in text:
                problems += self._comments(settings, pair, text, state)
            problems = [p for p in dict.fromkeys(problems)]
            pending = {p: None for p in pending if p not in problems}
            if problems:
                hidden_only = all(p.startswith("HTML comment") for p in problems)
                yield Finding(self.id, WARNING if hidden_only else self.severity, pair.path, line,
                              f"{'; '.join(problems)} added in translation; remove it "
                              f"(the source {pair.source_path} has none)")
        if pending:
            yield Finding(self.id, self.severity, pair.path, first,
                          f"{'; '.join(pending)} in the rendered page (across paragraphs); the build removes it: "
                          f"remove it (the source {pair.source_path} has none)")

    def _comments(self, settings: Settings, pair: Pair, text: str, state: dict[str, Counter]) -> list[str]:
        """A comment the source does not have hides text from readers (view-source shows it)."""
        found = []
        for comment in sanitize.comments(render(settings, text)):
            key = comment.strip()
            if _DIRECTIVE.match(key):
                continue
            if "comments" not in state:
                state["comments"] = Counter(_profile(settings, pair.source).comments)
            if state["comments"][key] > 0:
                state["comments"][key] -= 1
            else:
                found.append("HTML comment hiding text from readers")
        return found

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
            if key in THEME_KEYS and not _THEME_NAME.match(value):
                problems.append("characters the theme does not expect in a name (quotes, spaces, markup)")
            if problems and value != source_meta.get(key):
                yield Finding(self.id, self.severity, pair.path, line + _key_line(pair.translation, key),
                              f"front-matter '{key}' contains {'; '.join(problems)}; write plain text "
                              "(the site shows it as text, never as HTML)")


#: front-matter values the theme uses as names (a class, a template file, an icon), never as text
THEME_KEYS = frozenset({"status", "template", "icon"})
_THEME_NAME = re.compile(r"^[A-Za-z0-9_./:-]*$")


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
