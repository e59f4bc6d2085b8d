"""Search that forgives (issue 13), in a real Chromium on the sample help center: the committed
query set (bench/search_queries.yml: Turkish capitals, accents left out, one typo, «quotes»)
finds its article in the top 3 of its own language, with no false "missing" line; articles a
language shows in English come under the translated "Results in English" heading; a page
loads a few hundred bytes of index, not the help center's.

Queries are typed with key events, as readers type them (Material listens for keys; letters
off the US layout are inserted without key events, so End follows)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from conftest import LANGS, ROOT, ask_worker, served
from helpglot import messages
from helpglot.site import searchindex, searchtext

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((ROOT / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
WATCH = """() => { window.__hgMut = 0; new MutationObserver(() => { window.__hgMut = performance.now(); })
  .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
  document.addEventListener('helpglot-search-answer', e => { if (e.detail) window.__hgQ = e.detail.query; }); }"""
#: the list is settled once the worker has answered the query as typed (it says which: a loaded
#: machine can leave the answer to the last letter but one on screen for longer than any pause)
#: and nothing changed for 400 ms; words compared folded, as the worker drops "mí" beside "mi"
#: (Material's lunr worker, `search_index: lunr`, says nothing of the kind: the 400 ms alone)
SETTLED = """(typed) => {
  const fold = w => w.normalize('NFD').replace(/\\p{M}/gu, '').toLowerCase();
  const key = list => [...new Set(list.filter(Boolean).map(fold))].join(' ');
  const words = typed.normalize('NFC').match(/[\\p{L}\\p{N}\\p{M}]+/gu) || [];
  return window.__hgMut > 0 && performance.now() - window.__hgMut > 400
    && (window.__hgQ === undefined || key(window.__hgQ.split(' ')) === key(words)); }"""
RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > li')].map(li => ({
  heading: li.classList.contains('helpglot-search-english') ? li.textContent.trim() : null,
  href: li.querySelector('a') ? li.querySelector('a').getAttribute('href') : null,
  english: !!li.querySelector('h1 [lang="en"]'),
  missing: [...li.querySelectorAll('.md-search-result__terms')].map(e => e.textContent.trim()),
}))"""


def home(lang: str) -> str:
    return "/" if lang == "en" else f"/{lang}/"


def open_search(page, url: str) -> None:
    page.goto(url)
    page.locator(".helpglot-searchbox").first.click()
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    page.evaluate(WATCH)


def query(page, text: str) -> list[dict]:
    """Type ``text`` into the open search box; the result list once it stopped changing."""
    page.locator("input.md-search__input").fill("")
    page.evaluate("window.__hgMut = 0")
    page.keyboard.type(text)
    page.keyboard.press("End")
    page.wait_for_function(SETTLED, arg=text, timeout=30000)
    return page.evaluate(RESULTS)


def path_of(href: str | None) -> str:
    return re.sub(r"^https?://[^/]+", "", href or "").split("?")[0].split("#")[0]


@pytest.mark.parametrize("lang", LANGS)
def test_query_set_finds_each_article_in_the_top_3(page_factory, server, lang):
    page = page_factory()
    open_search(page, server + home(lang))
    failures = []
    for row in QUERIES[lang]:
        results = query(page, row["q"])
        paths = [path_of(item["href"]) for item in results if item["href"]]
        expected = home(lang) + row["expect"]
        rank = paths.index(expected) + 1 if expected in paths else None
        if rank is None or rank > 3:
            failures.append(f"{row['q']!r} ({row['kind']}): {row['expect']} at rank {rank}, top 3 {paths[:3]}")
        elif len(row["q"].split()) == 1 and any(item["missing"] for item in results):
            failures.append(f"{row['q']!r}: a one-word query found a result that says the word is missing")
    assert not failures, "\n".join(failures)


def test_english_only_articles_rank_with_the_languages_own_by_score(page_factory, server):
    """Russian shows "Download receipts" in English: an English word finds it first, marked
    lang="en" with its badge; the term base's Russian for "two-factor authentication" reaches
    the English-only "I cannot sign in"; "не могу войти" puts it in the top 3, among Russian
    pages ranked by score rather than after all of them (issue 21)."""
    page = page_factory()
    open_search(page, server + "/ru/")
    results = query(page, "receipts")
    first = results[0]
    assert path_of(first["href"]) == "/ru/account-and-billing/download-receipts/" and first["english"], results
    badge = page.eval_on_selector(".md-search-result__item [data-helpglot-english]",
                                  "e => getComputedStyle(e, '::after').content")
    assert messages.messages_for("ru")["badge_english"] in badge
    results = query(page, "двухфакторная аутентификация")
    paths = [path_of(item["href"]) for item in results if item["href"]]
    assert "/ru/troubleshooting/cannot-sign-in/" in paths[:3], results
    results = query(page, "не могу войти")
    paths = [path_of(item["href"]) for item in results if item["href"]]
    assert "/ru/troubleshooting/cannot-sign-in/" in paths[:3], results


