"""hreflang alternates and the multilingual sitemap.

Search engines need absolute URLs in ``<link rel="alternate" hreflang>`` and
in sitemaps, and a page that is really the English text under ``/es/`` must
not claim to be Spanish. These helpers work on plain records so they can be
tested without a build.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import quote

from helpglot.fsutil import atomic_write_bytes, atomic_write_text

ALTERNATE_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


@dataclass(frozen=True)
class PageVersion:
    """One built page of one language."""

    lang: str
    source: str  # source path relative to docs/, e.g. "getting-started/index.md"
    url: str  # site-relative URL, e.g. "es/getting-started/"
    fallback: bool  # the English text shown because no translation exists
    lastmod: str | None = None  # ISO date: the translation's reviewed date, the source's last commit


@lru_cache(maxsize=1 << 16)
def absolute(site_url: str | None, url: str) -> str:
    """An absolute URL for a site-relative one (site-root-relative if no site_url), its path
    percent-encoded: an article named "getting started.md" or "начало.md" must give a valid
    hreflang, canonical and sitemap URL (an already encoded ``%20`` stays as it is)."""
    url = "" if url in (".", "./") else quote(url.lstrip("/"), safe="/%#?=&:@!$'()*+,;~")
    if not site_url:
        return "/" + url
    return site_url.rstrip("/") + "/" + url


def hreflang_tags(versions: dict[str, PageVersion], source_lang: str, site_url: str | None) -> str:
    """``<link rel=alternate>`` tags for the real versions of a page plus ``x-default``."""
    tags = []
    for lang in sorted(versions, key=lambda code: (code != source_lang, code)):
        version = versions[lang]
        if version.fallback:
            continue
        tags.append(
            f'<link rel="alternate" href="{escape(absolute(site_url, version.url))}" '
            f'hreflang="{escape(lang)}">'
        )
    if source_lang in versions:
        tags.append(
            f'<link rel="alternate" href="{escape(absolute(site_url, versions[source_lang].url))}" '
            'hreflang="x-default">'
        )
    return "\n    ".join(tags)


def sitemap_xml(
    pages: dict[str, dict[str, PageVersion]],
    source_lang: str,
    site_url: str | None,
    only: str | None = None,
) -> str:
    """A sitemap listing every real page of every language (or of ``only``), with alternates."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for source in sorted(pages):
        versions = pages[source]
        real = {lang: v for lang, v in versions.items() if not v.fallback}
        ordered = sorted(real, key=lambda code: (code != source_lang, code))
        # each version's URL is written once as <loc> and once per alternate: made once
        href = {lang: escape(absolute(site_url, real[lang].url)) for lang in ordered}
        alternates = [f'    <xhtml:link rel="alternate" hreflang="{escape(alt)}" href="{href[alt]}"/>'
                      for alt in ordered]
        if source_lang in real:
            alternates.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{href[source_lang]}"/>')
        for lang in ordered:
            if only is not None and lang != only:
                continue
            lines.append("  <url>")
            lines.append(f"    <loc>{href[lang]}</loc>")
            if real[lang].lastmod:
                lines.append(f"    <lastmod>{escape(real[lang].lastmod)}</lastmod>")
            lines.extend(alternates)
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site_dir: Path, xml: str) -> None:
    atomic_write_text(site_dir / "sitemap.xml", xml)
    atomic_write_bytes(site_dir / "sitemap.xml.gz", gzip.compress(xml.encode("utf-8"), mtime=0))


def replace_alternates(output: str, tags: str) -> str:
    """A page's hreflang links (``tags``) in place of those the theme wrote, in ``<head>``."""
    end = output.find("</head>")  # (the links are in <head>: scanning a 100 KB body costs)
    head, body = (output[:end], output[end:]) if end >= 0 else (output, "")
    match = ALTERNATE_LINK.search(head)
    if match is None:
        return output.replace("</head>", f"  {tags}\n  </head>", 1) if tags else output
    head = ALTERNATE_LINK.sub("", head)
    return head[: match.start()] + f"    {tags}\n" + head[match.start():] + body


_CANONICAL = re.compile(r'<link rel="canonical" href="[^"]*">')


def page_head(output: str, versions: dict[str, PageVersion], source_lang: str, site_url: str | None,
              fallback: bool) -> str:
    """A built page's head: its hreflang alternates in every language, and for an English
    stand-in page a canonical link to the English original (one page, not six duplicates)."""
    output = replace_alternates(output, hreflang_tags(versions, source_lang, site_url))
    if fallback and source_lang in versions:
        english = absolute(site_url, versions[source_lang].url)
        output = _CANONICAL.sub(f'<link rel="canonical" href="{english}">', output, count=1)
    return output
