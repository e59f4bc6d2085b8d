"""`helpglot translate` for real on copies of the sample: draft only what changed,
keep every other byte, reuse reviewed blocks, never pay twice."""

from __future__ import annotations

import collections
import difflib
import json
import re
from pathlib import Path

import pytest

from conftest import copy_sample, helpglot
from helpglot.markdown.segment import parse_file

ARTICLE = "getting-started/invite-your-team.md"  # not translated into lt
TRANSLATED = "getting-started/create-your-account.md"  # translated into every language


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path)


def translate(root: Path, *args: str, check: bool = True):
    proc = helpglot("translate", "--json", *args, cwd=root, check=check)
    return proc, json.loads(proc.stdout) if proc.stdout.strip().startswith("[") else []


def status(root: Path, *args: str) -> dict:
    proc = helpglot("status", "--json", *args, cwd=root, check=False)
    return {(r["source"], r["lang"]): r for r in json.loads(proc.stdout)}


def blocks(path: Path):
    return parse_file(str(path)).blocks


def test_missing_article_is_drafted_whole_with_markup_intact(sample):
    proc, results = translate(sample, "--lang", "lt", "--engine", "pseudo", f"docs/{ARTICLE}")
    out = sample / "translations" / "lt" / ARTICLE
    assert out.is_file()
    [result] = results
    source_blocks = blocks(sample / "docs" / ARTICLE)
    assert result["blocks_sent"] + result["blocks_reused"] + result["blocks_repeated"] == len(source_blocks)
    assert result["written"]
    record = status(sample, "--lang", "lt")[(ARTICLE, "lt")]
    # translation-memory hits are recorded as such ("reused tm"), not as machine drafts
    assert record["state"] == "machine"
    assert len(record["machine_blocks"]) == len(source_blocks) - result["blocks_reused"]
    assert out.read_text(encoding="utf-8").count(" reused tm\n") == result["blocks_reused"]
    text = out.read_text(encoding="utf-8")
    source = (sample / "docs" / ARTICLE).read_text(encoding="utf-8")
    for code in re.findall(r"`[^`]+`", source):
        assert code in text
    for target in re.findall(r"\]\(([^)]+)\)", source):
        assert f"]({target})" in text
    assert "machine pseudo" in text


def test_one_edited_paragraph_is_the_only_change(sample):
    source_path = sample / "docs" / TRANSLATED
    source = source_path.read_text(encoding="utf-8")
    old = next(b for b in blocks(source_path) if b.kind == "paragraph")
    edited = old.text + " It takes about two minutes."
    source_path.write_text(source.replace(old.text, edited, 1), encoding="utf-8")
    target = sample / "translations" / "lt" / TRANSLATED
    before = target.read_text(encoding="utf-8").splitlines()
    _proc, results = translate(sample, "--lang", "lt", "--engine", "pseudo")
    [result] = [r for r in results if r["path"].endswith(TRANSLATED)]
    assert result["blocks_sent"] == 1
    assert result["chars_sent"] <= len(edited) * 1.05
    after = target.read_text(encoding="utf-8").splitlines()
    diff = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    bookkeeping = [line for line in diff if re.match(r"[+-]\s+(- [0-9a-f]{12} |synced:|engine:|fingerprint:)", line)]
    kept = [line for line in diff if re.match(r"\+\s+(pending:|- \{block: )", line)]
    # the reviewed paragraph the draft replaced waits for the reviewer in provenance, word for word
    old_translation = next(line for line in before if line.startswith("Tallybird paskyros"))
    assert len(kept) == 2 and json.dumps(old_translation, ensure_ascii=False) in kept[1], diff
    body = [line for line in diff if line not in bookkeeping and line not in kept]
    assert len(body) == 2, diff  # the old and the new paragraph, nothing else
    # one block entry replaced; engine, synced (dated the day the test runs) and the fingerprint
    # at most replaced once each: nothing else of the provenance moves
    keys = collections.Counter(re.match(r"[+-]\s+(- [0-9a-f]{12} |\w+:)", line).group(1)[:2]
                               for line in bookkeeping)
    assert set(keys) <= {"- ", "en", "sy", "fi"} and keys["- "] == 2, diff
    assert all(count <= 2 for count in keys.values()), diff
    assert status(sample, "--lang", "lt")[(TRANSLATED, "lt")]["state"] == "machine"


