"""Generate a large help center like the sample: N articles in English and five
translation languages, in helpglot's layout (docs/ + translations/<lang>/) and
in plain static-i18n's suffix layout (docs/x.es.md), from the same text.

Articles look like the sample's: front matter, headings, paragraphs, ordered
and unordered lists, admonitions, tables, code, images. Translations are
word-substituted English with real provenance: most reviewed, some machine
drafts, some stale (the source was edited after), some missing. Used by
bench/build.py; never committed (it writes into a temporary folder).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from helpglot.markdown.segment import parse
from helpglot.tracking.provenance import BlockRecord, Provenance, write

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("es", "ro", "tr", "ru", "lt")
#: categories of a help center of up to 1,000 articles; bigger ones get one per 100 articles, as
#: real help centers split their sections (10 categories of 1,000 would make every page's
#: navigation list 1,000 links, which no help center does)
CATEGORIES = 10


def categories(count: int) -> int:
    return max(CATEGORIES, -(-count // 100))
WORDS = ("invoice payment workspace customer receipt bank feed plan owner admin accountant member settings "
         "billing export report tax currency draft send review team stripe slack api reminder client").split()
#: a few words per language, so a translated page reads as another language to search and to eyes
VOCAB = {
    "es": "factura pago espacio cliente recibo banco conexión plan propietario administrador",
    "ro": "factură plată spațiu client chitanță bancă flux plan proprietar administrator",
    "tr": "fatura ödeme çalışma müşteri makbuz banka akış plan sahip yönetici",
    "ru": "счёт платёж пространство клиент квитанция банк поток план владелец администратор",
    "lt": "sąskaita mokėjimas erdvė klientas kvitas bankas srautas planas savininkas administratorius",
}
SCREENSHOTS = sorted(p.name for p in (ROOT / "docs" / "assets" / "screenshots").glob("*.svg"))


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def article(rng: random.Random, k: int) -> str:
    """One sample-like article: ~4 sections with the markup a help center uses."""
    parts = [f"---\ntitle: How to handle invoice case {k}\ndescription: {_sentence(rng, 9)}\n---\n",
             f"# How to handle invoice case {k}", _sentence(rng, 18) + " " + _sentence(rng)]
    for section in range(4):
        parts.append(f"## Step {section + 1}: {_sentence(rng, 3)[:-1]}")
        parts.append(_sentence(rng, 20) + " " + _sentence(rng, 10))
        parts.append("\n".join(f"{i + 1}. {_sentence(rng, 7)}" for i in range(3)))
        if section == 0:
            parts.append(f"![{_sentence(rng, 4)[:-1]}](../assets/screenshots/{rng.choice(SCREENSHOTS)})")
        if section == 1:
            parts.append('!!! tip "Good to know"\n    ' + _sentence(rng, 16))
            parts.append("```bash\ntally invoices list --status paid --limit 20\n```")
        if section == 2:
            parts.append("| Plan | Price | Users |\n| --- | --- | --- |\n| Solo | $9 | 1 |\n| Team | $29 | 10 |")
            parts.append("\n".join(f"- {_sentence(rng, 6)}" for _ in range(3)))
        if section == 3:
            parts.append('!!! warning "Before you start"\n    ' + _sentence(rng, 12))
    return "\n\n".join(parts) + "\n"


def _translate(text: str, lang: str, rng: random.Random) -> str:
    """Replace prose words by the language's (keeps markup, code and URLs: only lowercase words in WORDS)."""
    vocab = VOCAB[lang].split()
    table = {word: vocab[i % len(vocab)] for i, word in enumerate(WORDS)}
    out = []
    for line in text.split("\n"):
        if line.startswith(("```", "tally ", "![", "| ---", "---", "helpglot:", "  ")) or line.startswith("title:"):
            out.append(line)
            continue
        out.append(re.sub(r"\b[a-z]+\b", lambda m: table.get(m.group(0), m.group(0)), line))
    return "\n".join(out)


