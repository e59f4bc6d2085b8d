"""Source changes confined to skeleton (link targets, inline code, code blocks, heading ids)
travel into every translation with `helpglot translate`, without an engine call, without
a review, and without touching what translators wrote between blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import edit, git_run, helpglot
from helpglot.drafting.skeleton import carry_spans

INVITE = "getting-started/invite-your-team.md"
API = "integrations/api-quickstart.md"


git = git_run


@pytest.fixture
def repo(sample_git: Path) -> Path:
    return sample_git


def translate(root: Path, *args: str) -> list[dict]:
    """Spanish with its own engine (Apertium, offline); ro and ru with pseudo, allowed where machine
    text is not published: a skeleton change must reach none of them anyway."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "ro: {formality: prefer_more}", "ro: {formality: prefer_more, publish_machine: false}").replace(
        "ru: {formality: more,", "ru: {formality: more, publish_machine: false,"), encoding="utf-8")
    results = json.loads(helpglot("translate", "--json", "--lang", "es", *args, cwd=root).stdout)
    for lang in ("ro", "ru"):
        results += json.loads(helpglot("translate", "--json", "--engine", "pseudo", "--lang", lang, *args,
                                       cwd=root).stdout)
    return results


def states(root: Path, rel: str) -> dict[str, str]:
    proc = helpglot("status", "--json", f"docs/{rel}", cwd=root, check=False)
    return {r["lang"]: r["state"] for r in json.loads(proc.stdout)}


def test_a_link_target_change_travels_without_an_engine_or_a_review(repo: Path):
    old, new = "plans-and-pricing.md#compare-plans", "plans-and-pricing.md#plans-at-a-glance"
    edit(repo / "docs" / INVITE, old, new)
    assert set(states(repo, INVITE).values()) == {"stale", "missing"}  # before: the block changed
    results = translate(repo, f"docs/{INVITE}")
    assert all(r["blocks_sent"] == 0 and r["chars_sent"] == 0 for r in results), results
    for lang in ("es", "ro", "ru"):
        text = (repo / "translations" / lang / INVITE).read_text(encoding="utf-8")
        assert new in text and old not in text, lang
        assert " machine" not in text.split("blocks:", 1)[1].split("---", 1)[0]  # still all reviewed
    assert {lang: s for lang, s in states(repo, INVITE).items() if s != "missing"} == {
        "es": "up-to-date", "ro": "up-to-date", "ru": "up-to-date"}


def test_code_blocks_travel_but_what_a_translator_wrote_between_blocks_stays(repo: Path):
    target = repo / "translations" / "es" / API
    # a translator's accepted suppression comment sits in a gap of the Spanish file
    text = target.read_text(encoding="utf-8")
    anchor = '=== "curl"'
    assert text.count(anchor) == 1
    target.write_text(text.replace(anchor, '<!-- helpglot: ignore length reason="short" -->\n' + anchor),
                      encoding="utf-8")
    git(repo, "commit", "-qam", "es: suppression")
    edit(repo / "docs" / API, '"https://api.tallybird.com/v2/invoices?limit=5"',
         '"https://api.tallybird.com/v2/invoices?limit=5&status=open"')
    edit(repo / "docs" / API, "        timeout=10,\n", "        timeout=30,\n")
    results = translate(repo, f"docs/{API}")  # (ro has no translation of it yet: drafted whole)
    assert {r["path"]: r["blocks_sent"] for r in results if "/ro/" not in r["path"]} == {
        f"translations/es/{API}": 0, f"translations/ru/{API}": 0}
    after = target.read_text(encoding="utf-8")
    assert "limit=5&status=open" in after and "timeout=30," in after and "timeout=10," not in after
    assert '<!-- helpglot: ignore length reason="short" -->' in after
    assert states(repo, API)["es"] == "up-to-date"
    assert "timeout=30," in (repo / "translations" / "ru" / API).read_text(encoding="utf-8")


def test_a_real_edit_next_to_a_link_change_is_drafted_not_carried():
    assert carry_spans("See [the plans](a.md).", "See [all plans](b.md).", "Mira [los planes](a.md).") is None
    assert carry_spans("See [the plans](a.md) and `x`.", "See [the plans](b.md) and `y`.",
                       "Mira [los planes](a.md) y `x`.") == "Mira [los planes](b.md) y `y`."
    # the old target twice in the translation: ambiguous, so a person decides
    assert carry_spans("See [it](a.md).", "See [it](b.md).", "Mira [esto](a.md) o [aquello](a.md).") is None


def test_the_published_page_has_the_writers_new_code_before_any_translation_run(repo: Path):
    """Issue 19, 1: until the language's pull request merges, main's translation still has the
    old code sample; the published page must not show it (a code block is no block that an
    "outdated" notice covers). The build carries the writer's code into the page; the file is not
    touched, and a translator's own text between blocks stays."""
    target = repo / "translations" / "es" / API
    before = target.read_text(encoding="utf-8")
    edit(repo / "docs" / API, "        timeout=10,\n", "        timeout=30,\n")
    git(repo, "commit", "-qam", "a longer timeout")
    helpglot("build", "--lang", "es", "--site-dir", "site", cwd=repo)
    page = (repo / "site" / "es" / "es" / "integrations" / "api-quickstart" / "index.html").read_text(encoding="utf-8")
    assert "timeout" in page and "30" in page.split("timeout", 1)[1][:200]
    assert not any("10" in part[:120] for part in page.split("timeout")[1:]), "the old timeout is published"
    assert target.read_text(encoding="utf-8") == before  # the file is the translator's: untouched
