"""`helpglot translate` with the real deepl client against the fake DeepL server:
glossary once, limits kept, tag-dropping drafts left for a person, clean stops,
reruns that send only what never came back, and a SIGKILL mid-run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import deepl
import pytest
from click.testing import CliRunner

from conftest import BIN, copy_sample
from fake_deepl import FakeDeepL
from helpglot.cli import main
from helpglot.markdown.segment import parse_file

KEY = "0f8fad5b-d9cb-469f-a165-70867728950e:fx"


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 1)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_MAX", 0.05)
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)


@pytest.fixture
def fake():
    with FakeDeepL(auth_key=KEY) as server:
        yield server


def project(tmp_path: Path, fake: FakeDeepL, drop_es: bool = True) -> Path:
    root = copy_sample(tmp_path)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("es: {formality: prefer_less, engine: apertium}", "es: {formality: prefer_less}")
    config = config.replace("      defaults:\n", f"      engines:\n        deepl: {{server_url: '{fake.url}'}}\n"
                            "      defaults:\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    if drop_es:  # every Spanish article goes through the fake DeepL again
        for path in (root / "translations" / "es").rglob("*.md"):
            path.unlink()
    return root


def run(root: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["translate", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result


def missing_es(root: Path) -> list[str]:
    docs = root / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                  if not (root / "translations" / "es" / p.relative_to(docs)).exists())


def test_drafts_through_deepl_with_glossary_formality_context_and_limits(tmp_path, fake):
    root = project(tmp_path, fake)
    todo = missing_es(root)
    result = run(root, "--lang", "es", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {Path(r["path"]).name for r in records} == {Path(p).name for p in todo}
    calls = fake.calls("translate")
    assert len(calls) == len(todo), "one request per article"
    assert all(len(c.texts) <= 50 and c.body_bytes <= 128 * 1024 for c in calls)
    assert {c.formality for c in calls} == {"prefer_less"}
    assert {c.tag_handling for c in calls} == {"xml"} and {c.tag_handling_version for c in calls} == {"v2"}
    titles = {c.context for c in calls}
    assert "Connect Stripe" in titles
    assert len({c.glossary_id for c in calls}) == 1 and None not in {c.glossary_id for c in calls}
    assert len(fake.glossaries) == 1, "glossary created once"
    stripe = (root / "translations" / "es" / "integrations" / "connect-stripe.md").read_text(encoding="utf-8")
    source = (root / "docs" / "integrations" / "connect-stripe.md").read_text(encoding="utf-8")
    assert "[ES]" in stripe
    for target in re.findall(r"\]\(([^)]+)\)", source) + re.findall(r"`[^`]+`", source):
        assert target in stripe, target
    assert "FACTURA" in stripe and "INVOICE " not in stripe, "the glossary reached DeepL"
    # markup survives on every drafted article: code, URLs, link/image targets, HTML, ids
    from test_sync import opaque

    for rel in todo:
        drafted = parse_file(str(root / "translations" / "es" / rel)).blocks
        source_blocks = parse_file(str(root / "docs" / rel)).blocks
        assert [b.signature for b in drafted] == [b.signature for b in source_blocks], rel
        for s_block, t_block in zip(source_blocks, drafted, strict=True):
            assert opaque(s_block.text) == opaque(t_block.text), (rel, s_block.text)
    # a second run has nothing to do and reuses the glossary
    again = run(root, "--lang", "es", "--json")
    assert again.exit_code == 0 and len(fake.calls("translate")) == len(todo)


def test_a_draft_that_drops_a_tag_is_not_written_but_reported(tmp_path, fake):
    root = project(tmp_path, fake, drop_es=False)
    source = root / "docs" / "integrations" / "api-quickstart.md"
    text = source.read_text(encoding="utf-8")
    block = next(b for b in parse_file(str(source)).blocks if "`" in b.text and b.kind == "paragraph")
    source.write_text(text.replace(block.text, block.text + " See `tally --help`.", 1), encoding="utf-8")
    target = root / "translations" / "es" / "integrations" / "api-quickstart.md"
    before = target.read_text(encoding="utf-8")
    fake.drop_tags = True
    result = run(root, "--lang", "es", "docs/integrations/api-quickstart.md")
    assert result.exit_code == 1
    assert "lost or invented markup" in result.output and "left for a person" in result.output
    after = target.read_text(encoding="utf-8")
    assert after == before, "the block stays as it was: still stale, nothing broken"


def test_quota_stop_then_rerun_sends_only_the_rest(tmp_path, fake):
    root = project(tmp_path, fake)
    todo = missing_es(root)
    fake.quota = 9000
    first = run(root, "--lang", "es")
    assert first.exit_code == 1
    assert "quota" in first.output.lower() and "rerun" in first.output.lower()
    done_first = [p for p in todo if (root / "translations" / "es" / p).exists()]
    assert 0 < len(done_first) < len(todo)
    sent_first = [t for c in fake.calls("translate") if c.status == 200 for t in c.texts]
    fake.quota = None
    second = run(root, "--lang", "es")
    assert second.exit_code == 0, second.output
    sent_second = [t for c in fake.calls("translate") if c.status == 200 for t in c.texts][len(sent_first):]
    assert not set(sent_first) & set(sent_second), "nothing paid twice"
    assert not missing_es(root)


def test_rate_limited_then_recovers_transparently(tmp_path, fake):
    root = project(tmp_path, fake)
    fake.fail_next(429, count=1)
    result = run(root, "--lang", "es", "docs/integrations/connect-stripe.md")
    assert result.exit_code == 0, result.output
    statuses = [c.status for c in fake.calls("translate")]
    assert statuses[:2] == [429, 200]


def test_key_rejected_is_a_clean_stop_naming_the_fix(tmp_path, fake, monkeypatch):
    root = project(tmp_path, fake)
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-key:fx")
    result = run(root, "--lang", "es")
    assert result.exit_code == 1 and "DEEPL_AUTH_KEY" in result.output
    assert "wrong-key" not in result.output
    assert missing_es(root), "nothing written"


def test_sigkill_mid_run_leaves_whole_files_and_the_rerun_finishes(tmp_path, fake):
    root = project(tmp_path, fake)
    todo = missing_es(root)
    fake.delay = 0.4
    env = {**os.environ, "DEEPL_AUTH_KEY": KEY, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([str(BIN / "helpglot"), "translate", "--lang", "es"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while len([c for c in fake.calls("translate") if c.status == 200]) < 3 and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_calls = len(fake.calls("translate"))
    assert killed_calls < len(todo), "killed mid-run"
    for path in (root / "translations" / "es").rglob("*"):
        assert not path.name.endswith(".tmp"), "no temporary file left behind"
    for rel in todo:
        path = root / "translations" / "es" / rel
        if path.exists():  # whole and aligned, never half-written
            doc = parse_file(str(path))
            assert len(doc.blocks) == len(parse_file(str(root / "docs" / rel)).blocks)
    written_before = [p for p in todo if (root / "translations" / "es" / p).exists()]
    fake.delay = 0
    result = run(root, "--lang", "es", "--json")
    assert result.exit_code == 0, result.output
    assert not missing_es(root)
    records = json.loads(result.stdout)
    resent = sum(r["blocks_sent"] for r in records)
    cached = sum(r["blocks_cached"] for r in records)
    assert cached >= 1, "blocks that came back before the kill are not paid again"
    new_calls = fake.calls("translate")[killed_calls:]
    assert len(new_calls) <= len(todo) - len(written_before)
    assert resent == sum(len(c.texts) for c in new_calls)
    assert not re.search(r"\.tmp$", " ".join(p.name for p in (root / "translations").rglob("*")))


# -- faults after billing: nothing paid for is lost, nothing unsafe is written (issue 18, item 9) --------


def billed(fake: FakeDeepL) -> list[str]:
    return [t for c in fake.calls("translate") if c.status == 200 for t in c.texts]


def chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True)


STRIPE = "docs/integrations/connect-stripe.md"


def test_a_translation_write_that_fails_after_billing_loses_no_billed_text(tmp_path, fake):
    """The translations folder refuses every write (immutable, as a full disk would): the run reports
    each file; the rerun, with the folder writable, writes them all from the cache and bills nothing."""
    root = project(tmp_path, fake)
    todo = missing_es(root)
    folders = sorted({(root / "translations" / "es" / rel).parent for rel in todo})
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    chattr("+i", *folders)
    try:
        first = run(root, "--lang", "es")
    finally:
        chattr("-i", *folders)
    assert first.exit_code == 1 and "not written" in first.output, first.output
    assert missing_es(root) == todo
    paid = billed(fake)
    assert len(paid) >= len(todo)
    second = run(root, "--lang", "es", "--json")
    assert second.exit_code == 0, second.output
    assert billed(fake) == paid, "nothing billed twice"
    assert not missing_es(root)
    assert sum(r["blocks_cached"] for r in json.loads(second.stdout)) >= len(todo)


def test_a_cache_that_cannot_be_written_stops_the_run_after_one_request(tmp_path, fake):
    root = project(tmp_path, fake)
    cache = root / ".helpglot" / "cache.sqlite"
    run(root, "--lang", "es", "--dry-run")  # creates the (empty) cache
    assert cache.is_file()
    chattr("+i", cache)
    try:
        result = run(root, "--lang", "es")
    finally:
        chattr("-i", cache)
    assert result.exit_code == 1
    assert "could not save" in result.output and "stopped before sending more" in result.output, result.output
    assert "Traceback" not in result.output
    assert len(fake.calls("translate")) == 1, "no more text is paid for once the cache cannot keep it"


def test_a_damaged_cache_is_one_clear_error_and_nothing_is_sent(tmp_path, fake):
    root = project(tmp_path, fake)
    (root / ".helpglot").mkdir()
    (root / ".helpglot" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    result = run(root, "--lang", "es")
    assert result.exit_code != 0 and "translation cache cannot be opened" in result.output, result.output
    assert "move it aside" in result.output and "Traceback" not in result.output
    assert fake.requests == [] and missing_es(root)


def test_a_draft_that_lost_markup_is_cached_as_such_and_not_billed_again(tmp_path, fake):
    root = project(tmp_path, fake, drop_es=False)
    rel = "integrations/api-quickstart.md"
    source = root / "docs" / rel
    text = source.read_text(encoding="utf-8")
    block = next(b for b in parse_file(str(source)).blocks if "`" in b.text and b.kind == "paragraph")
    source.write_text(text.replace(block.text, block.text + " See `tally --help`.", 1), encoding="utf-8")
    target = root / "translations" / "es" / rel
    before = target.read_text(encoding="utf-8")
    fake.drop_tags = True
    first = run(root, "--lang", "es", f"docs/{rel}")
    assert first.exit_code == 1 and "lost or invented markup" in first.output
    paid = billed(fake)
    assert paid
    fake.drop_tags = False
    for _ in range(2):  # every CI run after it
        again = run(root, "--lang", "es", f"docs/{rel}")
        assert again.exit_code == 1 and "lost or invented markup" in again.output
        assert "left for a person" in again.output
    assert billed(fake) == paid, "the refused draft comes from the cache, it is not paid for again"
    assert target.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("payload, words", [
    (" &lt;script&gt;alert(1)&lt;/script&gt;", "<script>"),
    (" [GO](javascript:alert(document.cookie))", "javascript:"),
    (' &lt;img src=x onerror="alert(1)"&gt;', "onerror"),
    (' &lt;a href="JaVaScRiPt&amp;colon;alert(1)"&gt;x&lt;/a&gt;', "javascript"),
])
def test_engine_output_that_unescapes_to_script_is_not_written(tmp_path, fake, payload, words):
    """An engine (or whoever answers as it) returns entity-escaped HTML or Markdown link syntax: restored,
    it would be a real <script> or a javascript: link in a draft that may be published unreviewed."""
    root = project(tmp_path, fake)
    fake.output = lambda text: text + payload
    result = run(root, "--lang", "es", STRIPE)
    assert result.exit_code == 1, result.output
    assert "holds markup its source has not" in result.output and "left for a person" in result.output
    target = root / "translations" / "es" / "integrations" / "connect-stripe.md"
    written = target.read_text(encoding="utf-8").lower() if target.exists() else ""
    assert words.lower() not in written and "alert(" not in written
    paid = billed(fake)
    fake.output = None
    again = run(root, "--lang", "es", STRIPE)
    assert again.exit_code == 1 and billed(fake) == paid, "refused from the cache, not paid again"


def test_a_safe_draft_keeps_what_its_source_uses(tmp_path, fake):
    """The screen compares with the source: an article whose English has raw HTML is drafted as usual."""
    root = project(tmp_path, fake)
    (root / "docs" / "html.md").write_text('---\ntitle: Html\n---\n\nPress <kbd>Ctrl</kbd> and '
                                           '<span class="note">read this</span>.\n', encoding="utf-8")
    result = run(root, "--lang", "es", "docs/html.md")
    assert result.exit_code == 0, result.output
    drafted = (root / "translations" / "es" / "html.md").read_text(encoding="utf-8")
    assert '<span class="note">' in drafted and "<kbd>Ctrl</kbd>" in drafted


def test_a_slow_deepl_stops_translate_after_one_billed_request_and_the_rerun_continues(tmp_path, fake):
    root = project(tmp_path, fake)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"deepl: {{server_url: '{fake.url}'}}", f"deepl: {{server_url: '{fake.url}', timeout: 0.3}}"),
        encoding="utf-8")
    todo = missing_es(root)
    fake.translate_delay = 1.2
    first = run(root, "--lang", "es")
    time.sleep(1.3)  # the late answer
    assert first.exit_code == 1 and "Traceback" not in first.output
    stops = [line for line in first.output.splitlines() if line.startswith("stopped:")]
    assert len(stops) == 1 and "did not send it again" in stops[0], first.output
    calls = fake.calls("translate")
    # batches get a second more per KiB, so the larger ones came back; the first that timed out was the last
    assert len({tuple(c.texts) for c in calls}) == len(calls), "no batch sent twice (each one is billed)"
    assert 1 <= len(calls) < len(todo)
    assert 0.3 + calls[-1].body_bytes / 1024 < 1.2, "the one that timed out had a timeout shorter than the reply"
    fake.translate_delay = 0
    second = run(root, "--lang", "es")
    assert second.exit_code == 0, second.output
    again = fake.calls("translate")[len(calls):]
    assert not missing_es(root) and len(again) == len(todo) - (len(calls) - 1), "only what never came back"
