"""What a translated page may contain once rendered: one allow-list for the build and for ``check``.

Translations are untrusted input published on the company's domain. Markdown
passes raw HTML through and attr_list adds arbitrary attributes, so whatever a
translation says, its rendered HTML goes through :func:`sanitize` (nh3, i.e.
the Rust ``ammonia`` sanitiser) before MkDocs writes the page. The allow-list is
what Python-Markdown, pymdown-extensions and Material produce for Markdown:
no ``<script>``, no event handlers, no ``javascript:``/``vbscript:`` URLs and
no ``data:`` URLs outside images, no ``<iframe>``/``<object>``/``<embed>``/
``<form>``/``<base>``/``<meta>``.

What the English source legitimately uses beyond that is allowed in its own
translations (:mod:`helpglot.qa.trust`, built by :func:`source_trust`): its raw
elements outside the allow-list only byte for byte (as many times as the
source has them), its attributes, classes, styles, URL schemes and hosts.

:func:`sanitize` returns what it removed, each named once: the build warns with
it and ``check`` reports exactly it, so what ``check`` says is what the build does.
"""

from __future__ import annotations

import html
import re
import secrets
from collections import Counter
from html.parser import HTMLParser

import nh3

from helpglot.markdown import chars
from helpglot.qa import trust, urls

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "picture", "pre",
    "q", "s", "samp", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    # Material's icons and emoji are inline SVG
    "svg", "path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse", "title", "desc",
})
GENERIC_ATTRS = frozenset({"class", "id", "title", "lang", "dir", "role", "tabindex", "hidden"})
ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name", "hreflang", "download"}),  # target= only where the source uses it
    "img": frozenset({"src", "alt", "width", "height", "loading", "srcset", "sizes", "align", "decoding"}),
    "source": frozenset({"srcset", "sizes", "media", "type"}),
    "td": frozenset({"align", "colspan", "rowspan", "style"}),
    "th": frozenset({"align", "colspan", "rowspan", "style", "scope"}),
    "col": frozenset({"span", "width"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "input": frozenset({"type", "checked", "disabled", "name"}),  # task lists, content tabs
    "label": frozenset({"for"}),
    "time": frozenset({"datetime"}),
    "abbr": frozenset({"title"}),
    "code": frozenset({"data-lang"}),
    "div": frozenset({"data-tabs"}),  # pymdownx.tabbed
    "svg": frozenset({"xmlns", "viewbox", "viewBox", "width", "height", "fill", "aria-hidden", "focusable"}),
    "path": frozenset({"d", "fill", "fill-rule", "clip-rule", "stroke", "stroke-width"}),
    "g": frozenset({"fill", "stroke"}),
    "circle": frozenset({"cx", "cy", "r", "fill"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry", "fill"}),
    "line": frozenset({"x1", "y1", "x2", "y2", "stroke"}),
    "polyline": frozenset({"points", "fill", "stroke"}),
    "polygon": frozenset({"points", "fill", "stroke"}),
    "ellipse": frozenset({"cx", "cy", "rx", "ry", "fill"}),
}
PREFIXES = frozenset({"aria-"})
SCHEMES = trust.BASE_SCHEMES | {"data"}  # data: for images only, see trust.url_problem
URL_ATTRS = trust.URL_ATTRS
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript",
                               "textarea", "select", "xmp", "noembed", "noframes", "frameset", "frame",
                               "applet", "math", "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "keygen"})
_ANCHOR = re.compile(r'<a((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*>')
_TARGET = re.compile(r'\starget="([^"]*)"')


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in a URL attribute (entities decoded, controls dropped)."""
    return urls.target(value).scheme


def bad_url(tag: str, attr: str, value: str, source: trust.SourceTrust = trust.EMPTY) -> str | None:
    """Why a URL attribute is removed (``'javascript:' link in <a href>``), or None."""
    return trust.url_problem(tag, attr, value, source)


def _allowed_attr(tag: str, name: str, source: trust.SourceTrust) -> bool:
    return (name in ATTRS.get(tag, frozenset()) or name in GENERIC_ATTRS or name.startswith(tuple(PREFIXES))
            or (tag, name) in source.attrs or (name == "style" and any(t == tag for t, _ in source.styles)))


class _Scanner(HTMLParser):
    """Every element (with offsets), comments and what no source can allow (elements outside the
    allow-list, declarations); the attributes are judged afterwards, per source (:func:`_judged`),
    so one scan of a page serves every question asked about it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.starts: list[tuple[str, int, int, bool]] = []  # tag, start, end of start tag, self-closing
        self.ends: list[tuple[str, int, int]] = []
        self.comments: list[str] = []
        #: in document order: a problem (str), or an allowed element and its attributes (lower-cased names)
        self.items: list[str | tuple[str, list[tuple[str, str]]]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.starts.append((tag, start, start + len(raw), closed))
        if tag not in TAGS:
            self.items.append(f"<{tag}> element")
        elif attrs:
            self.items.append((tag, [(name.lower(), value or "") for name, value in attrs]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.text.find(">", start)
        self.ends.append((tag, start, len(self.text) if end < 0 else end + 1))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.items.append("<!...> declaration")

    def unknown_decl(self, data: str) -> None:  # CDATA and the like
        self.items.append("<![...]> section")

    def handle_pi(self, data: str) -> None:
        self.items.append("<?...> processing instruction")


def _judged(scanner: _Scanner, source: trust.SourceTrust = trust.EMPTY,
            everything: bool = False) -> tuple[list[str], list[tuple[str, str, str]]]:
    """(the elements and attribute names the sanitiser drops, in document order; the attributes
    it keeps as (tag, name, value)) for a page whose source allows ``source``. ``everything``:
    every attribute is kept (a trusted source page's own)."""
    problems: list[str] = []
    attributes: list[tuple[str, str, str]] = []
    for item in scanner.items:
        if isinstance(item, str):
            problems.append(item)
            continue
        tag, attrs = item
        for name, value in attrs:
            if everything:
                attributes.append((tag, name, value))
            elif name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif not _allowed_attr(tag, name, source):
                problems.append(f"attribute {name}= on <{tag}>")
            else:
                attributes.append((tag, name, value))
    return problems, attributes


_LAST: list[tuple[str, _Scanner] | None] = [None]  # the text last scanned and its scan (one tuple: thread-safe)


def _scan(text: str) -> _Scanner:
    """The scan of ``text``. A translated page is asked whether it needs its source's trust and
    then sanitised, the same text twice: the last scan is kept (it depends on the text alone,
    and callers only read it)."""
    last = _LAST[0]
    if last is not None and last[0] == text:
        return last[1]
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    _LAST[0] = (text, scanner)
    return scanner


def problems(fragment: str, once: bool = True) -> list[str]:
    """What :func:`sanitize` would remove from an HTML fragment, in order (each named once,
    or, with ``once=False``, as often as it occurs)."""
    found = sanitize(fragment)[1] if once else _removals(fragment, trust.EMPTY)
    return found


def comments(fragment: str) -> list[str]:
    """The HTML comments of a fragment (readers do not see them; view-source does)."""
    return list(_scan(fragment).comments)


def foreign_elements(fragment: str) -> list[str]:
    """Outer HTML of each top-level element outside the allow-list (``<style>…</style>``)."""
    scanner = _scan(fragment)
    found: list[tuple[int, int]] = []
    ends = sorted(scanner.ends, key=lambda e: e[1])
    for tag, start, start_end, closed in scanner.starts:
        if tag in TAGS or any(a <= start < b for a, b in found):
            continue
        end = start_end
        if not closed and tag not in VOID:
            depth = 0
            for etag, estart, eend in ends:
                if estart < start_end:
                    continue
                if etag == tag:
                    end = eend
                    break
                depth += 1
        found.append((start, end))
    return [fragment[a:b] for a, b in found]


def as_trust(allowed: trust.SourceTrust | list[str] | tuple[str, ...]) -> trust.SourceTrust:
    """A :class:`~helpglot.qa.trust.SourceTrust` from what callers hand over (a list: raw elements only)."""
    return allowed if isinstance(allowed, trust.SourceTrust) else trust.SourceTrust(elements=tuple(allowed))


def _removals(text: str, source: trust.SourceTrust) -> list[str]:
    """Everything the sanitiser removes from ``text``, once per occurrence, in document order."""
    found, attributes = _judged(_scan(text), source)
    for tag, name, value in attributes:
        why = trust.judge(tag, name, value, source)[1]
        if why:
            found.append(why)
    if chars.TAGS.search(text):
        found.append(f"invisible character {chars.TAG_BLOCK}")
    return found


def sanitize(fragment: str, allowed: trust.SourceTrust | list[str] | tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """(safe HTML, what was removed, each named once). ``allowed``: the source page's
    :func:`source_trust` (or just its :func:`foreign_elements`)."""
    source = as_trust(allowed)
    kept: dict[str, str] = {}
    budget = Counter(source.elements)
    text = fragment
    if budget:
        for element in foreign_elements(fragment):
            if budget[element] > 0:
                budget[element] -= 1
                token = f"helpglotkeep{secrets.token_hex(8)}"
                kept[token] = element
                text = text.replace(element, token, 1)
    removed = _removals(text, source)
    tags = set(TAGS)
    attributes: dict[str, set[str]] = {"*": set(GENERIC_ATTRS), **{k: set(v) for k, v in ATTRS.items()}}
    for tag, name in source.attrs | {(t, "style") for t, _ in source.styles}:
        if tag in tags and not name.startswith("on"):
            attributes.setdefault(tag, set()).add(name)

    def judged(tag: str, attr: str, value: str) -> str | None:
        value_kept, why = trust.judge(tag, attr, value, source)
        if why and tag in tags:  # (ammonia asks about the attributes of elements it drops whole, too)
            removed.append(why)
        return value_kept

    clean = nh3.clean(
        chars.strip_tags(text),
        tags=tags,
        clean_content_tags=set(DROP_WITH_CONTENT - TAGS),
        attributes=attributes,
        attribute_filter=judged,
        strip_comments=True,
        link_rel=None,  # rel= is added where a link opens a new window (_noopener), not on every link
        generic_attribute_prefixes=set(PREFIXES),
        url_schemes=set(SCHEMES | (source.schemes - urls.NEVER)),
    )
    clean = _noopener(clean)
    for token, element in kept.items():
        clean = clean.replace(token, element, 1)
    return clean, list(dict.fromkeys(removed))


def _noopener(clean: str) -> str:
    """``rel="noopener noreferrer"`` on every link with a ``target`` (a new window must not get
    ``window.opener`` to navigate this page to a look-alike sign-in form)."""
    if " target=" not in clean:
        return clean

    def fix(m: re.Match) -> str:
        attrs = m.group(1)
        t = _TARGET.search(attrs)
        if t is None or t.group(1).lower() in ("_self", "_top", "_parent"):
            return m.group()
        attrs = re.sub(r'\srel="[^"]*"', "", attrs)
        return f'<a{attrs} rel="noopener noreferrer">'

    return _ANCHOR.sub(fix, clean)


def source_trust(html_text: str, text: str = "") -> trust.SourceTrust:
    """What a rendered source page (``html_text``; ``text``: its Markdown, for the domains it names)
    lets its translations use."""
    attrs, styles, classes, ids, schemes, hosts = set(), set(), set(), set(), set(), set()
    for tag, name, value in _judged(_scan(html_text), everything=True)[1]:
        if name.startswith("on") or tag not in TAGS:
            continue
        if name == "style":
            styles.add((tag, trust.style_key(value)))
            continue
        attrs.add((tag, name))
        if name == "class":
            classes.update(value.split())
        elif name in trust.ID_ATTRS:
            ids.add(value.strip())
        elif name in URL_ATTRS:
            for url in urls.srcset_urls(value) if name == "srcset" else [value]:
                t = urls.target(url)
                if t.scheme and t.scheme not in urls.NEVER:
                    schemes.add(t.scheme)
                if t.host:
                    hosts.add(urls.bare(t.host))
    hosts.update(urls.bare(m.group(1) or m.group(2) or "").lower().rstrip(".") for m in _DOMAIN.finditer(text))
    hosts.discard("")
    safe_attrs = {(t, n) for t, n in attrs if not n.startswith("on") and n != "style"}
    return trust.SourceTrust(tuple(foreign_elements(html_text)), frozenset(safe_attrs), frozenset(styles),
                             frozenset(classes), frozenset(ids), frozenset(schemes), frozenset(hosts))


_DOMAIN = re.compile(r"\b(?:https?:)?//([\w.-]+\.[a-z]{2,})|\bwww\.([\w.-]+\.[a-z]{2,})", re.I)


def needs_source(html_text: str) -> bool:
    """Whether the plain allow-list (no source trust) would remove anything from ``html_text``:
    only then can the source's trust matter, so only then is the source page rendered."""
    return bool(_removals(html_text, trust.EMPTY))


def escape_text(value: object) -> str:
    """A front-matter value as HTML text: shown literally, never parsed (idempotent on entities)."""
    return html.escape(chars.strip_tags(html.unescape(str(value))), quote=True)
