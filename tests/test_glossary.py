"""The term base: validation, inflection-tolerant matching, the glossary check, export/import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_sample
from helpglot import layout
from helpglot.cli.glossary import glossary as glossary_cli
from helpglot.config import load_settings
from helpglot.errors import ContentError
from helpglot.markdown.segment import parse, parse_file
from helpglot.qa.checks.base import ERROR, WARNING, Pair
from helpglot.qa.checks.glossary import GlossaryCheck
from helpglot.terms import glossary, termmatch


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One read-only copy of the sample for the tests that only read."""
    return copy_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def settings(sample: Path):
    return load_settings(str(sample / "mkdocs.yml"))


def matches(rendering: str, text: str, lang: str) -> bool:
    return bool(termmatch.find(termmatch.phrase(rendering, lang), termmatch.tokens(text, lang), lang))


# ------------------------------------------------------------------ matching

POSITIVE = [
    ("es", "factura", "Descarga tus facturas"),
    ("es", "conexión bancaria", "Las conexiones bancarias fallan"),
    ("es", "espacio de trabajo", "en otros espacios de trabajo"),
    ("ru", "счёт", "отправьте два счета"),
    ("ru", "счёт", "в счёте указана сумма"),
    ("ru", "счёт", "в счете указана сумма"),
    ("ru", "регулярный счёт", "регулярные счета"),
    ("ru", "коммерческое предложение", "из коммерческого предложения"),
    ("ru", "рабочее пространство", "в рабочем пространстве"),
    ("ro", "factură", "deschideți facturii"),
    ("ro", "factură", "toate facturile"),
    ("ro", "factură recurentă", "facturile recurente"),
    ("ro", "cheltuială", "cheltuieli"),
    ("ro", "metodă de plată", "metodele de plăți"),
    ("ro", "spațiu de lucru", "spaţiul de lucru"),  # cedilla ţ typed for comma-below ț
    ("tr", "fatura", "faturanızı gönderin"),
    ("tr", "fatura", "FATURALAR"),
    ("tr", "banka akışı", "banka akışınızı bağlayın"),
    ("tr", "çalışma alanı", "çalışma alanınızda"),
    ("tr", "Yönetici", "yöneticiler"),  # consonant softening left by the stemmer: yönetiç/yönetici
    ("tr", "Üye", "üyeleri"),  # the stemmer over-stems "üye" to "ü"
    ("tr", "iptal", "İPTAL"),
    ("tr", "ışık", "IŞIK"),
    ("lt", "sąskaita faktūra", "sąskaitą faktūrą"),
    ("lt", "sąskaita faktūra", "sąskaitos faktūros"),
    ("lt", "sąskaita faktūra", "sąskaitų faktūrų"),
    ("lt", "sąskaita faktūra", "sąskaitoje faktūroje"),
    ("lt", "banko sąsaja", "banko sąsają"),
    ("lt", "banko sąsaja", "banko sąsajos"),
    ("lt", "mokėjimo būdas", "mokėjimo būdu"),
    ("lt", "Narys", "nariai"),
    ("lt", "periodinė sąskaita faktūra", "periodinės sąskaitos faktūros"),
    ("lt", "API raktas", "API raktą"),
]

NEGATIVE = [
    ("es", "factura", "una fractura"),
    ("ru", "счёт", "счётчик"),  # "counter", not "invoice"
    ("ro", "factură", "fapt"),
    ("tr", "fatura", "Fatih"),
    ("tr", "ışık", "işik"),  # dotted and dotless i are different letters
    ("tr", "iptal", "IPTAL"),  # Turkish "I" folds to "ı"
    ("lt", "sąsaja", "sąskaita"),
    ("lt", "sąskaita", "sąsaja"),
    ("lt", "kvitas", "kvietimas"),
    ("lt", "banko sąsaja", "banko srautas"),
    ("lt", "sąskaita faktūra", "faktūra sąskaita"),  # order matters
]


