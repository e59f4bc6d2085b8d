"""What search engines and link previews read from a page's head: Open Graph
and Twitter tags in the page's own language (``og:locale``), and ``robots.txt``.

Plain string functions over built HTML, like :mod:`helpglot.site.seo`; the plugin
calls them from ``on_post_page`` and after the build.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from helpglot.fsutil import atomic_write_text
from helpglot.site import readerui

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
# og:locale is language_TERRITORY; the usual territory for a bare language code
TERRITORY = {"en": "US", "es": "ES", "ro": "RO", "tr": "TR", "ru": "RU", "lt": "LT", "de": "DE", "fr": "FR",
             "pt": "BR", "it": "IT", "nl": "NL", "pl": "PL", "uk": "UA", "ja": "JP", "ko": "KR", "zh": "CN",
             "sv": "SE", "da": "DK", "nb": "NO", "fi": "FI", "cs": "CZ", "el": "GR", "he": "IL", "ar": "SA"}


#: the territory a script subtag implies where no region is given
SCRIPT_TERRITORY = {"hans": "CN", "hant": "TW", "cyrl": "RS", "latn": None}


def og_locale(lang: str) -> str:
    """``es`` -> ``es_ES``, ``pt-BR`` -> ``pt_BR``, ``zh-Hant`` -> ``zh_TW``, ``sr-Latn-RS`` -> ``sr_RS``
    (a BCP 47 tag: language, then an optional four-letter script, then an optional region)."""
    parts = re.split(r"[-_]", lang)
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), None)
    if region is None:
        script = next((p.lower() for p in parts[1:] if len(p) == 4), None)
        region = SCRIPT_TERRITORY.get(script) if script else None
    return f"{language}_{region or TERRITORY.get(language, language.upper())}"


_DESCRIPTION = re.compile(r'(<meta name="description" content=")[^"]*"')


def add_meta(output: str, lang: str, description: str | None, robots: str | None = None) -> str:
    """Open Graph and Twitter card tags, from the page's own title, canonical URL and description;
    the page's description, and ``dir="rtl"`` for a right-to-left language (readerui.direction)."""
    if 'property="og:title"' in output:
        return output
    title = _TITLE.search(output)
    canonical = _CANONICAL.search(output)
    site_name = None
    tags = []
    if title:
        text = html.unescape(title.group(1).strip())
        site_name = text.rsplit(" - ", 1)[-1]
        tags.append(("property", "og:title", text))
    if description:
        tags.append(("property", "og:description", description))
    tags.append(("property", "og:type", "website"))
    if canonical:
        tags.append(("property", "og:url", html.unescape(canonical.group(1))))
    tags.append(("property", "og:locale", og_locale(lang)))
    if site_name:
        tags.append(("property", "og:site_name", site_name))
    tags.append(("name", "twitter:card", "summary"))
    if title:
        tags.append(("name", "twitter:title", html.unescape(title.group(1).strip())))
    if description:
        tags.append(("name", "twitter:description", description))
    if robots:
        tags.append(("name", "robots", robots))
    block = "".join(f'<meta {attr}="{name}" content="{html.escape(str(value))}">\n    ' for attr, name, value in tags)
    if description and robots:  # the 404, where Material wrote the site's (English) description
        output = _DESCRIPTION.sub(lambda m: m.group(1) + html.escape(description) + '"', output, count=1)
    return readerui.direction(output.replace("</head>", block + "</head>", 1), lang)


def robots_txt(site_url: str | None) -> str:
    """Everything may be crawled except the team's status page; the sitemap of every language.
    (Crawlers read it only at a host's root: a site under a sub-path needs the host's own.)"""
    base = urlsplit(site_url).path.rstrip("/") if site_url else ""
    lines = ["User-agent: *", f"Disallow: {base}/helpglot-status/"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def write_robots(site: Path, site_url: str | None) -> None:
    """``robots.txt`` at the site root, unless the site ships its own (docs/robots.txt)."""
    target = site / "robots.txt"
    if not target.exists():
        atomic_write_text(target, robots_txt(site_url))