def test_inserted_paragraph_is_drafted_and_others_kept(sample):
    source_path = sample / "docs" / TRANSLATED
    text = source_path.read_text(encoding="utf-8")
    text = text.replace("\n## ", "\nA brand new paragraph about **invoices** and `tally`.\n\n## ", 1)
    source_path.write_text(text, encoding="utf-8")
    target = sample / "translations" / "ru" / TRANSLATED
    old_blocks = [b.text for b in blocks(target)]
    settings_lt = sample / "mkdocs.yml"
    settings_lt.write_text(settings_lt.read_text().replace("ru: {formality: more, fail_on_stale_days: 30}",
                                                           "ru: {formality: more, publish_machine: false}"))
    _proc, results = translate(sample, "--lang", "ru", "--engine", "pseudo", f"docs/{TRANSLATED}")
    assert results[0]["blocks_sent"] == 1
    new_blocks = [b.text for b in blocks(target)]
    assert len(new_blocks) == len(old_blocks) + 1
    inserted = [b for b in new_blocks if b not in old_blocks]
    assert len(inserted) == 1 and "`tally`" in inserted[0]
    assert status(sample, "--lang", "ru")[(TRANSLATED, "ru")]["state"] == "machine"


def test_translation_memory_reuses_reviewed_blocks_first(sample):
    # an untranslated lt article that shares a reviewed block with a translated one
    shared = next(b for b in blocks(sample / "translations" / "lt" / TRANSLATED) if b.kind == "paragraph")
    src_shared = next(b for b in blocks(sample / "docs" / TRANSLATED) if b.kind == "paragraph")
    article = sample / "docs" / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n" + src_shared.text + "\n", encoding="utf-8")
    _proc, results = translate(sample, "--lang", "lt", "--engine", "pseudo", f"docs/{ARTICLE}")
    assert results[0]["blocks_reused"] >= 1
    r = results[0]
    assert r["blocks_reused"] + r["blocks_sent"] + r["blocks_repeated"] == len(blocks(article))
    assert shared.text in (sample / "translations" / "lt" / ARTICLE).read_text(encoding="utf-8")


def test_nothing_is_paid_twice(sample):
    _proc, first = translate(sample, "--lang", "lt", "--engine", "pseudo", f"docs/{ARTICLE}")
    assert first[0]["chars_sent"] > 0
    (sample / "translations" / "lt" / ARTICLE).unlink()
    _proc, second = translate(sample, "--lang", "lt", "--engine", "pseudo", f"docs/{ARTICLE}")
    assert second[0]["chars_sent"] == 0
    assert second[0]["blocks_cached"] == first[0]["blocks_sent"] + first[0]["blocks_repeated"]


def test_dry_run_plans_and_writes_nothing(sample):
    proc = helpglot("translate", "--dry-run", "--lang", "lt", "--engine", "pseudo", cwd=sample)
    assert "Plan (nothing sent)" in proc.stdout and "total" in proc.stdout
    assert not (sample / "translations" / "lt" / ARTICLE).exists()
    _proc, plan = translate(sample, "--dry-run", "--lang", "lt", "--engine", "pseudo")
    assert sum(r["blocks_sent"] for r in plan) > 0 and not any(r["written"] for r in plan)


def test_pseudo_is_refused_where_drafts_are_published(sample):
    proc = helpglot("translate", "--lang", "es", "--engine", "pseudo", cwd=sample, check=False)
    assert proc.returncode != 0 and "engine 'pseudo' refused for 'es'" in proc.stderr


def test_untracked_translation_is_never_overwritten(sample):
    target = sample / "translations" / "lt" / TRANSLATED
    text = target.read_text(encoding="utf-8")
    untracked = re.sub(r"helpglot:\n(  .*\n)+", "", text)
    target.write_text(untracked, encoding="utf-8")
    source = sample / "docs" / TRANSLATED
    source.write_text(source.read_text(encoding="utf-8").replace("## ", "## New ", 1), encoding="utf-8")
    before = sorted(p.relative_to(sample).as_posix() for p in (sample / "translations" / "lt").rglob("*.md"))
    proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=sample, check=False)
    assert proc.returncode != 0 and "no provenance" in proc.stderr and "skipped" in proc.stderr
    assert target.read_text(encoding="utf-8") == untracked
    # per file: the language's other articles are drafted all the same
    after = sorted(p.relative_to(sample).as_posix() for p in (sample / "translations" / "lt").rglob("*.md"))
    assert set(before) < set(after)


