"""URLs and locale codes with regions, end to end (issue 21, "URLs and locales"): hreflang,
canonical and sitemap URLs are percent-encoded, ``og:locale`` follows BCP 47 (a script subtag
is no territory), and a browser set to pt-BR or zh-TW is sent to that language's home."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from helpglot.site.pagemeta import og_locale
from helpglot.site.seo import absolute

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "src" / "helpglot" / "site" / "templates" / "main.html"


@pytest.mark.parametrize("tag, locale", [
    ("es", "es_ES"), ("pt-BR", "pt_BR"), ("pt-br", "pt_BR"), ("zh-Hans", "zh_CN"), ("zh-Hant", "zh_TW"),
    ("zh-TW", "zh_TW"), ("sr-Latn-RS", "sr_RS"), ("he", "he_IL"), ("ar", "ar_SA"), ("en", "en_US"),
])
def test_og_locale_reads_bcp47(tag: str, locale: str) -> None:
    assert og_locale(tag) == locale


def test_absolute_urls_are_percent_encoded_once() -> None:
    assert absolute("https://help.example/", "es/getting started/") == "https://help.example/es/getting%20started/"
    assert absolute(None, "ru/начало/") == "/ru/%D0%BD%D0%B0%D1%87%D0%B0%D0%BB%D0%BE/"
    assert absolute(None, "a%20b/") == "/a%20b/"  # not encoded twice


def test_an_article_with_a_space_in_its_name_gets_valid_alternates_and_sitemap(mini) -> None:
    mini("docs/getting started.md", "---\ntitle: Start\n---\n\nStart here.\n")
    mini("translations/es/getting started.md", "---\ntitle: Empezar\n---\n\nEmpieza aquí.\n")
    site = mini.root / "site"
    proc = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site)],
                          cwd=mini.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    page = (site / "es" / "getting started" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://mini.example/getting%20started/" hreflang="en"' in page
    assert 'href="https://mini.example/es/getting%20started/" hreflang="es"' in page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "getting started" not in sitemap and "getting%20started" in sitemap


def _root_redirect(links: dict[str, str], languages: list[str]) -> str | None:
    """Run the root page's first-visit redirect, as the template renders it, in Node."""
    script = re.search(r"<script>(.*?)</script>", MAIN.read_text(encoding="utf-8"), re.S).group(1)
    rendered = jinja2.Environment().from_string(script).render(
        helpglot={"is_root_home": True, "home_links": links, "source_lang": "en"})
    stub = f"""
      var replaced = null;
      global.XMLHttpRequest = function () {{}}; XMLHttpRequest.prototype = {{open() {{}}, send() {{}}}};
      global.localStorage = {{getItem() {{ return null; }}}};
      global.navigator = {{languages: {json.dumps(languages)}}};
      global.document = {{referrer: ""}};
      global.location = {{origin: "https://help.example", search: "", hash: "",
                          replace(url) {{ replaced = url; }}}};
      {rendered}
      console.log(JSON.stringify(replaced));
    """
    proc = subprocess.run(["node", "-e", stub], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("languages, home", [
    (["pt-BR", "en"], "pt-BR/"), (["pt-br"], "pt-BR/"), (["pt-PT", "en"], "pt-BR/"),
    (["zh-TW"], "zh-TW/"), (["zh-tw"], "zh-TW/"), (["es-MX"], "es/"), (["en-GB", "es"], None),
    (["fr-FR"], None),
])
def test_a_first_visit_goes_to_the_browsers_language_whatever_its_case_or_region(languages, home) -> None:
    links = {"en": "./", "es": "es/", "pt-BR": "pt-BR/", "zh-TW": "zh-TW/"}
    assert _root_redirect(links, languages) == home
