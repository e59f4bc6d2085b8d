"""A page entirely in the reader's language, language switching that keeps the
reader's place, and the help-center furniture, in a real Chromium on the
sample built once per session (conftest's ``site``/``server``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import LANGS, ROOT

pytestmark = pytest.mark.browser

TARGETS = [lang for lang in LANGS if lang != "en"]
MESSAGES = yaml.safe_load((ROOT / "src" / "helpglot" / "messages.yml").read_text(encoding="utf-8"))
# every English UI string helpglot, Python-Markdown or Material put on a page of the sample
ENGLISH_UI = ("Note", "Warning", "Tip", "Question", "Permanent link", "Switch to light mode", "Switch to dark mode",
              "Switch to system preference", "Made with", "Skip to content", "Was this article helpful?",
              "Related articles", "Last updated", "Contact support", "Still need help?", "Page not found",
              "English only", "Search", "Not translated yet", "Copy to clipboard", "Previous", "Next",
              "Table of contents", "Navigation", "Footer", "Breadcrumb", "Header")
ARTICLE = "/getting-started/create-your-account/"  # translated in every language, has "!!! note" and "!!! warning"

# Text nodes and UI attributes of a page whose nearest lang is the page's language.
OWN_LANGUAGE_TEXT = """() => {
  const lang = document.documentElement.lang, out = [];
  const own = (el) => { const tagged = el.closest('[lang]'); return !tagged || tagged.lang === lang; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script,style,code,pre,.md-search-result')) continue;
    if (own(el) && node.textContent.trim()) out.push(node.textContent.trim());
  }
  for (const el of document.body.querySelectorAll('[title],[aria-label],[placeholder]')) {
    if (!own(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  out.push(document.title);
  return out;
}"""


def english_strings(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for phrase in ENGLISH_UI:
            if re.search(rf"(?<![\\w-]){re.escape(phrase)}(?![\\w-])", text):
                found.append(f"{phrase!r} in {text[:80]!r}")
    return found


@pytest.mark.parametrize("lang", TARGETS)
def test_no_english_ui_string_on_translated_pages(page_factory, server, lang):
    page = page_factory()
    strings = MESSAGES[lang]
    paths = [f"/{lang}{ARTICLE}", f"/{lang}/", f"/{lang}/getting-started/", f"/{lang}/no-such-page/",
             f"/{lang}/integrations/api-quickstart/", f"/{lang}/integrations/bank-feeds/"]  # code; ro/tr/lt: fallback
    for path in paths:
        page.goto(server + path)
        page.wait_for_function(f"document.documentElement.lang === '{lang}'")
        texts = page.evaluate(OWN_LANGUAGE_TEXT)
        assert not english_strings(texts), (path, english_strings(texts))
    page.goto(server + f"/{lang}{ARTICLE}")
    titles = page.locator("article .admonition-title").all_inner_texts()
    assert strings["admonition_note"] in titles and strings["admonition_warning"] in titles, titles
    assert set(page.eval_on_selector_all("a.headerlink", "els => els.map(e => e.title)")) == {strings["permalink"]}
    toggles = page.eval_on_selector_all("form[data-md-component=palette] label", "els => els.map(e => e.title)")
    assert set(toggles) == {strings["theme_to_light"], strings["theme_to_dark"], strings["theme_to_auto"]}
    assert strings["made_with"].replace("{material}", "Material for MkDocs") in " ".join(
        page.locator(".md-copyright").inner_text().split())
    assert page.locator(".md-skip").inner_text().strip() == strings["skip"]


def test_english_pages_keep_english_and_custom_titles_stay(page_factory, server):
    page = page_factory()
    page.goto(server + ARTICLE)
    assert "Note" in page.locator("article .admonition-title").all_inner_texts()
    page.goto(server + "/ro/account-and-billing/plans-and-pricing/")
    titles = page.locator("article .admonition-title, article details > summary").all_inner_texts()
    assert "Economisiți cu facturarea anuală" in titles, "a translator's own title is kept"
    assert MESSAGES["ro"]["admonition_warning"] in titles


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_404_speaks_the_language_searches_and_leads_home(page_factory, server, lang):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + f"/{lang}/no-such-article/")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    strings = MESSAGES[lang]
    assert page.locator("article h1").inner_text() == strings["not_found_title"]
    assert page.title().startswith(strings["not_found_title"])
    home = page.locator(".helpglot-404-home a")
    assert home.inner_text() == strings["not_found_home"]
    # a way out besides searching (issue 21): the help center's first articles, the contact link
    popular = page.eval_on_selector_all(".helpglot-404-popular a", "els => els.map(e => e.pathname)")
    assert len(popular) >= 3 and all(path.startswith(f"/{lang}/") for path in popular), popular
    assert page.locator(".helpglot-404-contact a").get_attribute("href") == "mailto:support@tallybird.com"
    alternates = page.eval_on_selector_all("a.md-select__link", "els => els.map(e => e.pathname)")
    assert alternates == ["/", "/es/", "/ro/", "/tr/", "/ru/", "/lt/"], "the selector leads to each language's home"
    page.locator(".helpglot-searchbox").tap()
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    home.click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def test_skip_link_lands_on_the_notice_before_the_title(page_factory, server):
    page = page_factory(locale="ru-RU")
    page.goto(server + "/ru/account-and-billing/plans-and-pricing/")  # English fallback: notice, then H1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-skip')")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'helpglot-main'")
    following = page.evaluate("""() => { let el = document.getElementById('helpglot-main').nextElementSibling;
        return el.getAttribute('data-helpglot-notice'); }""")
    assert following == "fallback"
    page.goto(server + "/es/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'helpglot-main'")
    assert page.evaluate("document.activeElement.tagName") == "H1", "home: the hero title, not the last section"


@pytest.mark.parametrize("key", ["Space", "Enter"])
def test_keyboard_reaches_the_hero_search_and_opens_it(page_factory, server, key):
    page = page_factory()
    page.goto(server + "/tr/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.helpglot-searchbox')"):
            break
    else:
        pytest.fail("Tab never reached the hero search box")
    page.keyboard.press(key)
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("fatura")
    page.wait_for_selector(".md-search-result__item", timeout=15000)


def test_tapping_the_hero_search_on_a_phone_focuses_the_input(page_factory, server):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/es/")
    page.locator(".helpglot-hero__search").tap()
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")


def test_keyboard_reaches_the_language_selector(page_factory, server):
    page = page_factory()
    page.goto(server + ARTICLE)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.md-select__link[hreflang=ro]')"):
            break
    else:
        pytest.fail("Tab never reached the Romanian entry of the language selector")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ro/getting-started/create-your-account/$"))


def test_switching_language_keeps_the_section_and_fetches_no_sitemap(page_factory, server):
    page = page_factory()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "/getting-started/invite-your-team/#choose-a-role")
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="es"]').click()
    page.wait_for_url(re.compile(r"/es/getting-started/invite-your-team/#choose-a-role$"))
    page.wait_for_timeout(500)
    assert not [url for url in requested if "sitemap" in url], requested


def test_selector_marks_languages_where_the_article_is_english_only(page_factory, server):
    page = page_factory()
    page.goto(server + "/es/account-and-billing/plans-and-pricing/")  # ru and tr have no translation
    marked = page.eval_on_selector_all("a.md-select__link[data-helpglot-english-only]",
                                       "els => els.map(e => e.hreflang)")
    assert sorted(marked) == ["ru"], marked
    link = page.locator('a.md-select__link[hreflang="ru"]')
    assert f"({MESSAGES['es']['english_only']})" in link.text_content()
    assert link.locator('span[lang="ru"]').text_content().strip() == "Русский"
    names = page.eval_on_selector_all("a.md-select__link span[lang]", "els => els.map(e => e.lang)")
    assert names == list(LANGS), "every language name carries its own lang"


def test_first_visit_redirect_keeps_query_and_hash(page_factory, server):
    page = page_factory(locale="es-ES")
    page.goto(server + "/?q=factura#browse")
    page.wait_for_url(re.compile(r"/es/\?q=factura#browse$"))


def test_logo_on_an_english_page_does_not_redirect(page_factory, server):
    page = page_factory(locale="es-ES")
    page.goto(server + ARTICLE)
    page.locator(".md-header__button.md-logo").click()
    page.wait_for_url(server + "/")
    page.wait_for_timeout(500)
    assert page.url == server + "/"


def test_fallback_marker_is_visible_text_on_a_phone(page_factory, server):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/ru/account-and-billing/")
    page.locator("label.md-header__button[for=__drawer]").tap()
    marker = page.locator(".md-nav--primary .helpglot-status-text").first
    marker.wait_for(state="visible")
    assert marker.inner_text() == MESSAGES["ru"]["badge_english"]
    assert page.locator(".md-nav--primary span[lang=en]").count() >= 1


def test_category_page_lists_its_articles_with_summaries_on_a_phone(page_factory, server):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/lt/integrations/")
    items = page.locator(".helpglot-category__item")
    assert items.count() == 4
    assert items.first.is_visible()
    summaries = page.locator(".helpglot-category__summary").all_inner_texts()
    assert len(summaries) == 4 and all(summaries)
    english = page.locator(".helpglot-category__item:has(.helpglot-badge) a[lang=en]")
    assert english.count() >= 1, "English-only articles are marked and tagged"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _git_date(rel: str) -> str:
    return subprocess.run(["git", "log", "-1", "--format=%cs", "--", rel], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_last_updated_is_the_translations_reviewed_date_in_the_readers_format(page_factory, server):
    page = page_factory()
    page.goto(server + "/es/getting-started/invite-your-team/")
    provenance = yaml.safe_load(
        (ROOT / "translations/es/getting-started/invite-your-team.md").read_text(encoding="utf-8").split("---")[1])
    reviewed = provenance["helpglot"]["reviewed"]
    stamp = page.locator(".helpglot-updated time")
    assert stamp.get_attribute("datetime") == reviewed.isoformat()
    assert stamp.inner_text() == reviewed.strftime("%d/%m/%Y")
    assert page.locator(".helpglot-updated").inner_text().startswith("Última actualización:")
    page.goto(server + "/getting-started/invite-your-team/")
    english = _git_date("docs/getting-started/invite-your-team.md")
    assert page.locator(".helpglot-updated time").get_attribute("datetime") == english


def test_feedback_related_and_contact_under_every_article(page_factory, server):
    page = page_factory()
    page.goto(server + "/tr/troubleshooting/cannot-sign-in/")
    strings = MESSAGES["tr"]
    box = page.locator("[data-helpglot-feedback]")
    assert box.locator("h2").inner_text() == strings["feedback_question"]
    link = box.locator("[data-helpglot-feedback-link]").get_attribute("href")
    assert link.startswith("mailto:support@tallybird.com?subject=") and "cannot-sign-in" in link
    box.locator("[data-helpful=no]").click()
    assert box.locator("[data-helpful=no]").get_attribute("aria-pressed") == "true"
    assert box.locator("textarea").is_visible()
    assert box.locator(".helpglot-feedback__thanks").inner_text() == strings["feedback_thanks"]
    # no feedback_url: nothing was sent, so nothing says thank you (issue 21)
    assert not box.locator(".helpglot-feedback__thanks").is_visible()
    related = page.locator(".helpglot-related a")
    assert 1 <= related.count() <= 3
    assert all("/tr/troubleshooting/" in href for href in
               page.eval_on_selector_all(".helpglot-related a", "els => els.map(e => e.href)")[:2])
    contact = page.locator(".helpglot-contact a")
    assert contact.inner_text() == strings["contact_link"]
    assert contact.get_attribute("href") == "mailto:support@tallybird.com"


def test_titles_open_graph_and_robots(site: Path, page_factory, server):
    page = page_factory()
    page.goto(server + "/")
    assert page.title() == "Tallybird Help Center", "the home page's title is not doubled"
    page.goto(server + "/es/")
    assert page.title() == "Centro de ayuda de Tallybird", "a translated home's title is its site name, once"
    page.goto(server + "/es" + ARTICLE)
    assert page.title() == "Crear tu cuenta - Centro de ayuda de Tallybird"
    # Python-Markdown's footnote back-link tooltip, in the reader's language (issue 21)
    back = (site / "es/account-and-billing/plans-and-pricing/index.html").read_text(encoding="utf-8")
    assert 'title="Volver a la nota 1 en el texto"' in back and "Jump back to footnote" not in back
    meta = page.eval_on_selector_all("meta[property^='og:'], meta[name^='twitter:']",
                                     "els => Object.fromEntries(els.map(e => [e.getAttribute('property') "
                                     "|| e.name, e.content]))")
    assert meta["og:locale"] == "es_ES"
    assert meta["og:title"] == page.title() == meta["twitter:title"]
    assert meta["og:url"] == "https://help.tallybird.com/es" + ARTICLE
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://help.tallybird.com/sitemap.xml" in robots
    assert "Disallow: /helpglot-status/" in robots


def test_status_page_on_a_phone(page_factory, server):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/helpglot-status/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    text = page.locator("body").inner_text()
    assert "Invite your team" in text and "getting-started/invite-your-team.md" not in text
    assert "up-to-date" not in text, "one vocabulary: 'Up to date'"


def test_english_pieces_around_a_fallback_article_carry_lang(page_factory, server):
    page = page_factory()
    page.goto(server + "/ru/account-and-billing/plans-and-pricing/")
    assert page.locator('.md-header__topic .md-ellipsis[lang="en"]').first.inner_text().strip() == "Plans and pricing"
    assert page.locator('[data-md-component="toc"][lang="en"]').count() >= 1
    following = page.locator(".md-footer__link--next")
    assert following.get_attribute("aria-label") is None
    assert following.locator('.md-ellipsis[lang="en"]').inner_text().strip() == "Update your payment method"
    page.goto(server + "/ru/account-and-billing/")
    assert page.locator('.md-header__topic .md-ellipsis[lang="en"]').count() == 0
    assert page.locator('.md-footer__link--prev .md-ellipsis[lang]').count() == 0