NOTICE = """() => { const n = document.querySelector('.helpglot-search-notice');
  return n && !n.hidden ? n.innerText : ''; }"""


def test_a_query_nothing_answers_says_so_and_offers_a_way_out(page_factory, server):
    """No filler presented as results: no result at all, the translated "no article answers",
    the contact link and the help center's first articles (issue 21)."""
    page = page_factory()
    open_search(page, server + "/lt/")
    results = query(page, "zzqxw")
    assert not [item for item in results if item["href"]], results
    strings = messages.messages_for("lt")
    notice = page.evaluate(NOTICE)
    assert strings["search_none"].replace("{query}", "zzqxw") in notice, notice
    assert strings["contact_link"] in notice and strings["search_popular"] in notice, notice
    links = page.eval_on_selector_all(".helpglot-search-notice a", "els => els.map(e => e.getAttribute('href'))")
    assert "mailto:support@tallybird.com" in links and len(links) >= 3, links


@pytest.mark.parametrize(("lang", "text"), [("ru", "оплата криптовалютой"), ("en", "payroll taxes")])
def test_one_common_word_beside_one_the_help_center_never_says_is_no_answer(page_factory, server, lang, text):
    """"Оплата" is in a title, but no article is about paying in crypto: a word found nowhere weighs
    as a rare word, so a page with the other word covers less than 40% of the query, and a page
    that lacks a word must say the rest in its title (issue 21: no filler)."""
    page = page_factory()
    open_search(page, server + home(lang))
    results = query(page, text)
    assert not [item for item in results if item["href"]], results
    assert messages.messages_for(lang)["search_none"].split("{query}")[0] in page.evaluate(NOTICE)


def test_a_corrected_query_says_what_it_shows_and_a_word_nowhere_is_not_corrected(page_factory, server):
    """"fatcura" is shown as "factura" and says so; Turkish "ıade" (refund, in no article) is not
    turned into "vade" (due date): a four-letter word is corrected only when its first two
    letters stay."""
    page = page_factory()
    open_search(page, server + "/es/")
    results = query(page, "fatcura")
    assert results and results[0]["href"], results
    notice = page.evaluate(NOTICE)
    assert messages.messages_for("es")["search_corrected"].replace("{query}", "factura") in notice, notice
    open_search(page, server + "/tr/")
    results = query(page, "ıade")
    assert not [item for item in results if item["href"]], results
    assert messages.messages_for("tr")["search_none"].replace("{query}", "ıade") in page.evaluate(NOTICE)


def test_a_page_loads_a_small_index_and_fetches_only_what_the_query_needs(page_factory, server, site):
    page = page_factory()
    # the handler only records (reading a body inside it races the test: CI once saw the page load
    # before the event was handled); the index's response is awaited before anything is counted
    responses: list = []
    page.on("response", lambda r: responses.append(r) if "/search/" in r.url else None)
    with page.expect_response(lambda r: r.url.endswith("/es/search/search_index.json")):
        open_search(page, server + "/es/")
    page.wait_for_load_state("networkidle")
    loaded = {r.url: len(r.body()) for r in responses}
    assert list(loaded) == [server + "/es/search/search_index.json"] and max(loaded.values()) < 2000, loaded
    page.locator("input.md-search__input").fill("factura")  # one query (typing sends one per key)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    fetched = [r.url for r in responses]
    shards = [url for url in fetched if "/es/search/t/" in url]
    fragments = [url for url in fetched if "/es/search/f/" in url]
    meta = json.loads((site / "es/search/search_index.json").read_text(encoding="utf-8"))["config"]["helpglot"]
    assert 1 <= len(shards) <= 5 < meta["shards"], shards
    assert fragments and len(fragments) < meta["pages"], fragments
    assert not [url for url in fetched if "full" in url]