@pytest.mark.parametrize(("lang", "rendering", "text"), POSITIVE)
def test_inflected_forms_match(lang: str, rendering: str, text: str) -> None:
    assert matches(rendering, text, lang)


@pytest.mark.parametrize(("lang", "rendering", "text"), NEGATIVE)
def test_other_words_do_not_match(lang: str, rendering: str, text: str) -> None:
    assert not matches(rendering, text, lang)


def test_turkish_casefold() -> None:
    assert termmatch.fold("FATURA", "tr") == "fatura"
    assert termmatch.fold("İPTAL", "tr") == "iptal"
    assert termmatch.fold("IŞIK", "tr") == "ışık"
    assert termmatch.fold("IŞIK", "en") == "işik"  # elsewhere I is i
    assert termmatch.fold("Счёт", "ru") == "счет"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("sąskaita", "sąskaitoje", True), ("sąskaita", "sąskaitų", True), ("faktūra", "faktūrą", True),
    ("sąsaja", "sąsajos", True), ("būdas", "būdu", True), ("narys", "nario", True),
    ("sąsaja", "sąskaita", False), ("kvitas", "kviečia", False),
    # ("darbo", "darbuotojas"): Snowball stems both "darb"; a deprecated hit is confirmed by the dictionary
])
def test_lithuanian_snowball_stems(a: str, b: str, same: bool) -> None:
    # snowballstemmer 3 has Lithuanian: case endings go, the lexeme stays
    assert termmatch.has_stemmer("lt") and termmatch.key(a, "lt") != a
    assert termmatch.same_word(termmatch.key(a, "lt"), termmatch.key(b, "lt"), "lt") is same


def test_source_terms_longest_first_plurals_and_case() -> None:
    text = ("Recurring invoices and invoices. API keys for the Owner, not the owner of a card. "
            "`invoice.paid` and [x](https://invoice.example) are code; bank-feed counts.")
    found = [(term, text[a:b]) for term, a, b in termmatch.find_source(
        ["invoice", "recurring invoice", "API key", "Owner", "bank feed"], text)]
    assert found == [("recurring invoice", "Recurring invoices"), ("invoice", "invoices"),
                     ("API key", "API keys"), ("Owner", "Owner"), ("bank feed", "bank-feed")]


# ------------------------------------------------------------------ validation

BAD = [
    ("- en: invoice\n  - en: Invoice\n", 3, "duplicate term 'Invoice' (first defined at glossary/terms.yml:2)"),
    ("- en: Tallybird\n    dnt: true\n    translations: {es: Tallybird}\n", 2, "marked dnt"),
    ("- en: invoice\n    translations:\n      de: Rechnung\n", 4, "'de', which is not a translation language"),
    ("- en: ''\n", 2, "non-empty 'en'"),
    ("- en: invoice\n    translations: {es: ''}\n", 3, "empty or missing 'preferred'"),
    ("- en: invoice\n    translations:\n      es: {preferred: factura, admitted: cuenta}\n", 4,
     "'admitted' must be a list of non-empty renderings"),
    ("- en: invoice\n    translations:\n      es: {preferred: factura, deprecated: [cuenta, '']}\n", 4,
     "'deprecated' must be a list of non-empty renderings"),
    ("- en: invoice\n    translations:\n      es: {preferred: factura, deprecated: [factura]}\n", 4,
     "both deprecated and preferred"),
    ("- en: invoice\n    translation: {es: factura}\n", 3, "unknown key 'translation'"),
    ("- en: invoice\n    dnt: maybe\n", 3, "'dnt' must be true or false"),
    ("- en: sign in\n    search_only: yes please\n    translations: {es: entrar}\n", 3,
     "'search_only' must be true or false"),
    ("- en: sign in\n    search_only: true\n", 2, "search_only but has no translations to search by"),
]


@pytest.mark.parametrize(("body", "line", "message"), BAD)
def test_validation_names_file_line_and_problem(settings, body: str, line: int, message: str) -> None:
    text = "terms:\n  " + body
    with pytest.raises(ContentError) as info:
        glossary.parse_text(text, "glossary/terms.yml", settings)
    assert info.value.message.startswith(f"glossary/terms.yml:{line}: ")
    assert message in info.value.message


