"""The sanitiser's trust rule and URL judgement, one value at a time (no build: these are the cases
the hostile corpus drives through a real build and browser, named one by one so a regression says
which one), and ``check`` naming the line of what the build removes."""

from __future__ import annotations

import json

import pytest

from conftest import helpglot
from helpglot.markdown.chars import invisible
from helpglot.qa import sanitize, urls

SOURCE_HTML = ('<p><a href="https://tallybird.com/docs">Docs</a> <a href="tallybird://open">App</a></p>'
               '<div class="video" style="position: relative; padding-bottom: 56.25%"></div>')


@pytest.mark.parametrize(("value", "host", "problem"), [
    ("https:&#x2F;&#x2F;evil.example/login", "evil.example", None),
    ("https://tallybird.com@evil.example/", "evil.example", "user name"),
    ("https://tallybird.com:pw@evil.example/", "evil.example", "user name"),
    ("http://203.0.113.7/", "203.0.113.7", "IP address"),
    ("http://3405803783/", "3405803783", "IP address"),
    ("http://0xcb.0x0.0x71.0x7/", "0xcb.0x0.0x71.0x7", "IP address"),
    ("http://[::1]/", "::1", "IP address"),
    ("https:\\\\evil.example/", "evil.example", None),
    ("/\\evil.example/x", "evil.example", None),
    ("//evil.example/x", "evil.example", None),
    ("https:evil.example", "evil.example", None),
    ("https://EVIL。example./", "evil.example", None),
    ("  https://ev\til.example", "evil.example", None),
    ("/docs/page/", None, None),
    ("#anchor", None, None),
])
def test_a_url_is_judged_as_a_browser_parses_it(value: str, host: str | None, problem: str | None) -> None:
    target = urls.target(value)
    assert target.host == host
    assert (problem is None and target.problem is None) or (problem and problem in (target.problem or ""))


def test_the_source_widens_the_allow_list_and_nothing_else_does() -> None:
    trust = sanitize.source_trust(SOURCE_HTML)
    same = SOURCE_HTML.replace("Docs", "Documentación")
    assert sanitize.sanitize(same, trust) == (same.replace(' style="position: relative; padding-bottom: 56.25%"',
                                                           ' style="position: relative; padding-bottom: 56.25%"'), [])
    clean, removed = sanitize.sanitize(same)  # without the source's trust
    assert "tallybird://" not in clean and "style=" not in clean and 'class="video"' not in clean
    assert sorted(removed) == ["'tallybird:' link in <a href>", "attribute style= on <div>",
                               "class video on <div> (the source has none)",
                               "link to tallybird.com, a domain the source does not link to"]


@pytest.mark.parametrize(("fragment", "reason"), [
    ('<div class="md-consent__overlay">x</div>', "class md-consent__overlay"),
    ('<div class="video md-consent__inner">x</div>', "class md-consent__inner"),
    ('<div id="__search">x</div>', 'id="__search"'),
    ('<label for="__drawer">x</label>', 'for="__drawer"'),
    ('<div class="video" style="position:fixed;inset:0">x</div>', "style= on <div>"),
    ('<a href="tallybird://open" target="_blank">x</a>', "attribute target= on <a>"),
    ('<img src="https://tallybird.com/a.png" srcset="https://evil.example/p.png 2x">', "image from evil.example"),
    ('<img src="https://evil.example/p.gif">', "image from evil.example"),
    ('<a href="https://tallybird.com@evil.example/">x</a>', "user name before the host"),
    ('<a href="javascript:x()">x</a>', "'javascript:' link"),
    ('<a href="data:text/html,x">x</a>', "'data:' link"),
    ('<a href="file:///etc/passwd">x</a>', "'file:' link"),
    ("<p>a\U000e0041\U000e0042</p>", "TAG CHARACTER"),
])
def test_what_the_source_does_not_use_is_removed_and_named(fragment: str, reason: str) -> None:
    clean, removed = sanitize.sanitize(fragment, sanitize.source_trust(SOURCE_HTML))
    assert any(reason in r for r in removed), removed
    assert clean != fragment


