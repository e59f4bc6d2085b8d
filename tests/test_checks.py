"""`helpglot check` through the real CLI on copies of the sample, plus a few direct unit tests.

The sample translations are the negative control: they must pass. Each seeded defect must
then produce exactly one finding, of the right check, file and line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_sample, helpglot
from helpglot.markdown.segment import parse
from helpglot.qa.checks.base import Pair
from helpglot.qa.checks.content import LengthCheck, NumbersCheck, readings

PLANS = "translations/es/account-and-billing/plans-and-pricing.md"
PLANS_SRC = "docs/account-and-billing/plans-and-pricing.md"
ACCOUNT = "translations/es/getting-started/create-your-account.md"
# the checks this file is about; others (e.g. glossary, a separate module) may add their own findings
BUILTIN = {"structure", "markup", "numbers", "untranslated", "length", "safety", "frontmatter"}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def findings(root: Path, *args: str, code: int | None = None, only: set[str] = BUILTIN) -> list[dict]:
    """The JSON findings of the built-in checks; the exit status must agree with all findings."""
    proc = helpglot("check", "--format", "json", *args, cwd=root, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)
    assert proc.returncode == any(f["severity"] == "error" and not f["suppressed"] for f in found)
    found = [f for f in found if f["check"] in only]
    if code is not None:
        assert any(f["severity"] == "error" and not f["suppressed"] for f in found) == code, found
    return found


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path)


def test_sample_translations_pass(sample: Path) -> None:
    assert findings(sample) == []  # every language, every article
    text = helpglot("check", PLANS, cwd=sample, check=False).stdout
    assert not any(f" [{c}] " in text for c in BUILTIN)


# (file, old, new, check id, severity, needle whose line the finding is on, words the message has)
DEFECTS = {
    "drop list": (PLANS, "1. Ve a **Configuración > Facturación**.\n1. Haz clic en **Cambiar de plan**.\n"
                  "1. Selecciona el nuevo plan y elige la facturación mensual o anual.\n"
                  "1. Revisa el precio y haz clic en **Confirmar cambio**.\n\n", "",
                  "structure", "error", "![La página", ["list of 4 items missing", "Change your plan"]),
    "extra paragraph": (PLANS, None, "\n\nUn párrafo que no existe en el original.\n",
                        "structure", "error", "Un párrafo que no existe", ["extra paragraph at the end"]),
    "heading level": (PLANS, "## Cambiar de plan", "### Cambiar de plan",
                      "structure", "error", "### Cambiar de plan", ["level-3 heading", "level-2 heading"]),
    "inline code": (ACCOUNT, "`ana@silvadesign.pt`", "`ana@silva.pt`",
                    "markup", "error", "`ana@silva.pt`", ["`ana@silvadesign.pt` changed to `ana@silva.pt`"]),
    "link target": (ACCOUNT, "(invite-your-team.md)", "(invite-team.md)",
                    "markup", "error", "(invite-team.md)", ["invite-your-team.md changed to invite-team.md"]),
    "price": (PLANS, "$290 al año", "$299 al año", "numbers", "error", "$299", ["290 became 299"]),
    "english paragraph": (PLANS, "Solo el Propietario de un espacio de trabajo puede cambiar su plan.",
                          "Only the Owner of a workspace can change its plan.",
                          "untranslated", "warning", "Only the Owner", ["still in the source language"]),
    "script": (PLANS, "## Cambiar de plan", "<script>alert(1)</script>\n\n## Cambiar de plan",
               "safety", "error", "<script>", ["<script> element"]),
    "javascript link": (PLANS, "puede cambiar su plan.", "puede cambiar su plan. [x](javascript:alert(1))",
                        "safety", "error", "javascript:", ["'javascript:' link"]),
    "foreign domain": (PLANS, "puede cambiar su plan.", "puede cambiar su plan. [Más](https://evil.example/x)",
                       "safety", "error", "evil.example", ["evil.example"]),
    "no title": (PLANS, "title: Planes y precios\n", "", "frontmatter", "error", "---", ["no 'title'"]),
}


@pytest.mark.parametrize("name", list(DEFECTS))
def test_seeded_defect(sample: Path, name: str) -> None:
    rel, old, new, check, severity, needle, words = DEFECTS[name]
    if old is None:  # append
        path = sample / rel
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + new, encoding="utf-8")
    else:
        edit(sample, rel, old, new)
    found = findings(sample, rel, code=1 if severity == "error" else 0)
    assert [(f["check"], f["severity"], f["path"]) for f in found] == [(check, severity, rel)], found
    assert found[0]["line"] == line_of(sample, rel, needle)
    for word in words:
        assert word in found[0]["message"], found[0]["message"]


def test_truncated_paragraph_is_a_length_warning(sample: Path) -> None:
    full = ("Tallybird ofrece tres planes para que solo pagues por lo que tu negocio necesita. Todos los planes "
            "incluyen facturas, presupuestos y clientes sin límite, y puedes cambiar de plan en cualquier momento.")
    edit(sample, PLANS, full, full[: len(full) // 5])
    found = findings(sample, PLANS, code=0)
    assert [(f["check"], f["line"]) for f in found] == [("length", line_of(sample, PLANS, "Tallybird ofrece"))]
    assert "much shorter" in found[0]["message"]


def test_attr_id_and_placeholder(sample: Path) -> None:
    edit(sample, PLANS_SRC, "## Compare plans", "## Compare plans {#compare}")
    edit(sample, PLANS_SRC, "at any time.", "at any time in {{ product }}.")
    edit(sample, PLANS, "## Comparar los planes", "## Comparar los planes {#comparar}")
    edit(sample, PLANS, "en cualquier momento.", "en cualquier momento en el producto.")
    found = findings(sample, PLANS, code=1)
    assert [(f["check"], f["line"]) for f in found] == [
        ("markup", line_of(sample, PLANS, "Tallybird ofrece")),
        ("markup", line_of(sample, PLANS, "{#comparar}")),
    ]
    assert "placeholder {{ product }} missing" in found[0]["message"]
    assert "attr id #compare changed to #comparar" in found[1]["message"]


def test_json_fields_and_github_annotations(sample: Path) -> None:
    edit(sample, PLANS, "$290 al año", "$299 al año")
    edit(sample, PLANS, "Solo el Propietario de un espacio de trabajo puede cambiar su plan.",
         "Only the Owner of a workspace can change its plan.")
    found = findings(sample, "docs/account-and-billing/plans-and-pricing.md", "--lang", "es")
    assert {"check", "severity", "path", "line", "message", "block", "suppressed", "reason"} <= set(found[0])
    proc = helpglot("check", "--format", "github", PLANS, cwd=sample, check=False)
    assert proc.returncode == 1
    lines = [x for x in proc.stdout.strip().split("\n") if any(f"title=helpglot {c}::" in x for c in BUILTIN)]
    price, english = line_of(sample, PLANS, "$299"), line_of(sample, PLANS, "Only the Owner")
    assert price < english and len(lines) == 2
    assert lines[0].startswith(f"::error file={PLANS},line={price},title=helpglot numbers::number 290 became 299")
    assert lines[1].startswith(f"::warning file={PLANS},line={english},title=helpglot untranslated::")


def test_suppression_marks_and_does_not_fail(sample: Path) -> None:
    edit(sample, PLANS, "Si pagas una vez al año", '<!-- helpglot: ignore numbers reason="promo price" -->\n'
         "    Si pagas una vez al año")
    edit(sample, PLANS, "$290 al año", "$299 al año")
    found = findings(sample, PLANS, code=0)
    assert [(f["check"], f["suppressed"], f["reason"]) for f in found] == [("numbers", True, "promo price")]
    text = helpglot("check", PLANS, cwd=sample).stdout
    assert "[suppressed: promo price]" in text


def test_file_level_suppression(sample: Path) -> None:
    edit(sample, PLANS, "## Cambiar de plan", "### Cambiar de plan")
    path = sample / PLANS
    path.write_text(path.read_text(encoding="utf-8") + '\n<!-- helpglot: ignore structure reason="WIP" -->\n',
                    encoding="utf-8")
    found = findings(sample, PLANS, code=0)
    assert [(f["check"], f["suppressed"]) for f in found] == [("structure", True)]


def _pair(lang: str, source: str, translation: str) -> Pair:
    src, tr = parse(source, "docs/x.md"), parse(translation, f"translations/{lang}/x.md")
    return Pair(None, lang, src, tr, "docs/x.md", f"translations/{lang}/x.md",  # type: ignore[arg-type]
                tuple((i, i) for i in range(len(tr.blocks))))


@pytest.mark.parametrize("a, b", [("1,250.00", "1.250,00"), ("1,250.00", "1 250,00"), ("5,000", "5 000"),
                                  ("5,000", "5.000"), ("5\u00a0000", "5,000"), ("12.50", "12,50")])
def test_locale_number_formats_match(a: str, b: str) -> None:
    assert readings(a) & readings(b)


@pytest.mark.parametrize("a, b", [("12.50", "125.0"), ("290", "299"), ("1,250", "12,50")])
def test_different_numbers_do_not_match(a: str, b: str) -> None:
    assert not readings(a) & readings(b)


def test_turkish_and_lithuanian_do_not_trip_length_or_numbers() -> None:
    source = "The Team plan costs $1,250.00 per year and includes 5,000 receipts for up to 10 users.\n"
    turkish = "Team planı yılda 1.250,00 $ tutarındadır ve en fazla 10 kullanıcı için 5.000 makbuz içerir.\n"
    lithuanian = ("Komandos planas kainuoja 1 250,00 $ per metus ir apima 5 000 kvitų iki 10 naudotojų, "
                  "įskaitant visas papildomas funkcijas.\n")
    for lang, text in (("tr", turkish), ("lt", lithuanian)):
        pair = _pair(lang, source, text)
        assert list(NumbersCheck().run(pair)) == []
        assert list(LengthCheck().run(pair)) == []
    bad = _pair("tr", source, "Team planı yılda 1.290,00 $ tutarındadır ve en fazla 10 kullanıcı için 5.000 makbuz.\n")
    assert [f.check for f in NumbersCheck().run(bad)] == ["numbers"]


def test_broken_entry_point_is_an_error_finding(sample: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "plug"
    dist = plugin / "brokencheck-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokencheck\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[helpglot.checks]\nbroken = no_such_module_xyz:Check\n")
    proc = helpglot("check", "--format", "json", PLANS, cwd=sample, check=False, env={"PYTHONPATH": str(plugin)})
    assert proc.returncode == 1
    found = [f for f in json.loads(proc.stdout) if f["check"] in BUILTIN | {"broken"}]
    assert [(f["check"], f["severity"]) for f in found] == [("broken", "error")]
    assert "could not be loaded" in found[0]["message"]
