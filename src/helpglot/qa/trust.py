"""What a translated page may use beyond plain Markdown: exactly what its English source uses.

The English source is trusted (DESIGN, contract 9); a translation is not. So the
allow-list for a translated page is the fixed set of what Python-Markdown,
pymdown-extensions and Material write for Markdown, widened by what *its own*
source page uses: the source's raw elements (byte for byte), its attributes, its
``class`` values, its ``style`` values (on the same element), its URL schemes (a
product's ``tallybird://`` links open the desktop app) and its link and image hosts.

Without this the sanitiser had to choose between two wrongs: allow ``class``
anywhere (and Material's CSS turns ``md-consent__overlay`` into a full-screen
"sign in again" modal) or strip what the English uses (video wrappers lost their
``style``, product links their target, and ``build --strict`` could never pass).

:func:`judge` decides one attribute value, for the build (as nh3's attribute
filter) and for ``check`` alike, and says why it removed what it removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpglot.qa import urls

#: class values Markdown, pymdown-extensions and Material write for Markdown (admonition types included)
BASE_CLASSES = frozenset("""
admonition admonition-title note abstract summary tldr info todo tip hint important success check done
question help faq warning caution attention failure fail missing danger error bug example quote cite inline end
highlight highlighttable linenos linenodiv lineno linenums normal special filename hll code md-ignore
tabbed-set tabbed-alternate tabbed-labels tabbed-content tabbed-block tabbed-control tabbed-button
task-list task-list-item task-list-control task-list-indicator
footnote footnote-ref footnote-backref headerlink toc toclink emoji twemoji gemoji emojione
keys critic break comment block arithmatex mermaid magiclink progress progress-bar progress-label codehilite
tabbed-control--prev tabbed-control--next
""".split())
_CLASS_PATTERNS = re.compile(
    r"^(?:language-[\w+#.-]+|lang-[\w+#.-]+|key-[\w-]+|magiclink-[\w-]+|progress-\d+(?:plus)?"
    r"|candystripe(?:-animate)?|[a-z]{1,3}[0-9]?)$")  # the last: Pygments' token classes (k, kd, s2, err)
_STYLE_PROP = re.compile(r"^\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*$", re.I)
_IMAGE_DATA = re.compile(r"data:image/(?:png|jpe?g|gif|webp|avif);", re.I)
BASE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background",
                       "cite", "data", "codebase", "dynsrc", "lowsrc"})
#: ``__`` ids pymdown-extensions writes (line anchors, content tabs); the theme's own are other ``__`` ids
_MARKDOWN_IDS = re.compile(r"^__(?:codelineno|span)-[\d-]+$|^__tabbed_\d+(?:_\d+)?$")
#: the ids Material's templates and JavaScript use (``for="__search"`` opens the search, ``__drawer``
#: the menu...); a heading slug that merely starts with ``__`` (``__name__ == "__main__"``) is none of them
_THEME_IDS = re.compile(r"^__(?:analytics|announce|code_\d+|config|consent|drawer|nav(?:_[\w-]*)?|outdated"
                        r"|palette(?:_\d+)?|search|settings|source|tabs|toc)$")
#: attributes that name an element by id (Material's own start with ``__``: ``__search``, ``__drawer``)
ID_ATTRS = frozenset({"id", "for", "name"})


def style_key(value: str) -> str:
    """A ``style`` value compared regardless of spacing and case."""
    return ";".join(p.strip().lower().replace(" ", "") for p in value.split(";") if p.strip())


@dataclass(frozen=True)
class SourceTrust:
    """What the source page uses that its translations may use too (see the module docstring)."""

    elements: tuple[str, ...] = ()
    attrs: frozenset[tuple[str, str]] = frozenset()
    styles: frozenset[tuple[str, str]] = frozenset()
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    schemes: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()

    def with_hosts(self, *hosts: str | None) -> SourceTrust:
        extra = {urls.bare(h.lower()) for h in hosts if h}
        if extra <= self.hosts:
            return self
        return SourceTrust(self.elements, self.attrs, self.styles, self.classes, self.ids, self.schemes,
                           self.hosts | extra)


EMPTY = SourceTrust()


def class_allowed(name: str, trust: SourceTrust) -> bool:
    return name in trust.classes or (not name.startswith("md-") or name == "md-ignore") and (
        name in BASE_CLASSES or bool(_CLASS_PATTERNS.match(name)))


def url_problem(tag: str, attr: str, value: str, trust: SourceTrust) -> str | None:
    """Why a URL value is removed (``'javascript:' link in <a href>``), or None."""
    values = urls.srcset_urls(value) if attr == "srcset" else [value]
    for url in values:
        t = urls.target(url)
        image = tag in ("img", "source", "picture", "video", "audio", "input") or attr in (
            "srcset", "poster", "background")
        if t.scheme == "data":
            if image and attr in ("src", "srcset") and _IMAGE_DATA.match(urls.normalise(url)):
                continue
            return f"'data:' link in <{tag} {attr}>"
        if t.scheme is not None and t.scheme not in BASE_SCHEMES and (
                t.scheme in urls.NEVER or t.scheme not in trust.schemes):
            return f"'{t.scheme}:' link in <{tag} {attr}>"
        if t.problem and t.host not in trust.hosts:
            return f"link to {t.problem} in <{tag} {attr}>"
        if t.host and not urls.host_allowed(t.host, trust.hosts):
            if image:
                return f"image from {urls.bare(t.host)}, a host the source does not use (tracking)"
            return f"link to {urls.bare(t.host)}, a domain the source does not link to"
    return None


def judge(tag: str, attr: str, value: str, trust: SourceTrust) -> tuple[str | None, str | None]:
    """(the value to keep or None, why something was removed or None) for one allowed attribute."""
    if attr.startswith("on"):
        return None, f"event handler {attr}= on <{tag}>"
    if attr == "class":
        names = value.split()
        kept = [n for n in names if class_allowed(n, trust)]
        gone = [n for n in names if n not in kept]
        why = f"class {' '.join(gone)} on <{tag}> (the source has none)" if gone else None
        return (" ".join(kept) or None), why
    if attr in ID_ATTRS and _THEME_IDS.match(value.strip()) and value not in trust.ids \
            and not _MARKDOWN_IDS.match(value):
        return None, f"{attr}=\"{value}\" on <{tag}>, a name the theme uses"
    if attr == "style":
        if _STYLE_PROP.match(value):  # (written as nh3's style filter always wrote it: same bytes)
            return style_key(value), None
        if (tag, style_key(value)) in trust.styles:
            return value, None
        return None, f"style= on <{tag}>"
    if attr in URL_ATTRS:
        why = url_problem(tag, attr, value, trust)
        return (None, why) if why else (value, None)
    return value, None
