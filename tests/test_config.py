"""Bad configuration stops with one message that names the setting and the fix,
for `mkdocs build` and for the helpglot CLI alike."""

from __future__ import annotations

from pathlib import Path

from conftest import MINI_MKDOCS, helpglot, mkdocs


def helpglot_block(body: str) -> str:
    return MINI_MKDOCS.replace("  - helpglot\n", "  - helpglot:\n" + body)


def build(root: Path, strict: bool = False):
    args = ["build", "--site-dir", str(root / "out")]
    return mkdocs(*args, cwd=root, check=False)


def test_mini_site_builds_and_maps_translations(mini):
    root = mini.root
    proc = build(root)
    assert proc.returncode == 0, proc.stderr
    guide = (root / "out" / "es" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "Haz esto." in guide
    assert '<h2 id="set-up">' in guide, "translated heading keeps the source anchor"
    lt_guide = (root / "out" / "lt" / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'data-helpglot-notice="fallback"' in lt_guide
    assert "Šis straipsnis dar neišverstas" in lt_guide


def test_missing_i18n_plugin(mini):
    root = mini.root
    mini("mkdocs.yml", "site_name: Mini\ntheme:\n  name: material\nplugins:\n  - search\n  - helpglot\n")
    proc = build(root)
    assert proc.returncode != 0
    assert "needs the mkdocs-static-i18n plugin" in proc.stderr
    assert not (root / "out").exists()
    cli = helpglot("status", cwd=root, check=False)
    assert cli.returncode != 0 and "needs the mkdocs-static-i18n plugin" in cli.stderr


def test_helpglot_setting_for_a_language_the_site_does_not_have(mini):
    root = mini.root
    mini("mkdocs.yml", helpglot_block("      languages:\n        fr: {publish_machine: false}\n"))
    proc = build(root)
    assert proc.returncode != 0
    assert "plugins.helpglot.languages.fr: 'fr' is not a language of this site" in proc.stderr
    assert "en, es, lt" in proc.stderr


def test_formality_that_deepl_rejects_names_the_fix(mini):
    root = mini.root
    mini("mkdocs.yml", helpglot_block("      languages:\n        lt: {formality: more}\n"))
    proc = helpglot("languages", cwd=root, check=False)
    assert proc.returncode != 0
    assert "plugins.helpglot.languages.lt.formality" in proc.stderr and "prefer_more" in proc.stderr


def test_wrong_type_is_reported_by_key(mini):
    root = mini.root
    mini("mkdocs.yml", helpglot_block("      languages:\n        es: {publish_machine: sometimes}\n"))
    proc = build(root)
    assert proc.returncode != 0
    assert "plugins.helpglot.languages.es.publish_machine" in proc.stderr


def test_translation_folder_for_an_unknown_language(mini):
    root = mini.root
    mini("translations/sp/guide.md", "---\ntitle: Guía\n---\n\nHola.\n")
    proc = build(root)
    assert proc.returncode != 0
    assert "translations/sp/: 'sp' is not a language of this site" in proc.stderr
    cli = helpglot("status", cwd=root, check=False)
    assert cli.returncode != 0 and "'sp' is not a language of this site" in cli.stderr


def test_translation_without_source_warns_and_the_build_goes_on(mini):
    root = mini.root
    mini("translations/es/old-page.md", "---\ntitle: Vieja\n---\n\nTexto.\n")
    proc = build(root)
    assert proc.returncode == 0, proc.stderr
    assert "translations/es/old-page.md: its source docs/old-page.md does not exist" in proc.stderr
    assert not (root / "out" / "es" / "old-page").exists()
    assert (root / "out" / "es" / "guide" / "index.html").exists()


def test_unknown_lang_option(mini):
    proc = helpglot("status", "--lang", "xx", cwd=mini.root, check=False)
    assert proc.returncode != 0 and "--lang xx: not a translation language" in proc.stderr


def test_languages_command_reports_coverage_and_policy():
    import json

    from conftest import ROOT

    proc = helpglot("languages", "--json", cwd=ROOT)
    rows = {row["lang"]: row for row in json.loads(proc.stdout)}
    assert list(rows) == ["en", "es", "ro", "tr", "ru", "lt"]
    assert rows["en"]["source"] is True
    assert rows["es"]["articles"] == rows["es"]["total"] == rows["en"]["total"]
    assert 0 < rows["lt"]["articles"] < rows["lt"]["total"]
    assert rows["lt"]["publish_machine"] is False and rows["es"]["publish_machine"] is True
    assert rows["ro"]["formality"] == "prefer_more"