def test_the_worker_folds_words_as_the_index_builder_does(page_factory, server):
    """One folding on both sides, or accents and capitals would match at build time but not in
    the browser: the worker's functions, run in the page, against helpglot.site.searchtext."""
    words = ["İNDİR", "Indır", "ŞİFRE", "şterge", "ștergeți", "Счёт", "СЧЁТ", "SĄSKAITĄ", "Ūkis",
             "contraseña", "Ødegaard", "Straße", "«Stripe»", "e-postaları", "İlk", "ĮSPĖJIMAS",
             "مُكَوِّن", "مكوّن", "أحمد", "ـحسابـ", "שָׁלוֹם", "ลืมรหัสผ่าน", "ক্যাশে", "ខ្មែរ", "同期できない",
             "Stripe連携", "ｱｶｳﾝﾄ", "한국어", "Ελληνικά"]
    page = page_factory()
    page.goto(server + "/tr/")
    source = page.evaluate("""async () => {
        const url = new URL(JSON.parse(document.getElementById('__config').textContent).search, location.href);
        return (await fetch(url)).text(); }""")
    page.evaluate("src => { (0, eval)(src); }", source)  # defines helpglotFold (listeners stay idle)
    for lang in ("tr", "ro", "ru", "lt", "es", "en", "ar", "ja"):
        got = page.evaluate("""([words, lang]) => words.map(w => [helpglotFold.fold(w, lang),
            helpglotFold.lower(w, lang), helpglotFold.tokens(w), helpglotFold.words(w)])""", [words, lang])
        want = [[searchtext.fold(w, lang), searchtext.lower(w, lang), searchtext.tokens(w), searchtext.words(w)]
                for w in words]
        assert got == want, lang
    assert searchtext.fold("İNDİR", "tr") == searchtext.fold("indir", "tr") == "indir"
    assert searchtext.fold("şterge", "ro") == searchtext.fold("ștergeți", "ro")[:6]
    # marks are folded (Arabic harakat, Hebrew niqqud), never split a word (Thai, Bengali keep them)
    assert searchtext.fold("مُكَوِّن", "ar") == searchtext.fold("مكوّن", "ar") == "مكون"
    assert searchtext.fold("שָׁלוֹם", "he") == "שלום"
    assert searchtext.tokens("مكوّن ক্যাশে ลืมรหัสผ่าน") == ["مكوّن", "ক্যাশে", "ลืมรหัสผ่าน"]
    assert searchtext.fold("ক্যাশে", "bn") == "ক্যাশে"
    assert searchtext.words("同期できない") == ["同期", "期で", "でき", "きな", "ない"]


def test_lunr_mode_is_materials_search_without_false_missing_lines(page_factory, site, tmp_path):
    """`search_index: lunr` serves Material's lunr index (what the chunked step starts from, kept
    as search_index.full.json) through the same worker: stemmed matches no longer say "missing"."""
    lunr_site = tmp_path / "site"
    shutil.copytree(site, lunr_site)
    for index in lunr_site.rglob("search_index.full.json"):
        index.replace(index.with_name("search_index.json"))
    with served(lunr_site) as url:
        page = page_factory()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "/search/" in r.url else None)
        open_search(page, f"{url}/es/")
        results = query(page, "facturas")
        paths = [path_of(item["href"]) for item in results]
        assert "/es/troubleshooting/invoice-emails-not-delivered/" in paths[:3], paths
        assert not [item for item in results if item["missing"]], results
        assert [u for u in fetched if u.endswith("/es/search/search_index.json")], fetched
        assert not [u for u in fetched if "/search/t/" in u], "lunr mode fetches no shards"


def test_worker_protocol_exact_spelling_first_and_typos(page_factory, site, tmp_path):
    """The worker alone, on an index the post-build step makes from a lunr-format folder: Material's
    SETUP -> READY, QUERY -> RESULT; the page spelled as typed ranks first, the accent-less one
    follows; a typo past the third letter and one among the first letters both match."""
    root = tmp_path / "site"
    workers = root / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    shutil.copy2(site / "assets/javascripts/workers/helpglot-search.js", workers)
    docs = [{"location": "plain/", "title": "Pate", "text": "<p>pate pate and more about pate</p>"},
            {"location": "accent/", "title": "Pâte", "text": "<p>une pâte</p>"},
            {"location": "other/", "title": "Settings", "text": "<p>notifications and reminders</p>"}]
    (root / "fr/search").mkdir(parents=True)
    (root / "fr/search/search_index.json").write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    searchindex.build(root / "fr", "fr", "fr/search/")
    config = json.loads((root / "fr/search/search_index.json").read_text(encoding="utf-8"))["config"]
    with served(root) as url:
        page = page_factory()
        page.goto(f"{url}/assets/")
        replies = page.evaluate("""async ([config, queries]) => {
            const worker = new Worker('javascripts/workers/helpglot-search.js');
            const next = () => new Promise(resolve =>
                worker.addEventListener('message', e => resolve(e.data), {once: true}));
            worker.postMessage({type: 0, data: {config, docs: [], options: {suggest: false}}});
            const out = [await next()];
            for (const q of queries) { worker.postMessage({type: 2, data: q}); out.push(await next()); }
            return out; }""", [config, ["pâte", "pate", "notifcations", "nootifications", "reminder"]])
    assert replies[0] == {"type": 1}
    firsts = [[group[0]["location"] for group in reply["data"]["items"]] for reply in replies[1:]]
    assert firsts[0][:2] == ["accent/", "plain/"], firsts  # as typed first
    assert set(firsts[1][:2]) == {"accent/", "plain/"}, firsts
    assert firsts[2] == ["other/"] and firsts[3] == ["other/"] and firsts[4] == ["other/"], firsts
    assert all(reply["type"] == 3 and reply["data"]["suggest"] == [] for reply in replies[1:])


