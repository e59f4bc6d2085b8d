"""The sample help center built for real with `mkdocs build`: every language's
pages, lang attributes, selector links, search indexes, hreflang, sitemap, 404s."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import LANGS, ROOT

SITE_URL = "https://help.tallybird.com/"
ARTICLES = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))


def translated(lang: str) -> set[str]:
    top = ROOT / "translations" / lang
    return {p.relative_to(top).as_posix() for p in top.rglob("*.md")}


def url_of(rel: str) -> str:
    """Site-relative directory URL of a source article, e.g. 'getting-started/'."""
    stem = rel[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def html_of(site: Path, lang: str, rel: str) -> str:
    prefix = "" if lang == "en" else f"{lang}/"
    return (site / prefix / url_of(rel) / "index.html").read_text(encoding="utf-8")


def test_sample_has_the_promised_content():
    assert len([a for a in ARTICLES if not a.endswith("index.md")]) >= 12
    categories = {a.split("/")[0] for a in ARTICLES if "/" in a and not a.startswith("assets")}
    assert len(categories) >= 4
    assert translated("es") == set(ARTICLES), "Spanish must be complete"
    for lang in ("ro", "tr", "ru", "lt"):
        articles = [a for a in ARTICLES if not a.endswith("index.md")]
        done = [a for a in articles if a in translated(lang)]
        assert len(done) * 2 >= len(articles), f"{lang}: at least half of the articles"
        assert len(done) < len(articles), f"{lang}: some left untranslated so fallbacks show"


@pytest.mark.parametrize("lang", LANGS)
def test_every_article_is_built_with_the_right_lang(site: Path, lang: str):
    for rel in ARTICLES:
        html = html_of(site, lang, rel)
        assert f'<html lang="{lang}"' in html, (lang, rel)


@pytest.mark.parametrize("lang", [code for code in LANGS if code != "en"])
def test_translated_pages_show_translation_and_fallbacks_say_so(site: Path, lang: str):
    done = translated(lang)
    for rel in ARTICLES:
        html = html_of(site, lang, rel)
        source_title = re.search(r"^title: (.*)$", (ROOT / "docs" / rel).read_text(), re.M).group(1)
        if rel in done:
            assert 'data-helpglot-notice="fallback"' not in html, (lang, rel)
            own_title = re.search(
                r"^title: (.*)$", (ROOT / "translations" / lang / rel).read_text(), re.M
            ).group(1).strip('"')
            assert own_title.split(":")[0] in html
        else:
            assert 'data-helpglot-notice="fallback"' in html, (lang, rel)
            assert 'lang="en" dir="auto" class="helpglot-fallback"' in html or rel == "index.md"
            assert source_title.strip('"').split(":")[0] in html


def test_fallback_notice_is_in_the_readers_language(site: Path):
    rel = next(a for a in ARTICLES if a not in translated("ru") and not a.endswith("index.md"))
    html = html_of(site, "ru", rel)
    assert "Эта статья пока недоступна на русском языке" in html
    rel = next(a for a in ARTICLES if a not in translated("lt") and not a.endswith("index.md"))
    assert "Šis straipsnis dar neišverstas" in html_of(site, "lt", rel)


def test_fallback_articles_are_marked_in_navigation_and_home_cards(site: Path):
    rel = next(a for a in ARTICLES if a not in translated("tr") and not a.endswith("index.md"))
    home = html_of(site, "tr", "index.md")
    pattern = re.escape(url_of(rel))
    link = re.search(rf'<a href="([^"]*{pattern})" lang="en" dir="auto">', home)
    assert link, "untranslated article on the Turkish home page carries lang=en"
    assert "helpglot-badge" in home and "İngilizce" in home
    article = html_of(site, "tr", rel)
    assert "md-status--helpglot-english" in article
    translated_rel = next(a for a in sorted(translated("tr")) if not a.endswith("index.md"))
    assert f'href="{url_of(translated_rel)}" lang="en"' not in home


def test_language_selector_keeps_the_reader_on_the_same_article(site: Path):
    rel = "getting-started/create-your-account.md"
    html = html_of(site, "es", rel)
    links = dict(
        (m.group(2), m.group(1))
        for m in re.finditer(r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"[^>]*>', html)
    )
    assert set(links) == set(LANGS)
    page_url = "https://x/es/getting-started/create-your-account/"
    for lang, href in links.items():
        prefix = "" if lang == "en" else f"{lang}/"
        assert urljoin(page_url, href) == f"https://x/{prefix}getting-started/create-your-account/"


def test_hreflang_is_absolute_with_x_default_and_only_real_translations(site: Path):
    rel = next(a for a in ARTICLES if a in translated("ro") and not a.endswith("index.md"))
    html = html_of(site, "ro", rel)
    tags = dict(
        (m.group(2), m.group(1))
        for m in re.finditer(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
    )
    assert tags["x-default"] == SITE_URL + url_of(rel)
    assert tags["en"] == SITE_URL + url_of(rel)
    assert tags["ro"] == SITE_URL + "ro/" + url_of(rel)
    for lang in LANGS[1:]:
        if rel in translated(lang):
            assert tags[lang] == f"{SITE_URL}{lang}/{url_of(rel)}"
        else:
            assert lang not in tags, f"{lang} is a fallback and must not be announced"
    untranslated = next(a for a in ARTICLES if a not in translated("ro"))
    fallback_html = html_of(site, "ro", untranslated)
    assert f'<link rel="canonical" href="{SITE_URL}{url_of(untranslated)}">' in fallback_html


def load_index(site: Path, lang: str) -> dict:
    """The language's search config and documents; with the chunked index (the default) the
    documents are read back from the per-page fragments the browser fetches, own pages only."""
    folder = site / ("" if lang == "en" else lang) / "search"
    index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    meta = index["config"].get("helpglot")
    if meta:
        assert index["docs"] == [], "pages load no documents with the chunked index"
        for number in range(meta["en_from"]):
            page = json.loads((folder / "f" / f"{number}.json").read_text(encoding="utf-8"))
            index["docs"].append({"location": page["l"], "title": page["t"]})
            index["docs"] += [{"location": page["l"] + loc if loc.startswith("#") else loc, "title": title}
                              for loc, title, _ in page["s"]]
    return index


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_search_index(site: Path, lang: str):
    index = load_index(site, lang)
    locations = [doc["location"] for doc in index["docs"]]
    assert locations, lang
    other = tuple(f"{code}/" for code in LANGS if code != "en")
    assert not any(loc.startswith(other) for loc in locations), "no other language's pages"
    titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    if lang != "en":
        done = translated(lang)
        for rel in ARTICLES:
            if rel not in done and not rel.endswith("index.md"):
                assert url_of(rel) not in locations, f"{lang}: English fallback {rel} indexed"
        sample = next(a for a in sorted(done) if not a.endswith("index.md"))
        title = re.search(r"^title: (.*)$", (ROOT / "translations" / lang / sample).read_text(), re.M)
        assert title.group(1).strip('"') in titles


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["en"]), ("es", ["es"]), ("ro", ["ro"]), ("tr", ["tr"]), ("ru", ["ru", "en"]), ("lt", ["en"])],
)
def test_search_uses_the_languages_stemmer(site: Path, lang: str, expected: list[str]):
    config = load_index(site, lang)["config"]
    assert config["lang"] == expected
    if lang == "lt":
        assert config["pipeline"] == [], "no English stemmer or stop words on Lithuanian"
    else:
        assert "stemmer" in config["pipeline"]


def test_pages_point_material_search_at_their_own_index(site: Path):
    es = html_of(site, "es", "getting-started/create-your-account.md")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', es).group(1))
    assert config["base"] == "../../../es/"
    en = html_of(site, "en", "getting-started/create-your-account.md")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', en).group(1))
    assert config["base"] == "../.."


def test_sitemap_lists_every_language_with_alternates(site: Path):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "sitemap.xml")
    locs = [el.text for el in tree.findall("s:url/s:loc", ns)]
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        done = set(ARTICLES) if lang in ("en",) else translated(lang)
        for rel in done:
            assert f"{SITE_URL}{prefix}{url_of(rel)}" in locs, (lang, rel)
    fallback = next(a for a in ARTICLES if a not in translated("lt"))
    assert f"{SITE_URL}lt/{url_of(fallback)}" not in locs
    first = tree.find("s:url", ns)
    langs = {el.get("hreflang") for el in first.findall("x:link", ns)}
    assert "x-default" in langs and "en" in langs


def test_a_404_page_per_language(site: Path):
    root = (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in root
    for lang in LANGS[1:]:
        page = (site / lang / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page, lang
    assert "fetch(b+s+'/404.html')" in root


def test_headings_keep_the_source_anchor_ids(site: Path):
    rel = "getting-started/invite-your-team.md"
    ids_en = re.findall(r'<h2 id="([^"]+)"', html_of(site, "en", rel))
    assert "choose-a-role" in ids_en
    for lang in LANGS[1:]:
        if rel in translated(lang):
            assert re.findall(r'<h2 id="([^"]+)"', html_of(site, lang, rel)) == ids_en, lang


def test_build_is_clean_links_and_anchors_resolve_in_every_language(site: Path):
    log = (site.parent / f"{site.name}.build.log").read_text(encoding="utf-8")
    assert "WARNING" not in log, log
    assert "anchor" not in log, "translated headings keep the anchors other pages link to"
