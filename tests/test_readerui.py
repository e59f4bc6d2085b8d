"""The rules that put a page in the reader's language, on HTML snippets as
Python-Markdown and Material write them, and the furniture settings' validation."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from conftest import mkdocs
from helpglot import messages
from helpglot.errors import ConfigError
from helpglot.site import furniture, pagemeta, readerui

RO = messages.messages_for("ro")


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["admonition", "pymdownx.details", "toc"],
                             extension_configs={"toc": {"permalink": True}})


def test_default_admonition_titles_are_translated_and_custom_ones_kept():
    html = render('!!! note\n    Text.\n\n!!! tip "Lucrați cu un contabil?"\n    Text.\n\n'
                  "??? warning\n    Text.\n\n!!! hint\n    Text.\n\n!!! custom-box\n    Text.\n")
    out = readerui.localize_admonitions(html, RO)
    assert '<p class="admonition-title">Notă</p>' in out
    assert '<p class="admonition-title">Lucrați cu un contabil?</p>' in out
    assert "<summary>Atenție</summary>" in out
    assert '<p class="admonition-title">Sfat</p>' in out, "aliases use their type's word"
    assert '<p class="admonition-title">Custom-box</p>' in out, "an unknown type keeps its title"


def test_romanian_uses_comma_below_letters():
    text = " ".join(str(v) for v in messages.shipped()["ro"].values())
    assert "ș" in text and "ț" in text
    assert "ş" not in text and "ţ" not in text


def test_every_language_has_every_key():
    table = messages.shipped()
    for lang, strings in table.items():
        assert set(strings) == set(table["en"]), lang
    assert set(messages.KEYS) <= set(table["en"])


def test_permalink_tooltip_is_translated():
    html = render("## Setări\n")
    assert 'title="Permanent link"' in html
    out = readerui.localize_permalinks(html, "Permanent link", RO)
    assert 'title="Link permanent"' in out and "Permanent link" not in out


def test_theme_toggle_names_describe_the_next_palette():
    palette = [{"media": "(prefers-color-scheme)", "toggle": {"name": "Switch to light mode"}},
               {"media": "(prefers-color-scheme: light)", "scheme": "default", "toggle": {"name": "x"}},
               {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "toggle": {"name": "y"}}]
    names = [p["toggle"]["name"] for p in readerui.localize_palette(palette, RO)]
    assert names == [RO["theme_to_light"], RO["theme_to_dark"], RO["theme_to_auto"]]
    assert palette[0]["toggle"]["name"] == "Switch to light mode", "the site's config is not changed"


def test_og_locale():
    assert pagemeta.og_locale("es") == "es_ES"
    assert pagemeta.og_locale("pt-BR") == "pt_BR"
    assert pagemeta.og_locale("lt") == "lt_LT"


@pytest.mark.parametrize(("key", "value"), [("feedback_url", "ftp://x/y"), ("feedback_url", "feedback"),
                                            ("contact_url", "support@tallybird.com")])
def test_bad_furniture_urls_are_refused_naming_the_setting(key, value):
    with pytest.raises(ConfigError, match=rf"plugins\.helpglot\.{key}"):
        furniture.check_urls(**{"feedback_url": None, "contact_url": None, key: value})


def test_a_bad_feedback_url_stops_the_build(mini, tmp_path: Path):
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - helpglot", "  - helpglot:\n      "
                                                                 "feedback_url: not-a-url", 1), encoding="utf-8")
    proc = mkdocs("build", "--site-dir", str(tmp_path / "out"), cwd=mini.root, check=False)
    assert proc.returncode != 0
    assert "plugins.helpglot.feedback_url: 'not-a-url' is not a http/https URL" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_feedback_link_without_a_backend():
    link = furniture.feedback_link("mailto:help@x.example", None, "Crear tu cuenta", "https://h/es/a/", "es")
    assert link.startswith("mailto:help@x.example?subject=Feedback%3A%20Crear%20tu%20cuenta&body=")
    # a reader's comment never becomes a public GitHub issue (issue 21)
    assert furniture.feedback_link(None, "https://github.com/tallybird/help", "T", "https://h/t/", "en") is None
    assert furniture.feedback_link(None, None, "T", "u", "en") is None


def test_sitemaps_carry_lastmod_per_language(site: Path):
    import subprocess

    import yaml

    from conftest import ROOT

    es = (site / "es" / "sitemap.xml").read_text(encoding="utf-8")
    prov = yaml.safe_load((ROOT / "translations/es/getting-started/invite-your-team.md")
                          .read_text(encoding="utf-8").split("---")[1])["helpglot"]
    assert (f"<loc>https://help.tallybird.com/es/getting-started/invite-your-team/</loc>\n"
            f"    <lastmod>{prov['reviewed'].isoformat()}</lastmod>") in es
    english = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "docs/getting-started/index.md"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert (f"<loc>https://help.tallybird.com/getting-started/</loc>\n    <lastmod>{english}</lastmod>"
            in (site / "sitemap.xml").read_text(encoding="utf-8"))


def test_robots_txt_follows_the_site_path():
    assert pagemeta.robots_txt("https://x.example/help/") == (
        "User-agent: *\nDisallow: /help/helpglot-status/\nSitemap: https://x.example/help/sitemap.xml\n")
    assert pagemeta.robots_txt(None) == "User-agent: *\nDisallow: /helpglot-status/\n"
