"""Zero axe-core violations for readers (axe-core from npm, tests/node, injected
into the page by Playwright) on every kind of page, in light and dark mode, in
every language; plus the feedback endpoint, on a copy of the sample with a stale
and a machine-translated article and a feedback_url (built once for this module)."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import LANGS, ROOT, SiteHandler, SiteServer, copy_sample, mkdocs

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
STALE = "getting-started/create-your-account.md"
MACHINE_ES = "integrations/connect-stripe.md"
FEEDBACK = "https://feedback.tallybird.example/helpful"
# an English-only article in each language (the sample is partly translated on purpose)
FALLBACK = {"ro": "integrations/bank-feeds/", "tr": "integrations/connect-stripe/",
            "ru": "account-and-billing/plans-and-pricing/", "lt": "integrations/api-quickstart/"}
QUERY = {"en": "invoice", "es": "factura", "ro": "factură", "tr": "fatura", "ru": "подключения", "lt": "sąskaita"}


def git(root: Path, *args: str, date: str) -> None:
    import os

    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@x", *args],
                   check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    if not AXE.is_file():
        pytest.fail(f"{AXE} missing: run `npm ci --prefix tests/node` (scripts/test does)")
    root = copy_sample(tmp_path_factory.mktemp("a11y"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      glossary_dir: glossary\n", f"      glossary_dir: glossary\n      feedback_url: {FEEDBACK}\n"),
        encoding="utf-8")
    git(root, "init", "-q", date="2026-03-01T12:00:00")
    git(root, "add", "-A", date="2026-03-01T12:00:00")
    git(root, "commit", "-qm", "sample", date="2026-03-01T12:00:00")
    source = root / "docs" / STALE
    text = source.read_text(encoding="utf-8")
    first = next(p for p in text.split("\n\n") if p and p[0].isalpha())
    source.write_text(text.replace(first, first + " It takes about two minutes."), encoding="utf-8")
    git(root, "commit", "-qam", "edit", date="2026-05-04T12:00:00")
    machine = root / "translations" / "es" / MACHINE_ES
    lines = machine.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if re.match(r"  - [0-9a-f]{12} reviewed$", line)][5]
    lines[at] = lines[at].replace("reviewed", "machine deepl")
    machine.write_text("\n".join(lines), encoding="utf-8")
    out = root / "site"
    mkdocs("build", "--site-dir", str(out), cwd=root)
    handler = functools.partial(SiteHandler, directory=str(out))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def axe(page) -> list[str]:
    """axe measures colours as painted: let transitions (search results fading in,
    hover backgrounds) finish first, or a half-faded colour is reported as a
    contrast failure depending on timing. The pointer is parked off the content."""
    page.mouse.move(0, 0)
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running')", timeout=5000)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map("
        "v => v.id + ' x' + v.nodes.length + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ')))",
        TAGS)
    return found


def pages_for(lang: str) -> list[tuple[str, str]]:
    prefix = "" if lang == "en" else f"/{lang}"
    pages = [("home", f"{prefix}/"), ("category", f"{prefix}/troubleshooting/"),
             ("article", f"{prefix}/getting-started/invite-your-team/"),
             ("404", f"{prefix}/no-such-article/")]
    if lang != "en":
        pages.append(("stale", f"{prefix}/getting-started/create-your-account/"))
    if lang in FALLBACK:
        pages.append(("fallback", f"{prefix}/{FALLBACK[lang]}"))
    if lang == "es":
        pages.append(("machine", f"{prefix}/integrations/connect-stripe/"))
    if lang == "en":
        pages.append(("status", "/helpglot-status/"))
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violation(page_factory, reader_site, lang, scheme):
    page = page_factory(color_scheme=scheme)
    problems = {}
    for kind, path in pages_for(lang):
        page.goto(reader_site + path)
        page.wait_for_function(f"document.documentElement.lang === '{lang}'")
        if kind == "stale":
            assert page.locator('[data-helpglot-notice="stale"]').count() == 1, path
        if kind == "machine":
            assert page.locator('[data-helpglot-notice="machine"]').count() == 1, path
        if kind == "fallback":
            assert page.locator('[data-helpglot-notice="fallback"]').count() == 1, path
        if kind != "status":
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
                "slate" if scheme == "dark" else "default")
        problems[kind] = axe(page)
        if kind == "home":  # the same page with the search open and results listed
            page.locator(".helpglot-searchbox").click()
            page.keyboard.type(QUERY[lang])
            page.keyboard.press("End")  # (letters off the US layout are inserted without key events)
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            problems["search-open"] = axe(page)
    assert not {kind: found for kind, found in problems.items() if found}, problems


def test_feedback_goes_to_the_configured_endpoint(page_factory, reader_site):
    page = page_factory()
    posted: list[dict] = []

    def endpoint(route):
        posted.append(json.loads(route.request.post_data))
        route.fulfill(status=204, headers={"Access-Control-Allow-Origin": "*"})

    page.route(FEEDBACK, endpoint)
    page.goto(reader_site + "/lt/troubleshooting/cannot-sign-in/")
    box = page.locator("[data-helpglot-feedback]")
    assert box.locator("[data-helpglot-feedback-link]").count() == 0, "an endpoint replaces the prefilled link"
    box.locator("[data-helpful=yes]").click()
    box.locator(".helpglot-feedback__thanks").wait_for(state="visible")
    box.locator("textarea").fill("Labai aišku, ačiū!")
    box.locator("button[type=submit]").click()
    page.wait_for_function("document.querySelector('.helpglot-feedback__more').hidden")
    assert posted == [
        {"page": "troubleshooting/cannot-sign-in.md", "lang": "lt", "url": "/lt/troubleshooting/cannot-sign-in/",
         "helpful": True, "comment": ""},
        {"page": "troubleshooting/cannot-sign-in.md", "lang": "lt", "url": "/lt/troubleshooting/cannot-sign-in/",
         "helpful": True, "comment": "Labai aišku, ačiū!"},
    ]


def test_a_failing_endpoint_says_so_in_the_readers_language(page_factory, reader_site):
    page = page_factory()
    page.route(FEEDBACK, lambda route: route.fulfill(status=500, headers={"Access-Control-Allow-Origin": "*"}))
    page.goto(reader_site + "/ru/troubleshooting/cannot-sign-in/")
    page.locator("[data-helpful=no]").click()
    error = page.locator(".helpglot-feedback__error")
    error.wait_for(state="visible")
    assert error.inner_text() == "Не удалось отправить отзыв. Попробуйте ещё раз позже."


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_no_page_is_wider_than_the_screen_and_axe_finds_nothing(page_factory, reader_site, lang):
    """Issue 21, 7: at 390 px the language menu's "(English only)" notes widened 72 of 115 pages,
    and the previous-article link lost its accessible name (Material hides its title there)."""
    page = page_factory(viewport=PHONE, is_mobile=True, has_touch=True)
    problems, wide = {}, {}
    for kind, path in pages_for(lang):
        page.goto(reader_site + path)
        page.wait_for_function(f"document.documentElement.lang === '{lang}'")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[kind] = overflow
        problems[kind] = axe(page)
    assert wide == {}, wide
    assert not {kind: found for kind, found in problems.items() if found}, problems
