"""The hostile corpus (tests/fixtures/hostile/payloads.yml): each payload is neutralised at publish
time in a real browser and reported by ``helpglot check`` as a ``safety`` error; and a page keeps
what its English source legitimately uses (its product-scheme links, its styled video wrapper, its
own classes).

All payloads are pages of one site, built once with the real ``mkdocs build``: the test stays near
a minute. In Chromium each page is loaded, its article's elements hovered and focused, and the test
asserts that no script ran (a ``window.__pwned`` canary, trapped dialogs), that nothing was fetched
from another host, that no element wears Material's consent-overlay classes, and that no link,
image or form in the article leads off-site to a host the source does not use."""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path

import pytest
import yaml

from conftest import SiteHandler, SiteServer, helpglot, mkdocs
from test_hostile import MKDOCS as HOSTILE_MKDOCS

CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures/hostile/payloads.yml").read_text(encoding="utf-8"))
# test_hostile.py's mini site, without web fonts (the browser here has no network)
MKDOCS = HOSTILE_MKDOCS.replace("  name: material\n", "  name: material\n  font: false\n", 1)
SOURCE = ("---\ntitle: Page\ndescription: About the page\n---\n\n# Page\n\n## Set up\n\n"
          "Do this first. See [the docs](https://tallybird.com/docs).\n")
TITLE = "title: Página\ndescription: Sobre la página"
TRANSLATION = ("---\n{front}\n---\n\n# Página\n\n## Configuración\n\nHaz esto primero. Mira "
               "[la documentación](https://tallybird.com/docs).\n\n{body}\n")
ALLOWED_HOSTS = ("mini.example", "tallybird.com")  # the site's own and the one the source links to
TRAP = """
window.__pwned = 0; window.__fired = [];
for (const f of ['alert', 'confirm', 'prompt', 'print']) { window[f] = (m) => window.__fired.push(f + ':' + m); }
"""
# every link, image, media or form target in the article, as the browser resolved it
TARGETS = """() => {
  const out = [];
  const article = document.querySelector('article') || document.body;
  for (const el of article.querySelectorAll('a[href], area[href]')) out.push(['link', el.href]);
  for (const el of article.querySelectorAll('img, source, video, picture')) {
    if (el.src) out.push(['image', el.src]);
    if (el.poster) out.push(['image', el.poster]);
    for (const part of (el.getAttribute('srcset') || '').split(',')) {
      const url = part.trim().split(/\\s+/)[0];
      if (url) out.push(['image', new URL(url, document.baseURI).href]);
    }
  }
  for (const el of article.querySelectorAll('form[action], [formaction]'))
    out.push(['form', el.action || el.formAction]);
  for (const el of article.querySelectorAll('iframe, object, embed, frame'))
    out.push(['frame', el.src || el.data || '']);
  for (const el of article.querySelectorAll('[style*="url("]')) out.push(['style', el.getAttribute('style')]);
  return out;
}"""

# every element of the article gets the events inline handlers listen to (no clicks: links would navigate)
POKE = """() => {
  for (const el of document.querySelectorAll('article *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'pointerover', 'focus', 'focusin']) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (typeof el.focus === 'function') el.focus();
  }
}"""

OVERLAYS = ("document.querySelectorAll('[class*=\"md-consent\"], article [class*=\"md-dialog\"], "
            "article [class*=\"md-banner\"], article [style*=\"fixed\"], article [style*=\"absolute\"]').length")