def category_index(c: int, lang: str | None = None) -> str:
    title = f"Category {c}" if lang is None else f"Category {c} ({lang})"
    return f"---\ntitle: {title}\ndescription: Articles of category {c}.\nicon: material/folder\n---\n\n" \
           f"Everything about topic {c}.\n"


def generate(root: Path, count: int, seed: int = 14) -> dict[str, int]:
    """helpglot layout under ``root``; returns counts by kind (reviewed, machine, stale, missing)."""
    rng = random.Random(seed)
    counts = {"reviewed": 0, "machine": 0, "stale": 0, "missing": 0}
    docs = root / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    (docs / "index.md").write_text(home, encoding="utf-8")
    for lang in LANGS:
        sample_home = ROOT / "translations" / lang / "index.md"
        if sample_home.exists():
            target = root / "translations" / lang / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(sample_home.read_text(encoding="utf-8"), encoding="utf-8")
    sections = categories(count)
    for c in range(sections):
        rel = f"category-{c}/index.md"
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(category_index(c), encoding="utf-8")
        for lang in LANGS:
            _write_translation(root, lang, rel, category_index(c, lang), "reviewed")
    for k in range(count):
        rel = f"category-{k % sections}/article-{k:04d}.md"
        text = article(rng, k)
        (docs / rel).write_text(text, encoding="utf-8")
        stale = k % 17 == 0
        for n, lang in enumerate(LANGS):
            roll = (k * 7 + n * 3) % 20
            if lang != "es" and roll < 4:
                counts["missing"] += 1
                continue
            kind = "machine" if roll in (5, 6) else "reviewed"
            _write_translation(root, lang, rel, _translate(text, lang, rng), kind, source=text)
            counts["stale" if stale else kind] += 1
        if stale:  # edited after translation: one paragraph changed
            (docs / rel).write_text(text.replace("## Step 2:", "## Step two:", 1), encoding="utf-8")
    return counts


def _write_translation(root: Path, lang: str, rel: str, text: str, kind: str, source: str | None = None) -> None:
    import datetime as dt

    src_doc = parse(source if source is not None else text, rel)
    doc = parse(text, rel)
    status = "machine" if kind == "machine" else "reviewed"
    reviewed = None if kind == "machine" else dt.date(2026, 11, 20)
    prov = Provenance(source=rel, blocks=tuple(BlockRecord(h, status) for h in src_doc.hashes),
                      synced=dt.date(2026, 11, 20), reviewer=None if reviewed is None else "Bench Reviewer",
                      reviewed=reviewed, engine="deepl" if kind == "machine" else None)
    out = root / "translations" / lang / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(write(doc, prov), encoding="utf-8")


def mkdocs_config(prune: bool, helpglot: bool) -> str:
    """The sample's mkdocs.yml without its hand-written nav (1,000 articles: the nav is the folders)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("nav", None)
    features = list(config["theme"]["features"])
    if prune and "navigation.prune" not in features:
        features.append("navigation.prune")
    config["theme"]["features"] = features
    plugins = []
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "helpglot" in plugin:
            if helpglot:
                plugins.append(plugin)
            continue
        if isinstance(plugin, dict) and "i18n" in plugin and not helpglot:
            plugin = {"i18n": {k: v for k, v in plugin["i18n"].items() if k != "reconfigure_search"}}
        plugins.append(plugin)
    config["plugins"] = plugins
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def plain_layout(helpglot_root: Path, dest: Path) -> None:
    """The same pages as static-i18n's suffix layout: docs/x.es.md next to docs/x.md, no helpglot."""
    shutil.copytree(helpglot_root / "docs", dest / "docs")
    for lang_dir in (helpglot_root / "translations").iterdir():
        for file in lang_dir.rglob("*"):
            if not file.is_file():
                continue
            rel = file.relative_to(lang_dir)
            target = dest / "docs" / rel.with_suffix(f".{lang_dir.name}{rel.suffix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    for file in (dest / "docs").rglob("*.md"):  # the home template is helpglot's
        text = file.read_text(encoding="utf-8")
        if "template: helpglot-home.html" in text:
            file.write_text(re.sub(r"^template: helpglot-home.html\n", "", text, flags=re.M), encoding="utf-8")