def opaque(markdown: str) -> list[str]:
    from helpglot.markdown.inline import protect

    return sorted(span.markup + span.close for span in protect(markdown).spans
                  if span.kind == "x" and span.role not in ("break",)) + sorted(
        span.close for span in protect(markdown).spans if span.role in ("link", "image"))


def test_apertium_drafts_spanish_offline_with_markup_intact(sample):
    rel = "integrations/api-quickstart.md"
    (sample / "translations" / "es" / rel).unlink()
    _proc, results = translate(sample, "--lang", "es", f"docs/{rel}")  # es uses apertium in mkdocs.yml
    assert results[0]["written"], results
    out = sample / "translations" / "es" / rel
    drafted = blocks(out)
    source = blocks(sample / "docs" / rel)
    assert [b.signature for b in drafted] == [b.signature for b in source]
    text = out.read_text(encoding="utf-8")
    assert "machine apertium" in text
    assert re.search(r"\b(clave|solicitud|factura)\b", text), "real Spanish from apertium"
    for s_block, t_block in zip(source, drafted, strict=True):
        assert opaque(s_block.text) == opaque(t_block.text), (s_block.text, t_block.text)
    assert status(sample, "--lang", "es")[(rel, "es")]["state"] == "machine"


def test_keep_policy_leaves_the_reviewed_translation_and_keeps_the_draft_for_review(sample):
    config = sample / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "lt: {formality: prefer_more, publish_machine: false}",
        "lt: {formality: prefer_more, publish_machine: false, on_source_change: keep}"), encoding="utf-8")
    source_path = sample / "docs" / TRANSLATED
    old = next(b for b in blocks(source_path) if b.kind == "paragraph")
    source_path.write_text(source_path.read_text(encoding="utf-8").replace(
        old.text, old.text.replace("about two minutes", "about three minutes"), 1), encoding="utf-8")
    target = sample / "translations" / "lt" / TRANSLATED
    reviewed = parse_file(str(target)).blocks[old.index].text
    _proc, results = translate(sample, "--lang", "lt", "--engine", "pseudo")
    [result] = [r for r in results if r["path"].endswith(TRANSLATED)]
    assert result["written"] and result["blocks_sent"] == 1
    assert parse_file(str(target)).blocks[old.index].text == reviewed  # readers keep the human text
    assert status(sample, "--lang", "lt")[(TRANSLATED, "lt")]["state"] == "stale"  # and are told it is outdated
    [item] = [i for i in json.loads(helpglot("queue", "--lang", "lt", "--format", "json", cwd=sample).stdout)
              if i["source"] == TRANSLATED]
    [block] = item["blocks"]
    assert block["in_file"] == "previous" and block["previous"] == reviewed
    assert block["draft"].startswith("[") and "three" not in block["draft"]  # the pseudo draft of the new text
    # a second sync pays nothing and changes nothing: the draft already waits
    before = target.read_bytes()
    _proc, again = translate(sample, "--lang", "lt", "--engine", "pseudo")
    assert not [r for r in again if r["path"].endswith(TRANSLATED) and r["blocks_sent"]]
    assert target.read_bytes() == before
    # the translator updates the kept translation by hand and approves that block alone
    fixed = reviewed.replace("dvi minutes", "tris minutes")
    assert fixed != reviewed
    text = target.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4)
    target.write_text(text[:body] + text[body:].replace(reviewed, fixed), encoding="utf-8")
    helpglot("approve", "--reviewer", "Rūta", "--blocks", str(old.index + 1), f"translations/lt/{TRANSLATED}",
             cwd=sample)
    assert status(sample, "--lang", "lt")[(TRANSLATED, "lt")]["state"] == "up-to-date"
    assert "pending:" not in target.read_text(encoding="utf-8")


def _machine_draft_of_first_paragraph(sample: Path, extra: str) -> tuple[Path, Path, str]:
    """Draft the first paragraph of TRANSLATED into lt after an English edit; return the paths and
    the English paragraph as edited."""
    source_path = sample / "docs" / TRANSLATED
    old = next(b for b in blocks(source_path) if b.kind == "paragraph")
    edited = old.text + extra
    source_path.write_text(source_path.read_text(encoding="utf-8").replace(old.text, edited, 1), encoding="utf-8")
    translate(sample, "--lang", "lt", "--engine", "pseudo")
    return source_path, sample / "translations" / "lt" / TRANSLATED, edited