def test_more_than_ten_results_are_reachable_with_a_true_count(page_factory, server):
    """Ten results first (each costs a fragment); the true count is on the button that asks the
    worker for all of them (issue 21: results were capped at ten with a misleading count)."""
    page = page_factory()
    open_search(page, server + "/es/")
    results = query(page, "de")  # (a stop word alone: every Spanish page has it)
    assert len([item for item in results if item["href"]]) >= 10, results
    button = page.locator(".helpglot-search-more button")
    text = button.inner_text()
    total = int(re.search(r"\d+", text).group(0))
    assert total > 10 and text == messages.messages_for("es")["search_more"].replace("{count}", str(total))
    page.evaluate("window.__hgMut = 0")
    button.click()
    page.wait_for_function("window.__hgMut > 0 && performance.now() - window.__hgMut > 400", timeout=15000)
    for _ in range(10):  # Material renders a long list as the reader scrolls it
        page.evaluate("document.querySelector('.md-search__scrollwrap').scrollTop = 1e6")
        page.wait_for_timeout(200)
    shown = page.eval_on_selector_all(".md-search-result__item > a", "els => els.length")
    assert shown > 10, shown
    assert str(total) in page.locator(".md-search-result__meta").inner_text()  # Material's count is the true one


def test_on_a_phone_an_english_only_answer_is_in_reach_and_fits_the_screen(page_factory, server):
    """At 390 px (the header's search button, then typing): "не могу войти" puts the English-only
    "I cannot sign in" in the top 3 with its badge, and neither the result list nor the page
    scrolls sideways."""
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/ru/")
    page.locator('label.md-header__button[for="__search"]').first.click()
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    page.evaluate(WATCH)
    results = query(page, "не могу войти")
    paths = [path_of(item["href"]) for item in results if item["href"]]
    assert "/ru/troubleshooting/cannot-sign-in/" in paths[:3], results
    assert any(item["english"] for item in results[:4]), results
    box = page.eval_on_selector(".md-search-result", "e => e.getBoundingClientRect().right")
    assert box <= 390, f"the result list ends at {box} px on a 390 px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_worker_same_stem_and_missing_only_when_truly_missing(page_factory, site, tmp_path):
    """Stems matched by equality where Snowball changes letters (the index says "pricing" has the
    stem "price", so it finds a page that says only "prices"), and "Missing" never said of a page
    that has the word although its posting list was cut: a list of 100 sections can hold fewer
    pages than the word's page count."""
    root = tmp_path / "site"
    workers = root / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    shutil.copy2(site / "assets/javascripts/workers/helpglot-search.js", workers)
    docs = [{"location": "plans/", "title": "Plans", "text": "<p>Our prices per month.</p>"},
            {"location": "faq/", "title": "Questions", "text": "<p>About pricing.</p>"}]
    for n in range(60):  # "ledger" in 60 pages, two sections each: its list is cut to 100 sections
        said = "Ledger" if n < 50 else "Notes"
        docs += [{"location": f"p{n}/", "title": f"{said} {n}", "text": "<p>ledger entries and the ledger</p>"},
                 {"location": f"p{n}/#more", "title": said, "text": "<p>ledger</p>" if n < 50 else "<p>other</p>"}]
    docs[-2]["title"] = "Zebra 59"  # the page a query for "zebra ledger" shows: it says both
    (root / "search").mkdir(parents=True)
    (root / "search/search_index.json").write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    searchindex.build(root, "en", "search/")
    config = json.loads((root / "search/search_index.json").read_text(encoding="utf-8"))["config"]
    pricing, zebra, unknown = ask_worker(page_factory, root, "assets/", "javascripts/workers/helpglot-search.js",
                                         config, ["pricing", "zebra ledger", "zebra ledger xylographing"])
    assert {group[0]["location"] for group in pricing["items"]} == {"plans/", "faq/"}, pricing
    first = zebra["items"][0][0]
    assert first["location"] == "p59/" and first["terms"] == {"zebra": True, "ledger": True}, first
    # a word the index has in no form may be another form of a word the page says: never "missing"
    first = unknown["items"][0][0]
    assert first["location"] == "p59/" and first["terms"]["xylographing"] is True, first
