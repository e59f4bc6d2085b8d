"""Checks that are right on real documentation (FastAPI's docs, issue 12): each behaviour here was
a false alarm on the FastAPI corpus before, and each test also shows the real defect is still found."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import MINI_MKDOCS, helpglot
from helpglot.markdown.segment import parse
from helpglot.qa.checks.base import Pair
from helpglot.qa.checks.content import LengthCheck, NumbersCheck, UntranslatedCheck
from helpglot.qa.checks.frontmatter import FrontMatterCheck
from helpglot.qa.checks.glossary import GlossaryCheck
from helpglot.qa.checks.numwords import extract
from helpglot.terms.dictionary import dictionary
from helpglot.terms.glossary import Term


def pair(lang: str, source: str, translation: str, glossary: tuple = (), checks: object = None) -> Pair:
    src, tr = parse(source, "docs/x.md"), parse(translation, f"translations/{lang}/x.md")
    settings = SimpleNamespace(source_lang="en", checks=checks, translations_dir=Path("/nonexistent"))
    return Pair(settings, lang, src, tr, "docs/x.md", f"translations/{lang}/x.md",  # type: ignore[arg-type]
                tuple((i, i) for i in range(len(tr.blocks))), glossary)


def pair_any(lang: str, source: str, translation: str, glossary: tuple = ()) -> Pair:
    """A pair whose project reports every missing preferred rendering (``glossary_missing: any``)."""
    return pair(lang, source, translation, glossary, SimpleNamespace(glossary_missing="any"))


def ids(check, p: Pair) -> list[str]:  # noqa: ANN001
    return [f.message for f in check.run(p)]


def test_frontmatter_requires_only_what_the_source_has():
    assert ids(FrontMatterCheck(), pair("es", "# Tutorial\n", "# Tutorial - Guía\n")) == []
    found = ids(FrontMatterCheck(), pair("es", "---\ntitle: Plans\n---\n\n# Plans\n", "# Planes\n"))
    assert len(found) == 1 and "no 'title'" in found[0] and "'Plans'" in found[0]


@pytest.mark.parametrize("text, numbers", [
    ("OAuth2 with HTTP/2, utf-8, base64 and x86_64", []),
    ("Python 3.10+ since 2023-08-26", ["3.10", "date:2023-08-26"]),
    ("Stand: 26.08.2023, 1.250,00 €", ["date:2023-08-26", "1.250,00"]),
    ("６つのステップ", ["6"]),  # full-width digits read as digits
])
def test_numbers_are_read_as_readers_read_them(text: str, numbers: list[str]):
    assert sorted(extract(text)) == sorted(numbers)


def test_small_numbers_may_be_words_on_either_side():
    assert ids(NumbersCheck(), pair("de", "Only 2 servers.\n", "Nur zwei Server.\n")) == []
    assert ids(NumbersCheck(), pair("ru", "Use 3 workers.\n", "Используйте трёх воркеров.\n")) == []
    assert ids(NumbersCheck(), pair("ja", "Run one process.\n", "1つのプロセスを実行します。\n")) == []
    assert ids(NumbersCheck(), pair("ru", "OAuth2 scopes for HTTP/2.\n", "Скоупы OAuth2 для HTTP/2.\n")) == []
    # still an error: a number that changed, or a word for another number
    assert len(ids(NumbersCheck(), pair("de", "Only 2 servers.\n", "Nur drei Server.\n"))) == 1
    assert len(ids(NumbersCheck(), pair("es", "Costs 290 a year.\n", "Cuesta 299 al año.\n"))) == 1


def test_length_knows_cjk_and_still_catches_a_cut():
    source = ("Of course, the attackers would not try all this by hand, they would write a program to do it, "
              "possibly with thousands or millions of tests per second.\n")
    japanese = ("もちろん、攻撃者はこれらを手作業では行わず、プログラムを書いて、"
                "1 秒間に数千〜数百万回のテストを行うでしょう。\n")
    assert ids(LengthCheck(), pair("ja", source, japanese)) == []
    found = ids(LengthCheck(), pair("ja", source, "もちろん。\n"))
    assert len(found) == 1 and "much shorter" in found[0] and "usual for ja: 52%" in found[0]


def test_length_counts_a_link_text_the_translator_put_in_backticks():
    """FastAPI's ja testing-events: the translated link text is in backticks, still words for readers;
    the same sentence with the link text left out is still much shorter."""
    source = ('You can read more details about the ["Running lifespan in tests in the official Starlette '
              'documentation site."](https://starlette.dev/lifespan/#running-lifespan-in-tests)\n')
    kept = ("[`公式 Starlette ドキュメントサイトの「テストでの lifespan の実行」`]"
            "(https://starlette.dev/lifespan/#running-lifespan-in-tests) についての詳細を読むことができます。\n")
    assert ids(LengthCheck(), pair("ja", source, kept)) == []
    cut = "[詳細](https://starlette.dev/lifespan/#running-lifespan-in-tests)。\n"
    assert len(ids(LengthCheck(), pair("ja", source, cut))) == 1
    # code the source has too is still not measured: `dict` is not a word a translator wrote
    coded = ("Return a `dict` or a list of `dict` values from the function, and FastAPI converts them "
             "to JSON for you.\n")
    assert len(ids(LengthCheck(), pair("es", coded, "Devuelve un `dict`.\n"))) == 1


def term(source: str, dnt: bool = False, **langs: dict) -> Term:
    return Term(source, dnt, langs.get("preferred", {}), {}, langs.get("deprecated", {}), None, "glossary/t.yml", 1)


DNT = (term("FastAPI", dnt=True), term("JSON Schema", dnt=True))


@pytest.mark.parametrize("lang, text", [
    ("ja", "FastAPIは高速です。\n"), ("de", "Die Stärke von FastAPIs Design.\n"),
    ("tr", "FastAPI'nin tasarımı.\n"), ("de", "Das JSON-Schema von FastAPI.\n"),
])
def test_do_not_translate_terms_with_glued_particles_and_compounds(lang: str, text: str):
    source = "The design of FastAPI and its JSON Schema.\n" if "JSON" in text else "The design of FastAPI.\n"
    assert ids(GlossaryCheck(), pair(lang, source, text, DNT)) == []


def test_a_translated_name_is_still_an_error():
    found = ids(GlossaryCheck(), pair("ru", "Its JSON Schema.\n", "Его JSON схема.\n", DNT))
    assert len(found) == 1 and "'JSON Schema' is do-not-translate" in found[0]


def test_deprecated_rendering_is_confirmed_by_the_dictionary():
    assert dictionary("es") is not None, "scripts/test installs Debian's hunspell and hunspell-es"
    marco = (term("framework", preferred={"es": "framework"}, deprecated={"es": ("marco",)}),)
    source = "The framework will mark the field.\n"
    assert ids(GlossaryCheck(), pair("es", source, "El framework marcará el campo.\n", marco)) == []
    assert ids(GlossaryCheck(), pair("es", source, "El framework marque el campo.\n", marco)) == []
    found = [f for f in ids(GlossaryCheck(), pair("es", source, "El marco marcará el campo.\n", marco))
             if "deprecated" in f]
    assert len(found) == 1 and "deprecated 'marco'" in found[0] and "(here 'marco')" in found[0]
    found = ids(GlossaryCheck(), pair("es", source, "Los marcos marcan el campo.\n", marco))
    assert any("(here 'marcos')" in f for f in found)


def test_english_left_inside_a_translated_block():
    source = ("Read the Virtual Environments guide for the detailed steps. Then install FastAPI with the "
              "standard dependencies and run the development server.\n")
    half = ("Lee la guía de entornos virtuales para ver los pasos. Then install FastAPI with the standard "
            "dependencies and run the development server.\n")
    found = ids(UntranslatedCheck(), pair("es", source, half))
    assert len(found) == 1 and "'Then install FastAPI with the standard" in found[0]
    whole = ("Lee la guía de entornos virtuales para ver los pasos. Luego instala FastAPI con las dependencias "
             "estándar y ejecuta el servidor de desarrollo.\n")
    assert ids(UntranslatedCheck(), pair("es", source, whole)) == []


# ---- project conventions (mkdocs.yml, plugins.helpglot.checks) -------------------------------------------

CONVENTIONS = """\
      checks:
        localized_links: ["https://mini.example/{lang}/"]
        code_comments: translated
        severity: {length: off, numbers: warning}
        exclude: {"drafts/*": all, "guide.md": [untranslated]}