@pytest.mark.parametrize("translator_fixes_the_draft", [True, False])
def test_a_translators_unapproved_fix_of_a_draft_is_kept_when_the_english_changes_again(
        sample, translator_fixes_the_draft):
    """Issue 19, 3: a person's edit of a machine draft is human work whether or not it was
    approved. When its English changes before the approval, the new draft goes in and the
    fix is kept as the previous translation, exactly like reviewed text; an untouched draft
    (the file as helpglot wrote it) is simply replaced."""
    from helpglot.markdown.segment import parse_file as parse
    from helpglot.tracking import provenance

    target = sample / "translations" / "lt" / TRANSLATED
    reviewed = next(b for b in blocks(target) if b.kind == "paragraph").text
    source_path, target, edited = _machine_draft_of_first_paragraph(sample, " It takes about two minutes.")
    doc = parse(str(target))
    prov = provenance.read(doc)
    draft = next(b for b, r in zip(doc.blocks, prov.blocks, strict=True)
                 if r.status == "machine" and b.kind == "paragraph")
    fix = "Tallybird paskyrą susikursite per dvi minutes: tereikia el. pašto adreso."
    if translator_fixes_the_draft:  # in GitHub's editor: no approval, only the text
        target.write_text(target.read_text(encoding="utf-8").replace(draft.text, fix, 1), encoding="utf-8")
    source_path.write_text(source_path.read_text(encoding="utf-8").replace(edited, edited + " No card needed.", 1),
                           encoding="utf-8")
    translate(sample, "--lang", "lt", "--engine", "pseudo")
    text = target.read_text(encoding="utf-8")
    prov = provenance.read(parse(str(target)))
    previous = [p.previous for p in prov.pending if p.previous]
    if translator_fixes_the_draft:  # the fix is the newest human text of that block: it is shown
        assert previous == [fix]
        queue = helpglot("queue", "--lang", "lt", "--format", "markdown", cwd=sample).stdout
        assert fix in queue  # the review comment shows it beside the new draft
    else:  # the untouched draft is replaced; the reviewed text it stood over stays for the reviewer
        assert previous == [reviewed] and draft.text not in text


def test_a_stale_pending_entry_beside_an_approved_block_never_wins(sample):
    """Issue 19, 6: after "accept both" a pending entry may sit beside the block it was about,
    already approved. When the English changes, the approved text is what the reviewer must
    see as the previous translation, not the older one in that stale entry."""
    from helpglot.markdown.segment import parse_file as parse
    from helpglot.tracking import provenance

    target = sample / "translations" / "lt" / TRANSLATED
    doc = parse(str(target))
    prov = provenance.read(doc)
    index, approved = next((i, b) for i, b in enumerate(doc.blocks) if b.kind == "paragraph")
    assert prov.blocks[index].status == "reviewed"
    entry = f'  pending:\n  - {{block: "{prov.blocks[index].hash}", was: "aaaaaaaaaaaa", previous: "Senas tekstas."}}\n'
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    target.write_text(head + "\n" + entry.rstrip("\n") + sep + rest, encoding="utf-8")
    assert provenance.read(parse(str(target))).pending  # the stale entry is there
    source_path = sample / "docs" / TRANSLATED
    english = next(b for b in blocks(source_path) if b.kind == "paragraph").text
    source_path.write_text(source_path.read_text(encoding="utf-8").replace(english, english + " Really.", 1),
                           encoding="utf-8")
    translate(sample, "--lang", "lt", "--engine", "pseudo")
    previous = [p.previous for p in provenance.read(parse(str(target))).pending]
    assert previous == [approved.text]


def test_a_long_review_comment_is_cut_between_articles_with_the_rest_named(sample):
    """GitHub refuses a comment over 65,536 characters; `head -c` cut mid-fence and mid-character.
    `queue --max-chars` keeps whole articles, names the rest and says where they are."""
    translate(sample, "--lang", "lt", "--engine", "pseudo")  # lt: several articles drafted whole
    full = helpglot("queue", "--lang", "lt", "--format", "markdown", cwd=sample).stdout
    cut = helpglot("queue", "--lang", "lt", "--format", "markdown", "--max-chars", "6000",
                   "--more", "See the artifact.", cwd=sample).stdout
    assert len(full) > 6000 >= len(cut)
    head, _, tail = cut.partition("\n**")
    assert full.startswith(head.rstrip("\n")) and "more article(s) await review" in tail
    assert tail.rstrip().endswith("See the artifact.")
    assert head.count("```") % 2 == 0  # no fence left open
    left_out = [name for name in re.findall(r"`(translations/lt/[^`]+)`", tail)]
    assert left_out and all(f"`{name}`" in full for name in left_out)