def slug(n: int) -> str:
    return f"p{n:03d}"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "translations/es").mkdir(parents=True)
    (root / "docs/index.md").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    for n, payload in enumerate(CORPUS):
        (root / f"docs/{slug(n)}.md").write_text(SOURCE, encoding="utf-8")
        text = TRANSLATION.format(front=payload.get("front", TITLE).rstrip("\n"), body=payload.get("body", ""))
        (root / f"translations/es/{slug(n)}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus_built(corpus_site: Path) -> tuple[Path, str]:
    proc = mkdocs("build", "--site-dir", str(corpus_site / "site"), cwd=corpus_site)
    return corpus_site / "site", proc.stderr


def host_ok(url: str, origin_host: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel") or url.startswith("about:blank"):
        return True
    host = (parts.hostname or "").lower()
    return parts.scheme in ("http", "https") and not parts.username and (
        f"{host}:{parts.port}" == origin_host or any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS))


def test_the_corpus_is_large_and_covers_each_kind() -> None:
    assert len(CORPUS) >= 100, len(CORPUS)
    text = "\n".join(p.get("body", "") + p.get("front", "") for p in CORPUS)
    assert len([p for p in CORPUS if "front" in p]) >= 5
    for shape in ("md-consent__overlay", "md-consent__inner", "&#x2F;&#x2F;", "tallybird.com@evil", "203.0.113.",
                  "https:\\\\", "//evil.example", "\u200e", "\u200f", "\u061c", "\U000e0049", "<math>", "<svg>",
                  "{: onclick", "<div markdown", '!!! note md-consent', "title:", "srcset", "target=\"_blank\"",
                  "__search", "<!-- helpglot:"):
        assert shape in text, shape


@pytest.mark.browser
def test_no_payload_runs_overlays_or_leads_off_site_in_chromium(corpus_built, page_factory) -> None:
    site, _log = corpus_built
    httpd = SiteServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin_host = f"127.0.0.1:{httpd.server_port}"
    base = f"http://{origin_host}"
    failures: dict[str, list[str]] = {}
    offsite_requests: list[str] = []
    current = {"name": ""}
    try:
        page = page_factory()
        page.add_init_script(TRAP)

        def route(r) -> None:
            if not r.request.url.startswith(base + "/"):  # (no request leaves the machine)
                if not host_ok(r.request.url, origin_host):  # images from the source's own hosts are fine
                    offsite_requests.append(f"{current['name']}: {r.request.url}")
                r.abort()
            else:
                r.continue_()

        page.route("**/*", route)
        page.on("dialog", lambda d: (failures.setdefault(current["name"], []).append(f"dialog {d.message}"),
                                     d.dismiss()))
        # the canary and the traps are live: a page that runs script is seen
        page.goto(base + "/es/")
        page.evaluate("top.__pwned = 1; alert('trap works')")
        assert page.evaluate("[window.__pwned, window.__fired]") == [1, ["alert:trap works"]]
        for n, payload in enumerate(CORPUS):
            name = current["name"] = payload["name"]
            url = f"{base}/es/{slug(n)}/"
            page.goto(url)
            page.mouse.move(200, 300)
            page.evaluate(POKE)  # whatever handler survived gets its event
            page.wait_for_timeout(50)
            problems = []
            if page.url != url:
                problems.append(f"navigated to {page.url}")
            else:
                state = page.evaluate("[window.__pwned, window.__fired]")
                if state != [0, []]:
                    problems.append(f"script ran: {state}")
                overlays = page.evaluate(OVERLAYS)
                if overlays:
                    problems.append(f"{overlays} overlay element(s)")
                for kind, target in page.evaluate(TARGETS):
                    if kind == "style" or not host_ok(target, origin_host):
                        problems.append(f"live off-site {kind}: {target}")
                text = page.evaluate("document.querySelector('article').innerText + document.title")
                if re.search("[\U000e0000-\U000e007f]", text):
                    problems.append("tag characters published")
                new_windows = page.evaluate("[...document.querySelectorAll('article a[target]')]"
                                            ".filter(a => !/noopener/.test(a.rel)).length")
                if new_windows:
                    problems.append("target= without rel=noopener")
            if problems:
                failures.setdefault(name, []).extend(problems)
    finally:
        httpd.shutdown()
    executed = [n for n, p in failures.items() if any(x.startswith(("script ran", "dialog")) for x in p)]
    print(f"\nhostile corpus: {len(CORPUS)} payloads, {len(executed)} executed script, {len(failures)} not "
          f"neutralised, {len(offsite_requests)} off-site requests")
    for name, problems in failures.items():
        print(f"  {name}: {'; '.join(problems)}")
    assert failures == {}
    assert offsite_requests == []


def test_check_reports_every_payload_as_a_safety_error(corpus_site: Path) -> None:
    proc = helpglot("check", "--format", "json", "--lang", "es", cwd=corpus_site, check=False)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    assert [f["message"] for f in found if "crashed" in f["message"]] == []
    missed = []
    for n, payload in enumerate(CORPUS):
        path = f"translations/es/{slug(n)}.md"
        if not [f for f in found if f["path"] == path and f["check"] == "safety" and f["severity"] == "error"
                and not f["suppressed"]]:
            missed.append(payload["name"])
    print(f"\nhostile corpus: {len(CORPUS)} payloads, {len(CORPUS) - len(missed)} reported by check")
    assert missed == []


def test_every_removal_at_publish_time_is_a_check_finding(corpus_site: Path, corpus_built) -> None:
    """What the build says it removed from a page, ``check`` says about that file too (same words)."""
    _site, log = corpus_built
    found = json.loads(helpglot("check", "--format", "json", "--lang", "es", cwd=corpus_site, check=False).stdout)
    removed = re.findall(r"(translations/es/p\d+\.md): removed from the published page: (.*?)\. Remove it", log)
    assert len(removed) >= 90, len(removed)
    for path, what in removed:
        messages = " ".join(f["message"] for f in found if f["path"] == path and f["check"] == "safety")
        for item in what.split("; "):
            if item.startswith("HTML in front-matter"):
                assert "front-matter" in messages, (path, item)
            else:
                assert item in messages, (path, item, messages)


SOURCE_USES = """\
---
title: Video
---

# Video

Open the [desktop app](tallybird://open/settings) or the [web app](https://app.tallybird.com/).

<div class="video-wrapper" style="position: relative; padding-bottom: 56.25%; height: 0;">
<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" allowfullscreen></iframe>
</div>

[Start now](https://tallybird.com/signup){ .md-button .md-button--primary target="_blank" }
"""
TRANSLATION_USES = """\
---
title: Vídeo
---

# Vídeo

Abre la [aplicación de escritorio](tallybird://open/settings) o la [web](https://app.tallybird.com/).

<div class="video-wrapper" style="position: relative; padding-bottom: 56.25%; height: 0;">
<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" allowfullscreen></iframe>
</div>

[Empieza ya](https://tallybird.com/signup){ .md-button .md-button--primary target="_blank" }
"""


def test_a_page_keeps_what_its_english_source_uses(mini) -> None:
    """The product's own scheme, the styled video wrapper, the source's classes and its new-window
    link survive in the translation, with nothing reported; the same in another page whose source
    does not use them is removed and reported."""
    from conftest import MINI_MKDOCS

    mini("mkdocs.yml", MINI_MKDOCS.replace("plugins:", "markdown_extensions:\n  - attr_list\n  - md_in_html\nplugins:"))
    mini("docs/video.md", SOURCE_USES)
    mini("translations/es/video.md", TRANSLATION_USES)
    mini("translations/es/guide.md", TRANSLATION_USES.replace("Vídeo", "Guía"))  # its source is plain
    proc = mkdocs("build", cwd=mini.root)
    assert "translations/es/video.md" not in proc.stderr
    page = (mini.root / "site/es/video/index.html").read_text(encoding="utf-8")
    for kept in ('href="tallybird://open/settings"', 'href="https://app.tallybird.com/"',
                 'style="position: relative; padding-bottom: 56.25%; height: 0;"', 'class="video-wrapper"',
                 '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" allowfullscreen></iframe>',
                 'class="md-button md-button--primary"', 'rel="noopener noreferrer"'):
        assert kept in page, kept
    assert "translations/es/guide.md: removed from the published page" in proc.stderr
    guide = (mini.root / "site/es/guide/index.html").read_text(encoding="utf-8")
    guide = guide[guide.index("<article"): guide.index("</article>")]  # (the theme's footer has a target=)
    for gone in ("tallybird://", "padding-bottom", 'md-button--primary" href', "<iframe", 'target="_blank"'):
        assert gone not in guide, gone
    found = json.loads(helpglot("check", "--format", "json", "--lang", "es", cwd=mini.root, check=False).stdout)
    assert [f for f in found if f["check"] == "safety" and f["path"] == "translations/es/video.md"] == []
    guide_messages = " ".join(f["message"] for f in found
                              if f["check"] == "safety" and f["path"] == "translations/es/guide.md")
    for reported in ("'tallybird:' link", "style= on <div>", "class md-button md-button--primary",
                     "<iframe> element", "attribute target="):
        assert reported in guide_messages, (reported, guide_messages)
