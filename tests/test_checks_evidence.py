"""The checks as blind labels of FastAPI's translations shaped them (issue 20): glossary matching in
every script, deprecated renderings where they render the term, code by kind, the recall holes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from helpglot.markdown.segment import parse
from helpglot.qa.checks import codes
from helpglot.qa.checks.base import ERROR, WARNING, Pair
from helpglot.qa.checks.content import UntranslatedCheck
from helpglot.qa.checks.glossary import GlossaryCheck
from helpglot.qa.checks.markup import MarkupCheck
from helpglot.qa.checks.numwords import extract
from helpglot.qa.checks.structure import StructureCheck
from helpglot.terms import guides, presence
from helpglot.terms.glossary import Term

_ROOT = Path(__file__).resolve().parents[1]
# ../shared/corpora next to the clone, or two levels up (a git worktree under wt/)
CORPUS = next((p / "shared" / "corpora" / "fastapi" for p in (_ROOT.parent, _ROOT.parent.parent)
               if (p / "shared" / "corpora" / "fastapi").is_dir()), _ROOT.parent / "shared" / "corpora" / "fastapi")


def term(source: str, **langs: dict) -> Term:
    return Term(source, False, {k: v["preferred"] for k, v in langs.items()},
                {k: tuple(v.get("admitted", ())) for k, v in langs.items()},
                {k: tuple(v.get("deprecated", ())) for k, v in langs.items()}, None, "glossary/t.yml", 1)


def pair(lang: str, source: str, translation: str, glossary: tuple = (), **checks: str) -> Pair:
    src, tr = parse(source, "docs/x.md"), parse(translation, f"translations/{lang}/x.md")
    settings = SimpleNamespace(source_lang="en", checks=SimpleNamespace(**checks), translations_dir=Path("/nope"))
    return Pair(settings, lang, src, tr, "docs/x.md", f"translations/{lang}/x.md",  # type: ignore[arg-type]
                tuple((i, i) for i in range(min(len(src.blocks), len(tr.blocks)))), glossary)


def found(check, p: Pair) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f.severity, f.message) for f in check.run(p)]


# ------------------------------------------------------------------ guides as a term base

GUIDE = """\
# Guide

Use a friendly tone.

- Follow the house style: short headings, no trailing period.

### Preferred translations / glossary

* framework: framework (do not translate to "marco")
* request (as in HTTP request): request
* instantiate: создать экземпляр (avoid "инстанцировать")
* adopt (meaning start to use): использовать (or `начать использовать`)
* mount (noun): точка монтирования / mount
* the default value: der Defaultwert
* the default value: NOT der Standardwert
* FastAPI's X: FastAPIs X
* /// tip: /// tip | Tipp

