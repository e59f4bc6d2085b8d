"""What a translated page may contain once rendered: one allow-list for the build and for ``check``.

Translations are untrusted input published on the company's domain. Markdown
passes raw HTML through and attr_list adds arbitrary attributes, so whatever a
translation says, its rendered HTML goes through :func:`sanitize` (nh3, i.e.
the Rust ``ammonia`` sanitiser) before MkDocs writes the page. The allow-list is
what Python-Markdown, pymdown-extensions and Material produce for Markdown:
no ``<script>``, no event handlers, no ``javascript:``/``vbscript:`` URLs and
no ``data:`` URLs outside images, no ``<iframe>``/``<object>``/``<embed>``/
``<form>``/``<base>``/``<meta>``.

What the English source legitimately uses beyond that (its own ``<style>``,
its own embedded video) stays allowed in the translation only as the very
same element: :func:`foreign_elements` lists a page's elements outside the
allow-list, and an element of the translation that is byte-identical to one
of the source's (as many times as the source has it) is kept as it is.

:func:`problems` names what the sanitiser would remove, so the build can warn
with the file and the reason, and ``check`` can decide from the rendered HTML
of each block rather than from a regex over the Markdown.
"""

from __future__ import annotations

import html
import re
import secrets
from collections import Counter
from html.parser import HTMLParser

import nh3

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
    "a": frozenset({"href", "name", "target", "hreflang", "download", "rel"}),
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
STYLE_PROPERTIES = frozenset({"text-align"})  # what Python-Markdown's tables write
SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})  # data: for images only, see _attribute
URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background",
                       "cite", "data", "codebase", "dynsrc", "lowsrc"})
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript",
                               "textarea", "select", "xmp", "noembed", "noframes", "frameset", "frame",
                               "applet", "math", "title"})
_IMAGE_DATA = re.compile(r"data:image/(?:png|jpe?g|gif|webp|avif);", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "keygen"})


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in a URL attribute (entities decoded, controls dropped)."""
    cleaned = _CONTROL.sub("", html.unescape(value))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def bad_url(tag: str, attr: str, value: str) -> str | None:
    """Why a URL attribute is unsafe (``'javascript:' URL``), or None."""
    scheme = url_scheme(value)
    if scheme is None or scheme in ("http", "https", "mailto", "tel"):
        return None
    if scheme == "data" and tag in ("img", "source") and attr in ("src", "srcset") and _IMAGE_DATA.match(
            _CONTROL.sub("", html.unescape(value))):
        return None
    return f"'{scheme}:' link in <{tag} {attr}>"


def _attribute(tag: str, attr: str, value: str) -> str | None:
    if attr in URL_ATTRS and bad_url(tag, attr, value):
        return None
    return value


class _Scanner(HTMLParser):
    """Every element (with offsets) and what is unsafe in it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.starts: list[tuple[str, int, int, bool]] = []  # tag, start, end of start tag, self-closing
        self.ends: list[tuple[str, int, int]] = []
        self.problems: list[str] = []
        self.comments: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.starts.append((tag, start, start + len(raw), closed))
        if tag not in TAGS:
            self.problems.append(f"<{tag}> element")
            return
        allowed = ATTRS.get(tag, frozenset())
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name in URL_ATTRS and value is not None and (why := bad_url(tag, name, value)):
                self.problems.append(why)
            elif name == "style" and name in allowed:
                props = {p.split(":", 1)[0].strip().lower() for p in (value or "").split(";") if p.strip()}
                if props - STYLE_PROPERTIES:
                    self.problems.append(f"style= on <{tag}>")
            elif name not in allowed and name not in GENERIC_ATTRS and not name.startswith(tuple(PREFIXES)):
                self.problems.append(f"attribute {name}= on <{tag}>")

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
        self.problems.append("<!...> declaration")

    def unknown_decl(self, data: str) -> None:  # CDATA and the like
        self.problems.append("<![...]> section")

    def handle_pi(self, data: str) -> None:
        self.problems.append("<?...> processing instruction")


def _scan(text: str) -> _Scanner:
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    return scanner


def problems(fragment: str, once: bool = True) -> list[str]:
    """What :func:`sanitize` would remove from an HTML fragment, in order (each named once,
    or, with ``once=False``, as often as it occurs)."""
    found = _scan(fragment).problems
    return list(dict.fromkeys(found)) if once else found


def comments(fragment: str) -> list[str]:
    """The HTML comments of a fragment (readers do not see them; view-source does)."""
    return _scan(fragment).comments


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


def sanitize(fragment: str, allowed: list[str] | tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """(safe HTML, what was removed). ``allowed``: the source page's :func:`foreign_elements`;
    each may appear unchanged in the translation as many times as in the source."""
    kept: dict[str, str] = {}
    budget = Counter(allowed)
    text = fragment
    if budget:
        for element in foreign_elements(fragment):
            if budget[element] > 0:
                budget[element] -= 1
                token = f"helpglotkeep{secrets.token_hex(8)}"
                kept[token] = element
                text = text.replace(element, token, 1)
    removed = problems(text)
    clean = nh3.clean(
        text,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT - TAGS),
        attributes={"*": set(GENERIC_ATTRS), **{k: set(v) for k, v in ATTRS.items()}},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=set(PREFIXES),
        url_schemes=set(SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )
    for token, element in kept.items():
        clean = clean.replace(token, element, 1)
    return clean, removed


def escape_text(value: object) -> str:
    """A front-matter value as HTML text: shown literally, never parsed (idempotent on entities)."""
    return html.escape(html.unescape(str(value)), quote=True)
