"""Readers see the machine and stale notices on exactly the pages that need them
(a real build of a modified copy of the sample, checked in a real browser)."""

from __future__ import annotations

import functools
import re
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import SiteHandler, SiteServer, copy_sample, mkdocs

pytestmark = pytest.mark.browser

STALE = "getting-started/create-your-account.md"
MACHINE_ES = "integrations/connect-stripe.md"
MACHINE_LT = "getting-started/send-your-first-invoice.md"


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = None
    if date:
        import os

        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@x", *args],
                   check=True, capture_output=True, env=env)


def mark_machine(path: Path, block: int) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    hashes = [i for i, line in enumerate(lines) if re.match(r"  - [0-9a-f]{12} reviewed$", line)]
    lines[hashes[block]] = lines[hashes[block]].replace("reviewed", "machine deepl")
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def modified(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("modified"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample", date="2026-03-01T12:00:00")
    source = root / "docs" / STALE
    text = source.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p and p[0].isalpha()]
    source.write_text(text.replace(paragraphs[0], paragraphs[0] + " It takes about two minutes."),
                      encoding="utf-8")
    git(root, "commit", "-qam", "edit one paragraph", date="2026-05-04T12:00:00")
    mark_machine(root / "translations" / "es" / MACHINE_ES, 5)
    mark_machine(root / "translations" / "lt" / MACHINE_LT, 3)
    out = root / "site"
    mkdocs("build", "--site-dir", str(out), cwd=root)
    handler = functools.partial(SiteHandler, directory=str(out))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", out
    httpd.shutdown()


def url(rel: str, lang: str) -> str:
    stem = rel[: -len(".md")]
    return ("" if lang == "en" else f"/{lang}") + f"/{stem}/"


def notices(page) -> list[str]:
    return page.eval_on_selector_all("[data-helpglot-notice]", "els => els.map(e => e.dataset.helpglotNotice)")


def test_stale_translation_says_when_the_english_changed(page_factory, modified):
    server, _ = modified
    page = page_factory(locale="es-ES")
    page.goto(server + url(STALE, "es"))
    assert notices(page) == ["stale"]
    notice = page.locator('[data-helpglot-notice="stale"]')
    assert "04/05/2026" in notice.inner_text(), notice.inner_text()
    # one edited paragraph of 37: the notice says how much, and that paragraph alone is marked
    assert "Párrafos que pueden estar desactualizados" in notice.inner_text()
    assert "1 de 37" in notice.inner_text()
    marked = page.locator('[data-helpglot-block="stale"]')
    assert marked.count() == 1 and marked.locator(".helpglot-block-label").inner_text() == "Puede estar desactualizado"
    assert marked.evaluate("e => e.tagName") == "P"
    notice.locator("a").click()
    page.wait_for_url(re.compile(r"/getting-started/create-your-account/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    for lang, date in (("ru", "04.05.2026"), ("lt", "2026-05-04"), ("tr", "04.05.2026")):
        page.goto(server + url(STALE, lang))
        assert notices(page) == ["stale"], lang
        assert date in page.locator('[data-helpglot-notice="stale"]').inner_text(), lang


def test_machine_draft_is_announced_with_a_link_to_the_original(page_factory, modified):
    server, _ = modified
    page = page_factory()
    page.goto(server + url(MACHINE_ES, "es"))
    assert notices(page) == ["machine"]
    text = page.locator('[data-helpglot-notice="machine"]').inner_text()
    assert "Párrafos traducidos automáticamente y aún sin revisar: 1 de 32" in text  # not "this article"
    marked = page.locator('[data-helpglot-block="machine"]')
    assert marked.count() == 1 and marked.evaluate("e => e.tagName") == "LI"
    assert marked.locator(".helpglot-block-label").inner_text() == "Traducción automática"
    assert page.locator('[data-helpglot-notice="machine"] a[hreflang="en"]').count() == 1


def test_policy_holds_back_unreviewed_lithuanian_drafts(page_factory, modified):
    server, _ = modified
    page = page_factory()
    page.goto(server + url(MACHINE_LT, "lt"))
    # lt publishes reviewed text only: the one unreviewed block shows the English, marked as such;
    # the 37 reviewed ones stay Lithuanian (the page does not fall back whole)
    assert notices(page) == ["english"]
    assert "1 iš 38" in page.locator('[data-helpglot-notice="english"]').inner_text()
    assert page.locator("html").get_attribute("lang") == "lt"
    english = page.locator('[data-helpglot-block="english"]')
    assert english.count() == 1 and english.get_attribute("lang") == "en"
    assert english.evaluate("e => e.tagName") == "H2" and "Add a customer" in english.inner_text()
    assert english.locator(".helpglot-block-label").get_attribute("lang") == "lt"
    assert page.locator("h1").inner_text() != "" and "Sukurkite" in page.content()


def test_no_notice_anywhere_else(modified):
    _, out = modified
    flagged = {}
    for html in out.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        kinds = set(re.findall(r'data-helpglot-notice="(\w+)"', text))
        if kinds & {"stale", "machine"}:
            flagged[html.relative_to(out).parent.as_posix()] = kinds
    expected = {
        f"{lang}/getting-started/create-your-account": {"stale"} for lang in ("es", "ro", "tr", "ru", "lt")
    }
    expected["es/integrations/connect-stripe"] = {"machine"}
    assert flagged == expected


def test_status_page_is_in_the_site_but_not_in_navigation_or_search(modified):
    _, out = modified
    status = (out / "helpglot-status" / "index.html").read_text(encoding="utf-8")
    assert 'data-state="stale"' in status and 'data-state="machine"' in status
    assert "noindex" in status
    assert "helpglot-status" not in (out / "index.html").read_text(encoding="utf-8")
    index = [file.read_text(encoding="utf-8") for file in (out / "search").rglob("*.json")]
    assert index and not [text for text in index if "helpglot-status" in text]
    assert "helpglot-status" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_suppression_comment_changes_nothing_readers_see(tmp_path):
    """Documented placement: on the line before the block, here a list item in the middle of an
    ordered list. The list stays one list numbered 1 to 4, and neither the comment nor its reason
    reaches the HTML or the search index."""
    root = copy_sample(tmp_path)
    target = root / "translations" / "es" / STALE
    text = target.read_text(encoding="utf-8")
    item = "1. Haz clic en **Crear cuenta**."
    assert text.count(item) == 1
    target.write_text(text.replace(item, '<!-- helpglot: ignore length reason="secreto-del-revisor" -->\n' + item),
                      encoding="utf-8")
    out = root / "site"
    mkdocs("build", "--site-dir", str(out), cwd=root)
    html = (out / "es" / STALE[:-3] / "index.html").read_text(encoding="utf-8")
    assert "secreto-del-revisor" not in html and "helpglot: ignore" not in html
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    steps = re.search(r"<ol>(.*?)</ol>", article, re.S).group(1)
    assert steps.count("<li>") == 4 and "Crear cuenta" in steps  # one list, not two
    index = "".join(file.read_text(encoding="utf-8") for file in (out / "es" / "search").rglob("*.json"))
    assert index and "secreto-del-revisor" not in index


def test_a_translation_awaiting_review_is_one_info_line_not_a_strict_failure(tmp_path: Path):
    """lt publishes reviewed text only: a translation with no reviewed block is shown in English.
    That is the policy working, so `mkdocs build --strict` passes and the log says it once per
    language, naming the file, instead of one warning per file."""
    root = copy_sample(tmp_path)
    path = root / "translations" / "lt" / MACHINE_LT
    path.write_text(re.sub(r"^(  - [0-9a-f]{12}) reviewed$", r"\1 machine deepl", path.read_text(encoding="utf-8"),
                           flags=re.M), encoding="utf-8")
    proc = mkdocs("build", "--strict", "--site-dir", str(root / "site"), cwd=root)
    lines = [line for line in proc.stderr.splitlines() if f"translations/lt/{MACHINE_LT}" in line]
    assert len(lines) == 1 and lines[0].startswith("INFO"), proc.stderr
    assert "1 translation(s) have no reviewed block yet" in lines[0] and "publish_machine: false" in lines[0]
    page = (root / "site" / "lt" / MACHINE_LT.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert 'data-helpglot-notice="fallback"' in page