"""


def project(tmp_path: Path, block: str = CONVENTIONS) -> Path:
    files = {
        "mkdocs.yml": MINI_MKDOCS.replace("  - helpglot\n", "  - helpglot:\n" + block),
        "docs/guide.md": "# Guide\n\nSee [the tutorial](https://mini.example/tutorial/) for 2 steps.\n\n"
                         "```python\nrun()  # Start the app\n```\n",
        "translations/es/guide.md": "# Guía\n\nMira [el tutorial](https://mini.example/es/tutorial/) para 3 pasos.\n\n"
                                    "```python\nrun()  # Inicia la app\n```\n",
        "docs/drafts/wip.md": "# WIP\n\nText 1.\n",
        "translations/es/drafts/wip.md": "# WIP\n\nTexto 2.\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_conventions_allow_localized_links_translated_comments_and_set_severity(tmp_path: Path):
    root = project(tmp_path)
    proc = helpglot("check", "--format", "json", cwd=root, check=False)
    found = json.loads(proc.stdout)
    # the link and the comment are the project's conventions; the changed number is a warning here
    assert [(f["check"], f["severity"], f["path"]) for f in found] == [
        ("numbers", "warning", "translations/es/guide.md")], found
    assert proc.returncode == 0
    # without the conventions, the same files are errors (the link, the comment, the number)
    plain = project(tmp_path, "      checks: {}\n")
    found = json.loads(helpglot("check", "--format", "json", cwd=plain, check=False).stdout)
    assert {f["check"] for f in found if f["severity"] == "error"} == {"markup", "numbers"}
    assert sum(1 for f in found if f["check"] == "markup") == 2


@pytest.mark.parametrize("block, words", [
    ("      checks: {severity: {lenght: off}}\n", ["checks.severity.lenght", "no such check"]),
    ("      checks: {severity: {length: loud}}\n", ["checks.severity.length", "error, warning or off"]),
    ("      checks: {localized_links: ['/es/']}\n", ["checks.localized_links[0]", "{lang}"]),
    ("      checks: {exclude: {'x.md': [nope]}}\n", ["checks.exclude.x.md", "no such check nope"]),
    ("      checks: {code_comments: sometimes}\n", ["code_comments"]),
])
def test_bad_conventions_name_the_setting(tmp_path: Path, block: str, words: list[str]):
    root = project(tmp_path, block)
    proc = helpglot("check", cwd=root, check=False)
    assert proc.returncode != 0
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_preferred_rendering_split_by_an_object_and_a_name_that_contains_the_term():
    unload = (term("unload", preferred={"es": "quitar de memoria"}),)
    source = "Then we unload the model.\n"
    assert ids(GlossaryCheck(), pair_any("es", source, "Luego quitaremos el modelo de memoria.\n", unload)) == []
    assert len(ids(GlossaryCheck(), pair_any("es", source, "Luego borramos el modelo.\n", unload))) == 1
    library = (term("library", preferred={"es": "paquete"}),)
    named = "Install the skill with Library Skills.\n"
    assert ids(GlossaryCheck(), pair_any("es", named, "Instala la habilidad con Library Skills.\n", library)) == []
    plain_use = "Install the library.\n"
    assert len(ids(GlossaryCheck(), pair_any("es", plain_use, "Instala la biblioteca.\n", library))) == 1


def test_a_name_kept_in_english_and_an_article_the_sentence_drops():
    """From FastAPI's Spanish docs: "MDN web docs" is a site's name the translation keeps (not the term
    "docs"); "crear instances" is the guide's "crear un instance" in the plural, without the article.
    The same term translated otherwise, or left in English alone, is still reported."""
    docs = (term("docs", preferred={"es": "documentación"}),)
    mdn = "Head to the [MDN web docs for `POST`](https://developer.mozilla.org/).\n"
    assert ids(GlossaryCheck(), pair_any("es", mdn, "Dirígete a las [MDN web docs para `POST`]"
                                     "(https://developer.mozilla.org/).\n", docs)) == []
    interactive = "Try it in the interactive docs.\n"
    assert len(ids(GlossaryCheck(), pair_any("es", interactive, "Pruébalo en los docs interactivos.\n", docs))) == 1
    instantiate = (term("instantiate", preferred={"es": "crear un instance"}),)
    source = "Remember to instantiate objects inside async functions.\n"
    assert ids(GlossaryCheck(), pair_any("es", source, "Recuerda crear instances de objetos dentro de funciones "
                                     "async.\n", instantiate)) == []
    assert ids(GlossaryCheck(), pair_any("es", source, "Recuerda crear un instance de objetos.\n", instantiate)) == []
    assert len(ids(GlossaryCheck(), pair_any("es", source, "Recuerda instanciar objetos dentro de funciones.\n",
                                         instantiate))) == 1
    assert len(ids(GlossaryCheck(), pair_any("es", source, "Recuerda crear objetos dentro de funciones.\n",
                                         instantiate))) == 1