Do not translate technical terms like path, route, and header, keep them as is.
"""


def test_guide_lines_become_terms_with_senses_alternatives_and_deprecated_renderings() -> None:
    terms = {t.source: t for t in guides.parse_guide(GUIDE)}
    assert "Follow the house style" not in terms  # a list before the announcing heading is no term list
    assert terms["framework"].deprecated == ("marco",)
    assert (terms["request"].preferred, terms["request"].sense) == ("request", "as in HTTP request")
    assert terms["instantiate"].deprecated == ("инстанцировать",)
    assert terms["adopt"].admitted == ("начать использовать",)
    assert (terms["mount"].preferred, terms["mount"].admitted) == ("точка монтирования", ("mount",))
    assert "FastAPI's X" not in terms and not any(t.startswith("/") for t in terms)
    assert {"path", "route", "header"} <= set(terms)  # "keep them as is" in prose
    items = dict((i["en"], i) for i, _ in guides.as_items(guides.parse_guide(GUIDE), "de"))
    assert items["default value"]["translations"]["de"] == {"preferred": "Defaultwert", "deprecated": ["Standardwert"]}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the FastAPI corpus is not next to this clone")
def test_the_five_fastapi_guides_parse() -> None:
    counts = {lang: len(guides.parse_guide((CORPUS / "docs" / lang / "llm-prompt.md").read_text("utf-8")))
              for lang in ("es", "ru", "tr", "ja", "de")}
    assert all(n >= 3 for n in counts.values()), counts
    assert counts["es"] > 80 and counts["de"] > 80


# ------------------------------------------------------------------ matching in every script

def test_cjk_renderings_are_found_inside_running_text() -> None:
    block = presence.prepare("リクエストに情報を渡せるクライアントが必要です。", "ja")
    assert presence.find("リクエスト", block, loose=True)
    assert presence.find("path operation", presence.prepare("この *path operation* で", "ja"), loose=True)
    assert not presence.find("レスポンス", block, loose=True)
    response = (term("response", ja={"preferred": "レスポンス"}),)
    assert found(GlossaryCheck(), pair("ja", "Return a response.\n", "レスポンスを返します。\n", response)) == []


@pytest.mark.parametrize("lang, rendering, text", [
    ("es", "header", "Los headers se envían"),  # Snowball-es makes "header" "head" and keeps "headers"
    ("de", "Event", "der Eventhandler"),  # a compound
    ("de", "Request", "die Requestbodys"),
    ("ru", "валидировать", "Pydantic провалидирует данные"),  # a prefixed verb
])
def test_kept_english_terms_and_inflected_forms_count_as_present(lang: str, rendering: str, text: str) -> None:
    assert presence.find(rendering, presence.prepare(text, lang), loose=True)


def test_deprecated_rendering_counts_only_where_it_renders_the_term() -> None:
    path = (term("path", es={"preferred": "path", "deprecated": ["ruta"]}),)
    # the source's one "path" is rendered as preferred: "rutas" renders "Route"
    assert found(GlossaryCheck(), pair("es", "Route Search: search by path.\n",
                                       "Búsqueda de rutas: busca por path.\n", path)) == []
    assert found(GlossaryCheck(), pair("es", "Pass the path.\n", "Pasa la ruta.\n", path)) == [
        (WARNING, "deprecated 'ruta' for 'path' (here 'ruta'): use 'path'")]
    lifespan = (term("lifespan", es={"preferred": "lifespan", "deprecated": ["vida útil"]}),)
    assert found(GlossaryCheck(), pair("es", "Certificates have a lifetime.\n",
                                       "Los certificados tienen una vida útil.\n", lifespan)) == []


def test_a_cognate_deprecated_rendering_is_reported() -> None:
    instance = (term("instance", es={"preferred": "instance", "deprecated": ["instancia"]}),)
    [(severity, message)] = found(GlossaryCheck(), pair("es", "Create an instance.\n", "Crea una instancia.\n",
                                                        instance))
    assert message == "deprecated 'instancia' for 'instance' (here 'instancia'): use 'instance'"


def test_a_deprecated_derived_word_is_not_its_root() -> None:
    # the guide forbids the noun "comprobación" for "check"; Hunspell reduces it to the verb
    # "comprobar", which the guide does not forbid (FastAPI es: 4 of 4 such findings labelled false)
    check = (term("check", es={"preferred": "Revisa", "deprecated": ["chequea", "comprobación"]}),)
    assert found(GlossaryCheck(), pair("es", "You can check if it works.\n",
                                       "Puedes comprobar si funciona.\n", check)) == []
    assert found(GlossaryCheck(), pair("es", "It does error checks.\n", "Hace chequeo de errores.\n", check)) == []
    # the deprecated word's own forms still count
    assert found(GlossaryCheck(), pair("es", "Run the checks.\n", "Ejecuta las comprobaciones.\n", check)) == [
        (WARNING, "deprecated 'comprobación' for 'check' (here 'comprobaciones'): use 'Revisa'")]


def test_a_kept_english_term_half_translated_is_reported() -> None:
    operation = (term("path operation", es={"preferred": "path operation", "deprecated": ["operación de ruta"]}),)
    assert found(GlossaryCheck(), pair("es", "The responses for this *path operation* are:\n",
                                       "Las responses de esta *camino operation* son:\n", operation)) == [
        (WARNING, "'path operation' half translated as 'camino operation': the glossary keeps 'path operation' "
                  "whole (source docs/x.md:1)")]
    # another kept-English term next to one of its words is not a translation of it
    assert found(GlossaryCheck(), pair("es", "Use path parameters in the path operation.\n",
                                       "Usa path parameters en la operación.\n", operation)) == []
    assert found(GlossaryCheck(), pair("es", "Define a path operation.\n", "Define unas path operations.\n",
                                       operation)) == []


def test_a_loanword_term_said_with_the_dictionary_word_against_the_files_own_usage() -> None:
    from helpglot.terms import bilingual

    assert bilingual.available("ja") and bilingual.available("tr"), "scripts/test installs dict-freedict-*"
    response = (term("response", ja={"preferred": "レスポンス"}, tr={"preferred": "response"},
                     ru={"preferred": "отобразить"}),)
    source = "Return a response.\n\nAdditional responses in OpenAPI\n"
    assert found(GlossaryCheck(), pair("ja", source, "レスポンスを返します。\n\nOpenAPI の追加応答\n", response)) == [
        (WARNING, "'response' rendered as '応答' (a dictionary translation of it) where the glossary keeps "
                  "'レスポンス', as this translation does elsewhere (source docs/x.md:3)")]
    [(_, message)] = found(GlossaryCheck(), pair("tr", source, "Bir response döndürün.\n\nEk yanıt'lar\n", response))
    assert message.startswith("'response' rendered as 'yanıt'")
    # the file's own convention is the native word (it says it in another block too), or never uses the
    # loanword: the translator's choice, not a slip
    assert found(GlossaryCheck(), pair("ja", source, "応答を返します。\n\nOpenAPI の追加応答\n", response)) == []
    assert found(GlossaryCheck(), pair("ja", "Additional responses in OpenAPI\n", "OpenAPI の追加応答\n",
                                       response)) == []
    # another word of the source block has that translation too: it may render that one
    assert found(GlossaryCheck(), pair("ja", "Return a response.\n\nThe reply is the response\n",
                                       "レスポンスを返します。\n\n応答です\n", response)) == []
    # a preferred word of the language itself: its dictionary synonyms are the translator's choice
    show = (term("show", ru={"preferred": "отобразить"}),)
    assert found(GlossaryCheck(), pair("ru", "Show it.\n\nShow the list.\n", "Отобразите его.\n\nПокажите список.\n",
                                       show)) == []


def test_english_left_is_reported_once_and_a_name_is_not() -> None:
    request = (term("request", ru={"preferred": "HTTP-запрос"}),)
    assert found(GlossaryCheck(), pair("ru", "Send the request.\n", "Отправьте request.\n", request)) == [
        (WARNING, "'request' left in English: the glossary renders 'request' as 'HTTP-запрос' (source docs/x.md:1)")]
    # the Requests library, and the rendering's qualifier left out ("запрос" for "HTTP-запрос")
    assert found(GlossaryCheck(), pair("ru", "It uses requests.\n", "Он основан на Requests.\n", request)) == []
    assert found(GlossaryCheck(), pair("ru", "Send the request.\n", "Отправьте запрос.\n", request)) == []


# ------------------------------------------------------------------ code by kind

def test_inline_code_translated_is_an_error_and_said_in_words_a_warning() -> None:
    assert found(MarkupCheck(), pair("es", "Use `forbid` here.\n", "Usa `prohibir` aquí.\n"))[0][0] == ERROR
    assert found(MarkupCheck(), pair("de", 'The value `"items"`.\n', "Der Wert „items“.\n"))[0][0] == ERROR
    [(severity, message)] = found(MarkupCheck(), pair("ru", "A `str` value.\n", "Строковое значение.\n"))
    assert severity == WARNING and message.startswith("inline code `str` not in the translation")
    assert found(MarkupCheck(), pair("ru", "Set `include_in_schema` to `False`.\n",
                                     "Укажите `include_in_schema=False`.\n")) == []
    assert found(MarkupCheck(), pair("es", "Press `Ctrl+Space`.\n", "Pulsa `Ctrl+Espacio`.\n")) == []
    assert found(MarkupCheck(), pair("es", "Press `Ctrl+Space`.\n", "Pulsa `Ctrl+Espacio`.\n",
                                     key_names="kept"))[0][0] == ERROR


def test_a_keyword_or_builtin_of_the_pages_code_said_in_words_is_no_finding() -> None:
    fence = "\n```python\nreturn 1\n```\n"
    # FastAPI ru: "строка" for `str`, "вызовет" for `raise`: 10 of 11 such warnings labelled not worth a fix
    assert found(MarkupCheck(), pair("ru", "It returns a `str`." + fence, "Он возвращает строку." + fence)) == []
    assert found(MarkupCheck(), pair("es", "You `raise` it." + fence, "Lo lanzas." + fence)) == []
    # a name of the program (not of the language), a constant, or a page with no Python: still reported
    for code in ("`prefix`", "`None`"):
        [(severity, message)] = found(MarkupCheck(), pair("ru", f"Pass {code} here." + fence, "Передайте его." + fence))
        assert severity == WARNING and code in message
    [(severity, _)] = found(MarkupCheck(), pair("ru", "It returns a `str`.\n", "Он возвращает строку.\n"))
    assert severity == WARNING


def test_code_blocks_compare_tokens_and_localizable_kinds_are_settings() -> None:
    src = 'def hello(name):\n    # greet\n    return {"msg": f"Hello {name}"}\n'
    localized = 'def hello(name):\n    # saludar\n    return {"msg": f"Hola {name}"}\n'
    assert codes.block_differs(src, localized, "python", comments=True, strings=True) is None
    assert codes.block_differs(src, localized, "python", comments=True, strings=False) is not None
    assert codes.block_differs(src, localized, "python", comments=False, strings=True) is not None
    renamed = localized.replace("def hello", "def hola")
    assert codes.block_differs(src, renamed, "python", comments=True, strings=True) == "'hello' became 'hola'"
    shell = "cp <file> /tmp/x\n"
    assert codes.block_differs(shell, "cp <archivo> /tmp/x\n", "bash", comments=True, strings=True) is None


# ------------------------------------------------------------------ recall holes

def test_an_include_path_changed_is_an_error() -> None:
    src = "Intro.\n\n{* ../../docs_src/app/tutorial001.py hl[3] *}\n"
    tr = src.replace("001", "002").replace("Intro", "Intro es")
    [(severity, message)] = found(MarkupCheck(), pair("es", src, tr))
    assert severity == ERROR and "tutorial001.py" in message and "tutorial002.py" in message


def test_swapped_link_targets_within_a_paragraph() -> None:
    src = "See [HTTPX](https://httpx.org/) and [Starlette](https://starlette.dev/).\n"
    swapped = "Vea [HTTPX](https://starlette.dev/) y [Starlette](https://httpx.org/).\n"
    [(severity, message)] = found(MarkupCheck(), pair("es", src, swapped))
    assert severity == ERROR and "targets swapped" in message
    reordered = "Vea [Starlette](https://starlette.dev/) y [HTTPX](https://httpx.org/).\n"
    assert found(MarkupCheck(), pair("es", src, reordered)) == []


def test_an_unclosed_block_is_reported_at_its_opener() -> None:
    src = "/// note\n\nA note.\n\n///\n\nAfter.\n"
    tr = "/// note\n\nUna nota.\n\nDespués.\n"
    messages = [m for _, m in found(StructureCheck(), pair("es", src, tr))]
    assert any("'/// note' block opened here is never closed" in m for m in messages)


def test_a_short_heading_left_in_english() -> None:
    src = "# Request Body\n\nThe request body is what the client sends, a body of data.\n"
    tr = "# Request Body\n\nEl cuerpo es lo que envía el cliente, un cuerpo de datos.\n"
    [(severity, message)] = found(UntranslatedCheck(), pair("es", src, tr))
    assert severity == WARNING and message.startswith("heading 'Request Body' is still in the source language")
    kept = (term("request body", es={"preferred": "request body"}),)
    assert found(UntranslatedCheck(), pair("es", src, tr, kept)) == []  # the guide keeps it in English
    assert found(UntranslatedCheck(), pair("es", "# FastAPI CLI\n\nUse it.\n", "# FastAPI CLI\n\nÚsalo.\n")) == []


def test_dates_before_a_full_stop_and_the_name_of_a_base() -> None:
    assert extract("It was released on 2022-01-01.") == ["date:2022-01-01"]
    assert extract("2022-01-01。") == ["date:2022-01-01"]
    assert extract("16進数で書きます") == []


# ------------------------------------------------------------------ localized links, front matter, merges

def test_a_declared_language_subdomain_is_no_safety_or_markup_finding(tmp_path: Path) -> None:
    from conftest import copy_sample
    from helpglot.config import load_settings
    from helpglot.qa import runner

    root = copy_sample(tmp_path)
    src = root / "docs" / "getting-started" / "send-your-first-invoice.md"
    tr = root / "translations" / "es" / "getting-started" / "send-your-first-invoice.md"
    src.write_text(src.read_text("utf-8") + "\nSee [invoices](https://en.wikipedia.org/wiki/Invoice).\n", "utf-8")
    tr.write_text(tr.read_text("utf-8") + "\nVea [facturas](https://es.wikipedia.org/wiki/Factura).\n", "utf-8")

    def found(config: str) -> list[str]:
        text = (root / "mkdocs.yml").read_text("utf-8")
        (root / "mkdocs.yml").write_text(text.replace("      glossary_dir: glossary\n",
                                                      "      glossary_dir: glossary\n" + config, 1), "utf-8")
        try:
            settings = load_settings(str(root / "mkdocs.yml"))
            return [f.check for f in runner.run(settings, ("es",), (str(tr),))
                    if f.check in ("safety", "markup") and not f.suppressed]
        finally:
            (root / "mkdocs.yml").write_text(text, "utf-8")

    assert "safety" in found("")  # undeclared: another site
    assert found("      checks:\n        localized_links: ['https://{lang}.wikipedia.org/wiki/*']\n") == []


def test_declared_per_language_front_matter_keys_and_a_merge_explained() -> None:
    src, tr = "---\ntags: [a]\n---\n\n# T\n\nText.\n", "---\ntags: [a]\naliases: [x]\n---\n\n# T\n\nTexto.\n"
    assert any("aliases" in m for _, m in found(StructureCheck(), pair("es", src, tr)))
    own = pair("es", src, tr, front_matter_own=("aliases",))
    assert not any("aliases" in m for _, m in found(StructureCheck(), own))
    source = "# T\n\nFirst sentence of the text is here.\n\nSecond sentence follows it right now.\n\nEnd of it all.\n"
    merged = "# T\n\nPrimera frase del texto está aquí. Segunda frase la sigue ahora mismo.\n\nFin de todo.\n"
    from helpglot.tracking.align import align

    p = pair("es", source, merged)
    p = Pair(p.settings, "es", p.source, p.translation, p.source_path, p.path,
             align(p.source, p.translation, "es").pairs, (), {"alignment": align(p.source, p.translation, "es")})
    [(severity, message)] = found(StructureCheck(), p)
    assert severity == WARNING and "is merged into this paragraph" in message and "nothing is missing" in message


def test_a_list_the_translation_re_sorted_is_paired_by_content() -> None:
    from helpglot.tracking.align import align

    src = parse("Items:\n\n* `apple` is red, see [A](a.md)\n* `banana` is yellow, see [B](b.md)\n"
                "* `cherry` is dark red, see [C](c.md)\n* `date` is brown, see [D](d.md)\n", "s")
    tr = parse("Artículos:\n\n* `banana` es amarilla, ver [B](b.md)\n* `cherry` es roja, ver [C](c.md)\n"
               "* `date` es marrón, ver [D](d.md)\n* `apple` es roja, ver [A](a.md)\n", "t")
    pairs = dict(align(src, tr, "es").pairs)
    assert [src.blocks[pairs[t]].text.split("`")[1] for t in range(1, 5)] == ["banana", "cherry", "date", "apple"]
    p = Pair(None, "es", src, tr, "s", "t", tuple(pairs.items()))  # type: ignore[arg-type]
    assert found(MarkupCheck(), p) == []


# ------------------------------------------------------------------ wikilink-style Markdown

def test_wikilinks_resolve_translated_page_names_and_callout_types_stay(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "translations" / "es").mkdir(parents=True)
    (tmp_path / "docs" / "invoices.md").write_text("# Invoices\n\nText.\n", "utf-8")
    (tmp_path / "translations" / "es" / "invoices.md").write_text("# Facturas\n\nTexto.\n", "utf-8")
    settings = SimpleNamespace(source_lang="en", checks=None, docs_dir=tmp_path / "docs",
                               translations_dir=tmp_path / "translations")

    def markup(source: str, translation: str) -> list[tuple[str, str]]:
        p = pair("es", source, translation)
        return found(MarkupCheck(), Pair(settings, "es", p.source, p.translation, p.source_path, p.path,  # type: ignore[arg-type]
                                         p.pairs))

    assert markup("See [[Invoices|the invoices]].\n", "Vea [[Facturas|las facturas]].\n") == []
    assert markup("See [[Invoices]].\n", "Vea [[Invoices]].\n") == []
    [(severity, message)] = markup("See [[Invoices]].\n", "Vea [[Facturación]].\n")
    assert severity == ERROR and "[[Invoices]] changed to [[Facturación]]" in message
    assert markup("![[chart.png]]\n\nText.\n", "![[grafico.png]]\n\nTexto.\n")[0][0] == ERROR
    callout_src, callout_tr = "> [!note] Heads up\n> Text.\n", "> [!nota] Atención\n> Texto.\n"
    assert any("callout [!nota] where the source has callout [!note]" in m
               for _, m in found(StructureCheck(), pair("es", callout_src, callout_tr)))
    assert not any("callout" in m for _, m in found(StructureCheck(), pair("es", callout_src,
                                                                           "> [!note] Atención\n> Texto.\n")))


def test_glossary_import_of_a_markdown_guide_through_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from conftest import copy_sample
    from helpglot.cli.glossary import glossary as glossary_cli

    root = copy_sample(tmp_path)
    guide = tmp_path / "guide-es.md"
    guide.write_text("### Glossary\n\n* request (as in HTTP request): request\n"
                     "* library: paquete (do not translate to \"biblioteca\")\n", "utf-8")
    before = (root / "glossary" / "terms.yml").read_text("utf-8")
    refused = CliRunner().invoke(glossary_cli, ["import", "-f", str(root / "mkdocs.yml"), str(guide)])
    assert refused.exit_code != 0 and "--lang" in refused.output
    assert (root / "glossary" / "terms.yml").read_text("utf-8") == before
    done = CliRunner().invoke(glossary_cli, ["import", "-f", str(root / "mkdocs.yml"), "--lang", "es", str(guide)])
    assert done.exit_code == 0, done.output
    text = (root / "glossary" / "terms.yml").read_text("utf-8")
    assert "en: request" in text and "deprecated: [biblioteca]" in text and "note: as in HTTP request" in text
