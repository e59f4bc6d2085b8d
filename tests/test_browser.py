"""What readers see, in a real headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "/getting-started/create-your-account/"


def search(page, query: str) -> list[str]:
    """Type into Material's search box; return the result links (absolute URLs)."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reacts to key events; fill() alone inserts text silently
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(
        ".md-search-result__item > a", "els => els.map(e => e.href)"
    )


def test_switching_language_keeps_the_reader_on_the_same_article(page_factory, server):
    page = page_factory()
    page.goto(server + ARTICLE)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="es"]').click()
    page.wait_for_url(re.compile(r"/es/getting-started/create-your-account/$"))
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="lt"]').click()
    page.wait_for_url(re.compile(r"/lt/getting-started/create-your-account/$"))
    assert page.locator("html").get_attribute("lang") == "lt"
    assert page.locator("article h1").inner_text().strip() == "Paskyros sukūrimas" or page.locator(
        "article h1"
    ).inner_text() != "Create your account"


def test_spanish_search_finds_only_spanish_articles(page_factory, server):
    page = page_factory()
    page.goto(server + "/es/")
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "search_index" in r.url else None)
    page.reload()
    links = search(page, "facturas recurrentes")
    assert links, "Spanish results expected"
    assert all("/es/" in link for link in links), links
    assert any("send-your-first-invoice" in link for link in links)
    assert all(url.endswith("/es/search/search_index.json") for url in requested), requested


def test_russian_search_uses_the_stemmer_and_stays_in_russian(page_factory, server):
    page = page_factory()
    page.goto(server + "/ru/")
    # "подключения" (genitive) must find articles that say "подключение" / "Подключение Stripe"
    links = search(page, "подключения")
    assert links
    assert all("/ru/" in link for link in links), links
    assert any("connect-stripe" in link for link in links), links


def test_lithuanian_search_works_without_a_stemmer(page_factory, server):
    page = page_factory()
    page.goto(server + "/lt/")
    links = search(page, "sąskaitą")
    assert links and all("/lt/" in link for link in links), links


def test_untranslated_article_shows_english_with_a_notice_in_the_readers_language(page_factory, server):
    page = page_factory(locale="ru-RU")
    page.goto(server + "/ru/account-and-billing/plans-and-pricing/")
    notice = page.locator('[data-helpglot-notice="fallback"]')
    assert notice.is_visible()
    assert "недоступна на русском" in notice.inner_text()
    assert page.locator(".helpglot-fallback[lang=en]").count() == 1
    assert page.locator("html").get_attribute("lang") == "ru"
    assert notice.locator("a").count() == 0, "the fallback notice links nowhere"


def test_translated_article_has_no_notice(page_factory, server):
    page = page_factory()
    page.goto(server + "/ru" + ARTICLE)
    assert page.locator("[data-helpglot-notice]").count() == 0


def test_first_visit_follows_the_browser_language(page_factory, server):
    page = page_factory(locale="tr-TR")
    page.goto(server + "/")
    page.wait_for_url(re.compile(r"/tr/$"))
    assert page.locator("html").get_attribute("lang") == "tr"


def test_unknown_browser_language_stays_in_english(page_factory, server):
    page = page_factory(locale="ja-JP")
    page.goto(server + "/")
    page.wait_for_timeout(500)
    assert page.url == server + "/"


def test_explicit_choice_is_remembered_and_wins(page_factory, server):
    page = page_factory(locale="es-ES")
    page.goto(server + "/")
    page.wait_for_url(re.compile(r"/es/$"))
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(server + "/")
    page.wait_for_timeout(300)
    page.goto(server + "/")
    page.wait_for_timeout(500)
    assert page.url == server + "/", "the reader chose English; no redirect to Spanish"
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="ro"]').click()
    page.wait_for_url(re.compile(r"/ro/$"))
    page.goto(server + "/")
    page.wait_for_url(re.compile(r"/ro/$"))


def test_404_is_in_the_language_of_the_missing_path(page_factory, server):
    page = page_factory()
    page.goto(server + "/es/no-such-article/")
    page.wait_for_function("document.documentElement.lang === 'es'", timeout=10000)
    page.goto(server + "/no-such-article/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_home_page_has_search_and_category_cards_on_a_phone(page_factory, server):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/lt/")
    assert page.locator(".helpglot-hero__search").is_visible()
    assert page.locator(".helpglot-card").count() >= 4
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    page.locator(".helpglot-hero__search").click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementById('__search').checked")