def test_a_new_window_link_gets_noopener_where_the_source_opens_new_windows() -> None:
    trust = sanitize.source_trust('<a href="https://tallybird.com/" target="_blank">x</a>')
    clean, removed = sanitize.sanitize('<a href="https://tallybird.com/s" target="_blank" rel="opener">y</a>', trust)
    assert clean == '<a href="https://tallybird.com/s" target="_blank" rel="noopener noreferrer">y</a>'
    assert removed == ["attribute rel= on <a>"]  # (a translation does not choose rel=opener)


def test_bidi_marks_and_tag_characters_are_invisible() -> None:
    assert invisible("a\u200eb\u200fc\u061cd\U000e0041") == [
        "LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK", "ARABIC LETTER MARK",
        "TAG CHARACTER (U+E0000-U+E007F, hidden ASCII)"]


def test_check_names_the_line_of_each_removal_the_build_makes(mini) -> None:
    mini("mkdocs.yml", mini.root.joinpath("mkdocs.yml").read_text().replace(
        "plugins:", "markdown_extensions:\n  - attr_list\n  - md_in_html\nplugins:"))
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto.\n\n"
                                     "Sesión caducada. [Entrar](https:&#x2F;&#x2F;evil.example/login)\n"
                                     "{: .md-consent__overlay }\n\n"
                                     "[Más][r]\n\n"
                                     "<scr<!-- helpglot: x -->ipt>top.x=1</script>\n\n"
                                     "[r]: javascript:top.x=1\n")
    found = [f for f in json.loads(helpglot("check", "--format", "json", cwd=mini.root, check=False).stdout)
             if f["check"] == "safety"]
    where = {f["line"]: f["message"] for f in found}
    assert "link to evil.example" in where[9] and "class md-consent__overlay" in where[9], where
    assert "'javascript:' link in <a href>" in where[12], where
    assert "<script> element" in where[14], where
    assert all(f["severity"] == "error" for f in found)


def test_directional_marks_are_ordinary_in_arabic_and_hebrew_but_not_in_spanish(mini) -> None:
    """RLM/LRM/ALM are how right-to-left text places a Latin product name or a number; a Persian
    word needs its ZERO WIDTH NON-JOINER. In a left-to-right language they have no such use
    and are reported, as before."""
    import json

    from conftest import helpglot

    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "        - {locale: lt, name: Lietuvių}\n",
        "        - {locale: lt, name: Lietuvių}\n        - {locale: ar, name: العربية}\n"
        "        - {locale: fa, name: فارسی}\n"), encoding="utf-8")
    mini("translations/ar/guide.md", "---\ntitle: الدليل\n---\n\n## الإعداد\n\nافعل هذا في \u200fTallybird\u200f.\n")
    mini("translations/fa/guide.md", "---\ntitle: راهنما\n---\n\n## راه‌اندازی\n\nاین کار را انجام می\u200cدهید.\n")
    mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto en \u200fTallybird.\n")
    proc = helpglot("check", "--format", "json", cwd=mini.root, check=False)
    invisible = {f["path"].split("/")[1] for f in json.loads(proc.stdout)
                 if f["check"] == "safety" and "invisible character" in f["message"]}
    assert invisible == {"es"}


def test_a_heading_that_starts_with_a_dunder_name_is_not_a_theme_id() -> None:
    """FastAPI's "About `__name__ == "__main__"`" slugs to an id starting with ``__`` in every
    language: only the ids Material itself uses (``__search``, ``__drawer``...) are refused."""
    from helpglot.qa import trust

    empty = trust.EMPTY
    assert trust.judge("h3", "id", "__name__-__main__-about-name-main", empty)[1] is None
    for taken in ("__search", "__drawer", "__consent", "__palette_1", "__nav_2_label", "__toc"):
        assert trust.judge("input", "id", taken, empty)[1] is not None, taken