def test_duplicates_across_files(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    (root / "glossary" / "more.yml").write_text("terms:\n  - en: Invoice\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"glossary/terms.yml:\d+: duplicate term 'invoice' "
                                           r"\(first defined at glossary/more.yml:2\)"):
        glossary.load(load_settings(str(root / "mkdocs.yml")))


def test_sample_glossary_loads_and_keeps_the_engine_interface(settings) -> None:
    terms = glossary.load(settings)
    assert terms[0].source == "Tallybird" and terms[0].dnt and terms[0].preferred == {}
    entries = dict(glossary.pair(terms, "en", "lt").entries)
    assert entries["Tallybird"] == "Tallybird" and entries["invoice"] == "sąskaita faktūra"


# ------------------------------------------------------------------ the check


def sample_pairs(settings, terms) -> list[Pair]:
    out = []
    for tf in layout.translation_files(settings):
        if tf.source.is_file():
            out.append(Pair(settings, tf.lang, parse_file(str(tf.source), settings.rel(tf.source)),
                            parse_file(str(tf.path), settings.rel(tf.path)), settings.rel(tf.source),
                            settings.rel(tf.path), glossary=tuple(terms)))
    return out


def test_sample_translations(settings) -> None:
    """No errors; the only warnings are where a reviewer suppressed them with a reason (the Lithuanian
    "paverskite sąskaitą faktūrą periodine": "periodic" refers back to the invoice, natural Lithuanian)."""
    check = GlossaryCheck()
    findings = [f for p in sample_pairs(settings, glossary.load(settings)) for f in check.run(p)]
    assert findings == []  # by default a missing rendering is reported only where the English stayed
    every = replace(settings, checks=replace(settings.checks, glossary_missing="any"))
    findings = [f for p in sample_pairs(every, glossary.load(every)) for f in check.run(p)]
    assert [f for f in findings if f.severity == ERROR] == []
    warnings = [f for f in findings if f.severity == WARNING]
    assert {f.path for f in warnings} == {"translations/lt/getting-started/send-your-first-invoice.md"}
    for f in warnings:
        lines = (settings.root / f.path).read_text(encoding="utf-8").splitlines()
        assert "helpglot: ignore glossary" in lines[f.line - 2]
    assert all(f.check == "glossary" and f.block for f in findings)


GLOSSARY = """\
terms:
  - en: Tallybird
    dnt: true
  - en: invoice
    translations: {es: factura, lt: sąskaita faktūra}
  - en: bank feed
    translations:
      lt: {preferred: banko sąsaja, admitted: [sąsaja], deprecated: [banko srautas]}
      es: {preferred: conexión bancaria, deprecated: [feed bancario]}
"""


def run_check(settings, lang: str, source: str, translation: str) -> list:
    terms = glossary.parse_text(GLOSSARY, "glossary/terms.yml", settings)
    pair = Pair(settings, lang, parse(source, "docs/a.md"), parse(translation, f"translations/{lang}/a.md"),
                "docs/a.md", f"translations/{lang}/a.md", glossary=tuple(terms))
    return list(GlossaryCheck().run(pair))


def test_inflected_preferred_and_admitted_renderings_pass(settings) -> None:
    src = "# Bank feeds\n\nSend the invoice from Tallybird.\n\nThe bank feed is on.\n"
    assert run_check(settings, "lt", src, "# Banko sąsajos\n\nIšsiųskite sąskaitą faktūrą iš Tallybird.\n\n"
                                          "Sąsaja įjungta.\n") == []


def test_missing_preferred_is_a_warning_naming_the_fix(settings) -> None:
    settings = replace(settings, checks=replace(settings.checks, glossary_missing="any"))
    [f] = run_check(settings, "es", "# Title\n\nSend the invoice.\n", "# Título\n\nEnvía la cuenta.\n")
    assert (f.severity, f.path, f.line, f.block) == (WARNING, "translations/es/a.md", 3, 2)
    assert f.message.startswith("'invoice' should be 'factura' in this block; found no form of it")
    [f] = run_check(settings, "lt", "The bank feed.\n", "Banko ryšys.\n")
    assert f.message.startswith("'bank feed' should be 'banko sąsaja' (or an admitted form) in this block; "
                                "found neither")


def test_english_left_in_place_of_a_rendering_is_a_warning(settings) -> None:
    # the default (glossary_missing: english): another wording is the translator's call, the English
    # term left standing is not
    assert run_check(settings, "es", "Send the invoice.\n", "Envía la cuenta.\n") == []
    [f] = run_check(settings, "es", "Send the invoices.\n", "Envía los invoices.\n")
    assert (f.severity, f.message.split(" (")[0]) == (WARNING, "'invoices' left in English: the glossary renders "
                                                               "'invoice' as 'factura'")
    off = replace(settings, checks=replace(settings.checks, glossary_missing="off"))
    assert run_check(off, "es", "Send the invoices.\n", "Envía los invoices.\n") == []


def test_deprecated_is_a_warning_where_it_renders_the_term(settings) -> None:
    # counted against the source's mentions: the block says "bank feed" twice, the translation has
    # the preferred rendering once and the deprecated one (inflected) once: that one renders the term
    findings = run_check(settings, "lt", "Intro.\n\nThe bank feed is not the other bank feed.\n",
                         "Įvadas.\n\nBanko sąsaja, ne banko srauto.\n")
    assert [(f.severity, f.line, f.message) for f in findings] == [
        (WARNING, 3, "deprecated 'banko srautas' for 'bank feed' (here 'banko srauto'): use 'banko sąsaja'"),
    ]
    # one mention, rendered as preferred: the deprecated words render something else
    assert run_check(settings, "lt", "The bank feed.\n", "Banko sąsaja, ne banko srauto.\n") == []
    # a block whose source does not name the term: the words are not a rendering of it
    assert run_check(settings, "lt", "Intro.\n", "Įvadas apie banko srautą.\n") == []
    # one finding per block and term: the error, not also a "missing" warning
    [f] = run_check(settings, "lt", "The bank feed.\n", "Banko srautas.\n")
    assert (f.severity, f.message.split(" (")[0]) == (WARNING, "deprecated 'banko srautas' for 'bank feed'")


def test_deprecated_inside_a_preferred_rendering_is_fine(settings) -> None:
    # "sąsaja" alone is admitted; a glossary deprecating a part of the preferred form must not fire on it
    terms = glossary.parse_text(
        "terms:\n  - en: bank feed\n    translations:\n      lt: {preferred: banko sąsaja, deprecated: [sąsaja]}\n",
        "g.yml", settings)
    pair = Pair(settings, "lt", parse("The bank feed.\n"), parse("Banko sąsaja.\n"), "s", "t", glossary=tuple(terms))
    assert list(GlossaryCheck().run(pair)) == []


def test_dnt_must_stay_verbatim(settings) -> None:
    [f] = run_check(settings, "es", "Open Tallybird.\n", "Abre tallybird.\n")
    assert f.severity == ERROR
    assert f.message == "'Tallybird' is do-not-translate: keep it verbatim (same case) in this block; found 'tallybird'"
    assert run_check(settings, "es", "Open Tallybird.\n", "Abre Tallybird.\n") == []


def test_runner_alignment_is_used_and_repeats_reported_once(settings) -> None:
    terms = glossary.parse_text(GLOSSARY, "glossary/terms.yml", settings)
    source = parse("Open Tallybird, then Tallybird again.\n")
    translation = parse("An extra paragraph.\n\nAbre tallybird dos veces.\n")
    aligned = Pair(settings, "es", source, translation, "s", "t", pairs=((1, 0),), glossary=tuple(terms))
    [f] = GlossaryCheck().run(aligned)
    assert (f.line, f.block) == (3, 2)
    unaligned = Pair(settings, "es", source, translation, "s", "t", glossary=tuple(terms))
    assert [f.line for f in GlossaryCheck().run(unaligned)] == [1]  # block 0 ↔ block 0 without alignment


def test_seeded_defect_in_a_sample_translation(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    path = root / "translations/es/getting-started/send-your-first-invoice.md"
    text = path.read_text(encoding="utf-8")
    assert "Tallybird" in text
    path.write_text(text.replace("Tallybird", "TallyBird", 1), encoding="utf-8")
    settings = load_settings(str(root / "mkdocs.yml"))
    pairs = [p for p in sample_pairs(settings, glossary.load(settings)) if p.path.endswith(
        "es/getting-started/send-your-first-invoice.md")]
    [f] = [f for f in GlossaryCheck().run(pairs[0]) if f.severity == ERROR]
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "TallyBird" in t)
    assert (f.line, f.message.split(";")[0]) == (line, "'Tallybird' is do-not-translate: keep it verbatim (same "
                                                       "case) in this block")


def test_check_is_registered() -> None:
    from helpglot.qa.checks import load

    assert "glossary" in [c.id for c in load(("glossary",)).checks]


# ------------------------------------------------------------------ export / import


def cli(root: Path, *args: str):
    return CliRunner().invoke(glossary_cli, [*args[:1], "-f", str(root / "mkdocs.yml"), *args[1:]])


RICH = GLOSSARY + """\
  - en: quote
    note: 'a price offer, not a citation: "quote"'
    translations: {es: presupuesto, lt: komercinis pasiūlymas}
"""


def terms_of(root: Path) -> list[dict]:
    return [glossary.as_dict(t, "en") for t in glossary.load(load_settings(str(root / "mkdocs.yml")))]


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_export_import_round_trip(tmp_path: Path, fmt: str) -> None:
    root = copy_sample(tmp_path)
    terms_yml = root / "glossary/terms.yml"
    terms_yml.write_text(RICH, encoding="utf-8")
    before = terms_of(root)
    out = tmp_path / f"g.{fmt}"
    assert cli(root, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    again = cli(root, "import", str(out))
    assert again.exit_code == 0 and "0 added, 0 updated, 4 unchanged" in again.output
    assert terms_yml.read_text(encoding="utf-8") == RICH
    terms_yml.write_text("# our terms\nterms:\n", encoding="utf-8")
    result = cli(root, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "4 added, 0 updated" in result.output
    assert terms_of(root) == before
    assert terms_yml.read_text(encoding="utf-8").startswith("# our terms\nterms:\n  - en: Tallybird\n")


SYNONYMS = GLOSSARY + """\
  - en: two-factor authentication
    synonyms: [2FA, two-step verification]
    translations:
      ru: {preferred: двухфакторная аутентификация, synonyms: [2FA, двухэтапная проверка]}
      es: autenticación en dos pasos
"""


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_synonyms_round_trip_and_survive_a_file_without_them(tmp_path: Path, fmt: str) -> None:
    root = copy_sample(tmp_path)
    terms_yml = root / "glossary/terms.yml"
    terms_yml.write_text(SYNONYMS, encoding="utf-8")
    before = terms_of(root)
    assert before[-1]["synonyms"] == ["2FA", "two-step verification"]
    out = tmp_path / f"g.{fmt}"
    assert cli(root, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    exported = out.read_bytes().decode("utf-8-sig")
    if fmt == "tbx":  # a variant with the note a CAT tool shows, never an admitted rendering
        assert exported.count("<note>search synonym: what readers type, not a rendering</note>") == 4
        assert "admittedTerm-admn-sts</termNote>" not in exported.split("two-factor")[1]
    else:
        header = exported.splitlines()[0].split(",")
        assert header[:4] == ["en", "note", "dnt", "synonyms"] and "ru_synonyms" in header
        assert "2FA; two-step verification" in exported and "2FA; двухэтапная проверка" in exported
    terms_yml.write_text("terms:\n", encoding="utf-8")
    result = cli(root, "import", str(out))
    assert result.exit_code == 0 and "4 added, 0 updated" in result.output, result.output
    assert terms_of(root) == before
    # the same term base from a tool that drops them (an older export): synonyms are kept
    if fmt == "tbx":
        plain = re.sub(r"\s*<termSec>\s*<term>[^<]*</term>\s*<termNote type=\"termType\">variant</termNote>"
                       r"\s*<note>search synonym[^<]*</note>\s*</termSec>", "", exported)
    else:
        rows = list(csv.reader(io.StringIO(exported)))
        keep = [i for i, name in enumerate(rows[0]) if not name.endswith("synonyms")]
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[row[i] for i in keep] for row in rows])
        plain = buffer.getvalue()
    assert "2FA" not in plain
    (tmp_path / f"plain.{fmt}").write_text(plain, encoding="utf-8")
    result = cli(root, "import", str(tmp_path / f"plain.{fmt}"))
    assert result.exit_code == 0 and "0 added, 0 updated, 4 unchanged" in result.output, result.output
    assert terms_of(root) == before


def test_import_reads_tbx_v2_from_other_tools(tmp_path: Path) -> None:
    """martif/termEntry/langSet/tig, region subtags, no administrativeStatus: first is preferred."""
    root = copy_sample(tmp_path)
    (tmp_path / "cat.tbx").write_text("""<?xml version="1.0"?>
<martif type="TBX" xml:lang="en-US"><text><body>
  <termEntry id="x"><descrip type="definition">an unpaid invoice</descrip>
    <langSet xml:lang="en-US"><tig><term>draft</term></tig></langSet>
    <langSet xml:lang="es-ES"><tig><term>borrador</term></tig><tig><term>esbozo</term></tig></langSet>
  </termEntry>
</body></text></martif>
""", encoding="utf-8")
    result = cli(root, "import", str(tmp_path / "cat.tbx"))
    assert result.exit_code == 0, result.output
    terms = {t.source: t for t in glossary.load(load_settings(str(root / "mkdocs.yml")))}
    draft = terms["draft"]
    assert (draft.preferred, draft.admitted, draft.note) == ({"es": "borrador"}, {"es": ("esbozo",)},
                                                             "an unpaid invoice")


def test_import_merges_and_reports(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    terms_yml = root / "glossary/terms.yml"
    original = terms_yml.read_text(encoding="utf-8")
    data = "\ufeffen,note,dnt,lt,lt_admitted,lt_deprecated\nbank feed,,,banko sąsaja,sąsaja,banko srautas; srautas\n" \
           "draft,,,juodraštis,,\nOkta,,yes,,,\nStripe,,yes,,,\n"
    (tmp_path / "in.csv").write_text(data, encoding="utf-8")
    result = cli(root, "import", str(tmp_path / "in.csv"))
    assert result.exit_code == 0, result.output
    assert "added    draft" in result.output and "added    Okta" in result.output
    assert "Stripe" not in result.output and ", 1 unchanged" in result.output
    assert "updated  bank feed: lt: banko sąsaja → {preferred: banko sąsaja, admitted: [sąsaja], " \
           "deprecated: [banko srautas, srautas]}" in result.output
    text = terms_yml.read_text(encoding="utf-8")
    assert text.startswith(original.split("  - en: bank feed")[0])  # untouched entries keep their text
    terms = {t.source: t for t in glossary.load(load_settings(str(root / "mkdocs.yml")))}
    assert terms["bank feed"].preferred["es"] == "conexión bancaria"  # languages not imported are kept
    assert terms["bank feed"].deprecated["lt"] == ("banko srautas", "srautas")
    assert terms["Okta"].dnt and terms["draft"].preferred == {"lt": "juodraštis"}


@pytest.mark.parametrize(("name", "data", "where", "message"), [
    ("bad.csv", "en,note,dnt,de\ninvoice,,,Rechnung\n", ":1:", "language 'de' is not a language of this site"),
    ("bad.csv", "en,note,dnt,lt,lt_admitted\ninvoice,,,,sąskaita\n", ":2:", "empty or missing 'preferred'"),
    ("bad.csv", "en,note,dnt,lt\ninvoice,,,a\n\"multi\nline\",,,b\nINVOICE,,,c\n", ":5:", "duplicate term"),
    ("bad.csv", "en,note,dnt\nStripe,,maybe\n", ":2:", "dnt 'maybe'"),
    ("bad.csv", "en,note,dnt,es\nTallybird,,yes,Pájaro\n", ":2:", "marked dnt"),
    # a term with translations cannot become dnt by import: its translations would be lost
    ("bad.csv", "en,note,dnt\ninvoice,,yes\n", ":2:", "remove them there first"),
    ("bad.tbx", "<tbx><text><body><conceptEntry>\n<langSec xml:lang='en'>", ":2:", "not well-formed XML"),
    ("bad.tbx", "<tbx><text><body>\n<conceptEntry><langSec xml:lang='en'><termSec><term>x</term>"
                "<termNote type='administrativeStatus'>bestTerm</termNote></termSec></langSec></conceptEntry>"
                "</body></text></tbx>", ":2:", "unknown administrativeStatus 'bestTerm'"),
    ("bad.txt", "x", "bad.txt:", "unknown format"),
])
def test_import_refuses_bad_input_and_changes_nothing(tmp_path: Path, name: str, data: str, where: str,
                                                       message: str) -> None:
    root = copy_sample(tmp_path)
    terms_yml = root / "glossary/terms.yml"
    before = terms_yml.read_bytes()
    (tmp_path / name).write_text(data, encoding="utf-8")
    result = cli(root, "import", str(tmp_path / name))
    assert result.exit_code == 2, result.output
    assert where in result.output and message in result.output
    assert terms_yml.read_bytes() == before


def test_csv_and_deepl_exports(sample: Path) -> None:
    result = CliRunner().invoke(glossary_cli, ["export", "-f", str(sample / "mkdocs.yml"), "--format", "csv",
                                               "--lang", "lt"])
    raw = result.stdout_bytes
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["en", "note", "dnt", "lt", "lt_admitted", "lt_deprecated"]
    assert ["Tallybird", "", "yes", "", "", ""] in rows
    assert ["invoice", "", "", "sąskaita faktūra", "", ""] in rows
    deepl = cli(sample, "export", "--format", "deepl", "--lang", "ru")
    assert "invoice\tсчёт\n" in deepl.output and "Tallybird\tTallybird\n" in deepl.output
    assert cli(sample, "export", "--format", "deepl").exit_code == 2
    assert cli(sample, "export", "--format", "tbx", "--lang", "de").exit_code == 2


# ------------------------------------------------------------------ search-only terms


def test_search_only_terms_are_no_rule_for_engines_exports_or_the_check(settings, sample: Path) -> None:
    """The sample's "sign in" leads Russian readers' "войти" to the English-only article in site
    search, but a verb inflects too much to be a translation rule: no engine gets it, no export
    lists it, and a translation that never says "войти" passes the check."""
    terms = glossary.load(settings)
    sign_in = next(t for t in terms if t.source == "sign in")
    assert sign_in.search_only and sign_in.preferred["ru"] == "войти"
    assert "sign in" not in dict(glossary.pair(terms, "en", "ru").entries)
    assert "sign in" not in cli(sample, "export", "--format", "deepl", "--lang", "ru").output
    assert "sign in" not in cli(sample, "export", "--format", "tbx").output
    rows = cli(sample, "export", "--format", "csv").output
    assert "\nsign in," not in rows and "\ninvoice," in rows
    pair = Pair(settings, "ru", parse("# Title\n\nSign in to Tallybird.\n"),
                parse("# Заголовок\n\nОткройте Tallybird.\n"), "s", "t", glossary=tuple(terms))
    assert list(GlossaryCheck().run(pair)) == []
    assert glossary.as_dict(sign_in, "en")["search_only"] is True
