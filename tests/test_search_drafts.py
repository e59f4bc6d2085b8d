"""An article a language shows in English while its machine draft waits for review
(``publish_machine: false``) is found by the reader's own words: the draft's title and headings
go into that language's search index for the English page, and nothing of them is shown.

A real ``helpglot build`` of a small project; the chunked index it writes is read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import helpglot
from helpglot.markdown.segment import parse
from helpglot.site import searchtext
from helpglot.tracking.provenance import BlockRecord, Provenance, write

MKDOCS = """\
site_name: Drafts
theme: {name: material}
plugins:
  - search
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      reconfigure_search: false
      languages:
        - {locale: en, default: true, name: English}
        - {locale: de, name: Deutsch}
        - {locale: es, name: Español}
  - helpglot:
      languages:
        de: {publish_machine: false}
"""
SOURCE = ("---\ntitle: Close your account\n---\n\nYou can close your workspace at any time.\n\n"
          "## Export your data\n\nExport everything first.\n")
DRAFT = ("---\ntitle: Konto schließen\n---\n\nSie können Ihren Arbeitsbereich jederzeit schließen.\n\n"
         "## Daten exportieren\n\nExportieren Sie zuerst alles.\n")
OTHER = "---\ntitle: Send an invoice\n---\n\nCreate an invoice and send it to your customer.\n"


def machine_draft(root: Path, lang: str, rel: str, text: str, source: str) -> None:
    src = parse(source, rel)
    prov = Provenance(source=rel, blocks=tuple(BlockRecord(h, "machine") for h in src.hashes),
                      synced=dt.date(2026, 11, 20), reviewer=None, reviewed=None, engine="deepl")
    out = root / "translations" / lang / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(write(parse(text, rel), prov), encoding="utf-8")


def postings(folder: Path, word: str, lang: str) -> set[str]:
    """The page locations the language's chunked index lists under ``word`` (folded)."""
    key = searchtext.fold(word, lang)
    pages: set[str] = set()
    for shard in sorted((folder / "search" / "t").glob("*.json")):
        flat = json.loads(shard.read_text(encoding="utf-8")).get(key)
        if isinstance(flat, list) and flat and isinstance(flat[0], int):
            for code in flat[1::2]:
                fragment = json.loads((folder / "search" / "f" / f"{code // 256}.json").read_text(encoding="utf-8"))
                pages.add(fragment["l"])
    return pages


def test_a_machine_draft_awaiting_review_leads_the_readers_words_to_the_english_page(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nHelp.\n", encoding="utf-8")
    (tmp_path / "docs" / "close.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "docs" / "send.md").write_text(OTHER, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    machine_draft(tmp_path, "de", "close.md", DRAFT, SOURCE)
    machine_draft(tmp_path, "es", "close.md", DRAFT, SOURCE)  # es publishes machine drafts: not English
    helpglot("build", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    site = tmp_path / "site"
    page = (site / "de" / "close" / "index.html").read_text(encoding="utf-8")
    assert "Konto" not in page, "the draft awaiting review must not be published"
    # the draft's title and heading words find the English page in German
    assert postings(site / "de", "Konto", "de") == {"close/"}
    assert postings(site / "de", "exportieren", "de") == {"close/"}
    # ... and are only in the index: the result shows the English page's own title
    fragments = [json.loads(f.read_text(encoding="utf-8")) for f in (site / "de" / "search" / "f").glob("*.json")]
    shown = {f["l"]: f["t"] for f in fragments}
    assert shown["close/"] == "Close your account"
    assert "Konto" not in json.dumps(fragments, ensure_ascii=False)
    # a draft's body is not indexed (only what says what the page is about), and another page is untouched
    assert postings(site / "de", "jederzeit", "de") == set()
    assert "send/" not in postings(site / "de", "Konto", "de")


GLOSSARY = """\
terms:
  - en: two-factor authentication
    synonyms: [2FA]
    translations:
      de: {preferred: Zwei-Faktor-Authentifizierung, synonyms: [Bestätigung in zwei Schritten]}
  - en: invoice
    translations: {de: Rechnung}
"""
SECURE = ("---\ntitle: Secure your account\n---\n\nTurn on two-factor authentication in your profile.\n")
SECURE_DE = ("---\ntitle: Konto schützen\n---\n\nAktivieren Sie die Zwei-Faktor-Authentifizierung im Profil.\n")


def test_glossary_synonyms_lead_readers_words_to_the_page_in_every_language(tmp_path):
    """``synonyms`` in the term base: "2FA" finds the page that says "two-factor authentication"
    in English and the page that says "Zwei-Faktor-Authentifizierung" in German; the German
    reader's own synonym finds it too, and an English term typed on the German site finds the
    page that says its rendering. Pages that say none of them are not touched."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nHelp.\n", encoding="utf-8")
    (tmp_path / "docs" / "secure.md").write_text(SECURE, encoding="utf-8")
    (tmp_path / "docs" / "send.md").write_text(OTHER, encoding="utf-8")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.yml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS.replace("        de: {publish_machine: false}\n",
                                                        "        de: {publish_machine: true}\n"), encoding="utf-8")
    machine_draft(tmp_path, "de", "secure.md", SECURE_DE, SECURE)
    machine_draft(tmp_path, "de", "send.md", "---\ntitle: Rechnung senden\n---\n\nSenden Sie die Rechnung.\n", OTHER)
    helpglot("build", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    site = tmp_path / "site"
    assert postings(site, "2FA", "en") == {"secure/"}
    assert postings(site / "de", "2FA", "de") == {"secure/"}
    assert postings(site / "de", "Schritten", "de") == {"secure/"}
    assert postings(site / "de", "invoice", "de") >= {"send/"}
    assert "secure/" not in postings(site / "de", "invoice", "de")
    assert postings(site, "verification", "en") == set()


def test_a_glossary_synonyms_list_that_is_not_a_list_of_words_names_file_and_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nHelp.\n", encoding="utf-8")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.yml").write_text("terms:\n  - en: invoice\n    synonyms: bill\n",
                                                     encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    proc = helpglot("glossary", "export", "--format", "csv", cwd=tmp_path, check=False)
    assert proc.returncode != 0
    assert "glossary/terms.yml:3" in proc.stderr and "'synonyms' must be a list" in proc.stderr, proc.stderr


def test_the_lexicon_keeps_whole_chinese_and_japanese_words_for_english_only_pages(tmp_path):
    """What reviewed translations teach (helpglot.site.lexicon): for Japanese, indexed as
    character bigrams, an English word is given all the bigrams of its rendering (アカウント is
    four), not the first two, or a reader's query covers half of it on an English-only page."""
    from helpglot.site import lexicon

    english = ("---\ntitle: Account\n---\n\nOpen your account settings.\n\nClose the account today.\n\n"
               "Your account is safe.\n")
    japanese = ("---\ntitle: アカウント\n---\n\nアカウント設定を開きます。\n\n今日アカウントを閉じます。\n\n"
                "アカウントは安全です。\n")
    (tmp_path / "en.md").write_text(english, encoding="utf-8")
    (tmp_path / "ja.md").write_text(japanese, encoding="utf-8")
    learned = lexicon.learn([(tmp_path / "en.md", tmp_path / "ja.md")], "ja")
    assert {"アカ", "カウ", "ウン", "ント"} <= set(learned.to_target["account"]), learned.to_target
    # other languages keep their two best words per English stem
    assert all(len(v) <= lexicon.PER_WORD for k, v in learned.to_source.items()), learned.to_source
