""""Missing: …" under a search result is said only when the page lacks the word in every form
(issue 21), in a real Chromium running the worker on an index the post-build step makes.

The worker runs no stemmer. A query word the help center never says ("creando", where the pages
say "crear" and "crea") was matched through another form and then called missing on the page
that says the form the query did not reach: a lie that the held-out query set found in Spanish
and Russian. A word the help center does say is still called missing where the page truly lacks
it in every form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, ask_worker
from helpglot.site import searchindex

pytestmark = pytest.mark.browser

WORKER = ROOT / "src/helpglot/site/templates/assets/javascripts/workers/helpglot-search.js"


def ask(page_factory, root: Path, folder: str, lang: str, docs: list[dict], queries: list[str]) -> list[dict]:
    """Build ``docs`` into ``root/folder`` with the real index step and ask the real worker."""
    workers = root / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    shutil.copy2(WORKER, workers)
    search = root / folder / "search"
    search.mkdir(parents=True)
    (search / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    searchindex.build(root / folder, lang, f"{folder}/search/")
    config = json.loads((search / "search_index.json").read_text(encoding="utf-8"))["config"]
    return ask_worker(page_factory, root, "assets/", "javascripts/workers/helpglot-search.js", config, queries)


def terms_by_page(reply: dict) -> dict[str, dict[str, bool]]:
    return {group[0]["location"]: group[0]["terms"] for group in reply["items"]}


def test_another_form_of_the_word_is_never_missing(page_factory, tmp_path):
    """"creando" (said nowhere) on the page that says "crear": no "Missing: creando"; "crear"
    (said) on the page that says no form of it: "Missing: crear"."""
    docs = [{"location": "es/nueva/", "title": "Nueva factura", "text": "<p>Para crear una factura.</p>"},
            {"location": "es/presupuesto/", "title": "Presupuestos", "text": "<p>Crea un presupuesto y envíelo.</p>"},
            {"location": "es/usuarios/", "title": "Usuarios", "text": "<p>Puede crear un usuario nuevo.</p>"},
            {"location": "es/pagada/", "title": "Factura pagada", "text": "<p>Una factura pagada no se edita.</p>"}]
    creando, crear = ask(page_factory, tmp_path / "site", "es", "es", docs, ["creando factura", "crear factura"])
    shown = terms_by_page(creando)
    assert "es/nueva/" in shown, creando
    assert shown["es/nueva/"]["creando"] is True, shown  # the page says "crear"
    shown = terms_by_page(crear)
    assert shown["es/nueva/"] == {"crear": True, "factura": True}, shown
    assert shown["es/pagada/"]["crear"] is False, shown  # no form of "crear" in it: truly missing



def test_a_named_stem_in_another_shard_is_fetched(page_factory, tmp_path):
    """Arabic writes the article into the word: "الحساب" has the stem "حساب", which lives in
    another shard than the word (a shard is picked by a key's first letters). The worker fetches
    the named stem's shard, so "الحساب" finds the page that says only "حسابك" ("your account")."""
    letters = "بتثجخدذرزسشصضطظعغفقكلمنهوي"
    docs = [{"location": "close/", "title": "أغلق حسابك", "text": "<p>يمكنك إغلاق حسابك في أي وقت.</p>"},
            {"location": "other/", "title": "الحساب والفواتير", "text": "<p>إعدادات الحساب.</p>"}]
    for count in range(40, 400, 20):  # filler words until the word and its stem sit in different shards
        filler = [{"location": f"f{n}/", "title": f"صفحة {n}", "text": "<p>" + " ".join(
            letters[n % 26] + letters[(n // 26 + k) % 26] + letters[k % 26] + letters[(n + k) % 26]
            for k in range(12)) + "</p>"} for n in range(count)]
        root = tmp_path / f"site{count}"
        search = root / "ar" / "search"
        search.mkdir(parents=True)
        (search / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs + filler}), encoding="utf-8")
        searchindex.build(root / "ar", "ar", "ar/search/")
        meta = json.loads((search / "search_index.json").read_text(encoding="utf-8"))["config"]["helpglot"]
        split = frozenset(meta["split"])
        shard = [searchindex.shard_of(key, split, meta["shards"]) for key in ("الحساب", "حساب")]
        if shard[0] != shard[1]:
            break
    assert shard[0] != shard[1], "no filler size put the word and its stem in different shards"
    shutil.rmtree(root)
    (reply,) = ask(page_factory, root, "ar", "ar", docs + filler, ["الحساب"])
    assert "close/" in terms_by_page(reply), reply


def test_a_section_result_links_to_its_anchor_on_its_page(page_factory, tmp_path):
    """A fragment stores a section's location as its anchor alone ("#export"); the worker puts the
    page's location back in front, so a section result still opens its page at the section."""
    docs = [{"location": "es/cuenta/", "title": "Cerrar la cuenta", "text": "<p>Antes de cerrar.</p>"},
            {"location": "es/cuenta/#exportar", "title": "Exportar los datos", "text": "<p>Descargue un archivo.</p>"},
            {"location": "es/otra/", "title": "Otra", "text": "<p>Nada que ver.</p>"}]
    (reply,) = ask(page_factory, tmp_path / "site", "es", "es", docs, ["exportar datos"])
    fragment = json.loads((tmp_path / "site/es/search/f/0.json").read_text(encoding="utf-8"))
    assert fragment["s"][0][0] == "#exportar", fragment
    locations = [item["location"] for group in reply["items"] for item in group]
    assert "es/cuenta/#exportar" in locations, reply
