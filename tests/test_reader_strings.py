"""Reader strings in every language a site declares (issue 21): for Arabic and Japanese, which
helpglot ships no strings for, `helpglot translate` drafts them through the real deepl client
against the fake DeepL server (placeholders kept as tags), takes Material's human translations
where they exist, writes translations/<lang>/.helpglot-strings.yml for review; a real MkDocs
build then shows no English helpglot string on an Arabic page. Translators' edits survive
redrafts, approval clears `machine`, and a broken file is one clear error with nothing changed."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import SiteHandler, helpglot, mkdocs
from fake_deepl import FakeDeepL
from helpglot import messages
from helpglot.cli import main
from helpglot.site import materialstrings
from test_a11y import AXE, axe

KEY = "0f8fad5b-d9cb-469f-a165-70867728950e:fx"
MKDOCS = """\
site_name: Strings
site_url: https://strings.example/
theme:
  name: material
markdown_extensions: [admonition]
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {{locale: en, default: true, name: English}}
        - {{locale: ar, name: العربية}}
        - {{locale: ja, name: 日本語}}
        - {{locale: he, name: עברית}}
  - helpglot:
      engines:
        deepl: {{server_url: '{url}'}}
      defaults: {{engine: deepl, publish_machine: true}}
      contact_url: mailto:help@strings.example
"""
GUIDE = "---\ntitle: Guide\n---\n\n## Set up\n\nDo this first.\n\n!!! note\n    Keep your key safe.\n"


def cli(root: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".helpglot" not in p.parts and "site" not in p.parts}


def strings_file(root: Path, lang: str) -> Path:
    return root / "translations" / lang / ".helpglot-strings.yml"


def entries(root: Path, lang: str) -> dict[str, dict]:
    return yaml.safe_load(strings_file(root, lang).read_text(encoding="utf-8"))["strings"]


def make_project(root: Path, url: str) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS.format(url=url), encoding="utf-8")
    (root / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    (root / "docs" / "guide.md").write_text(GUIDE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory):
    """One project drafted once through the fake DeepL and built once with the real mkdocs."""
    saved = os.environ.get("DEEPL_AUTH_KEY")
    os.environ["DEEPL_AUTH_KEY"] = KEY
    with FakeDeepL(auth_key=KEY) as fake:
        root = make_project(tmp_path_factory.mktemp("strings"), fake.url)
        plan = cli(root, "translate", "--lang", "ar", "--dry-run", "--json")
        assert plan.exit_code == 0, plan.output
        [record] = [r for r in json.loads(plan.stdout) if r["path"].endswith(".helpglot-strings.yml")]
        assert (record["path"], record["blocks_sent"], record["blocks_reused"], record["written"]) == (
            "translations/ar/.helpglot-strings.yml", len(messages.shipped()["en"]) - 3, 2, False)
        assert not fake.calls("translate") and not strings_file(root, "ar").exists()
        result = cli(root, "translate", "--lang", "ar", "--lang", "ja")  # he: never drafted
        assert result.exit_code == 0, result.output
        first = list(fake.requests)
        drafted = {lang: strings_file(root, lang).read_bytes() for lang in ("ar", "ja")}
        again = cli(root, "translate", "--lang", "ar", "--lang", "ja")
        assert again.exit_code == 0, again.output
        assert drafted == {lang: strings_file(root, lang).read_bytes() for lang in ("ar", "ja")}
        yield root, fake, first, again
    if saved is None:
        os.environ.pop("DEEPL_AUTH_KEY", None)
    else:
        os.environ["DEEPL_AUTH_KEY"] = saved


@pytest.fixture(scope="module")
def built(drafted) -> Path:
    root = drafted[0]
    done = mkdocs("build", cwd=root)
    warned = [line for line in done.stderr.splitlines() if "no reader strings" in line]
    keys = len(messages.shipped()["en"]) - 3  # all but date_format and Material's two
    assert len(warned) == 1 and f"in 'he' for {keys} keys" in warned[0], done.stderr  # not for ar or ja
    assert "Run `helpglot translate --lang he`" in warned[0] and "translations/he/.helpglot-strings.yml" in warned[0]
    return root / "site"


def test_drafts_every_string_through_the_engine_with_placeholders_as_tags(drafted):
    root, fake, first, _again = drafted
    english = messages.shipped()["en"]
    for lang in ("ar", "ja"):
        found = entries(root, lang)
        human = materialstrings.for_language(lang)
        assert set(human) == {"skip", "updated"}
        for key, text in human.items():
            assert found[key] == {"text": text, "status": "material", "en": english[key]}
        machine = {k: v for k, v in found.items() if v["status"] == "machine"}
        assert set(machine) == set(english) - set(human) - {"date_format"}
        assert found["stale_part"]["text"].startswith(f"[{lang.upper()}] PARAGRAPHS THAT MAY BE OUT OF DATE")
        for key, entry in machine.items():  # every placeholder came back, exactly
            assert sorted(re.findall(r"\{\w+\}", entry["text"])) == sorted(re.findall(r"\{\w+\}", english[key]))
            assert entry["engine"] == "deepl" and entry["en"] == english[key]
    sent = [text for call in first if call.endpoint == "translate" for text in call.texts]
    assert '<x id="1"/> of <x id="2"/>' in next(t for t in sent if t.startswith("Paragraphs translated"))
    assert not any("{" in text for text in sent), "a placeholder was sent as words"
    assert not any("Skip to content" in text for text in sent), "Material's human text was drafted anyway"


def test_a_rerun_sends_nothing_and_changes_nothing(drafted):
    root, fake, first, again = drafted
    assert len([r for r in fake.requests if r.endpoint == "translate"]) == \
        len([r for r in first if r.endpoint == "translate"])
    assert "Nothing to translate" in again.output, again.output


def test_an_arabic_page_has_no_english_helpglot_string(built):
    page = (built / "ar" / "guide" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\bdir="rtl"', page) and 'data-helpglot-strings="machine"' in page
    ar = yaml.safe_load(strings_file(built.parent, "ar").read_text(encoding="utf-8"))["strings"]
    assert ar["skip"]["text"] in page  # Material's Arabic skip link
    for key in ("admonition_note", "machine_title", "machine_text", "original_link", "feedback_question",
                "contact_title", "made_with"):
        assert ar[key]["text"].split("{")[0] in page, key
    for key, value in messages.shipped()["en"].items():
        for piece in re.split(r"\{\w+\}", value):
            if key != "date_format" and len(piece.split()) >= 2:
                assert piece.strip() not in page, f"English '{key}' on the Arabic page"
    english = (built / "guide" / "index.html").read_text(encoding="utf-8")  # the check can fail: English has them
    assert "Was this article helpful?" in english and "Skip to content" in english


def test_translator_edits_survive_english_changes_mark_stale_and_approve_clears_machine(drafted, tmp_path):
    root, fake, _first, _again = drafted
    path = strings_file(root, "ar")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["strings"]["feedback_yes"]["text"] = "نعم"  # a translator's correction, not approved yet
    data["strings"]["skip"]["text"] = "تخطَّ إلى المحتوى"  # a translator's better word than Material's
    data["strings"]["feedback_no"]["en"] = "Nope"  # untouched machine draft of English that changed since
    data["strings"]["contact_link"].update(status="reviewed", text="اتصل بالدعم", en="Contact us")  # reviewed
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli(root, "translate", "--lang", "ar")
    assert result.exit_code == 0, result.output
    now = entries(root, "ar")
    assert now["feedback_yes"]["text"] == "نعم" and now["feedback_yes"]["status"] == "machine"
    assert now["skip"]["text"] == "تخطَّ إلى المحتوى"
    assert now["feedback_no"]["en"] == "No" and now["feedback_no"]["text"] == "[AR] NO"
    assert now["contact_link"]["text"] == "اتصل بالدعم" and now["contact_link"]["en"] == "Contact us"
    assert now["contact_link"]["new_en"] == "Contact support"
    assert now["contact_link"]["draft"] == "[AR] CONTACT SUPPORT"
    from helpglot.config import load_settings
    from helpglot.site import ownstrings

    strings, warnings = ownstrings.for_build(load_settings(str(root / "mkdocs.yml")), "ar", None)
    assert "feedback_yes" not in strings.machine and "feedback_no" in strings.machine and not warnings
    result = cli(root, "approve", "--reviewer", "amira", str(path))
    assert result.exit_code == 0, result.output
    approved = entries(root, "ar")
    assert {e["status"] for e in approved.values()} == {"reviewed", "material"}
    assert approved["skip"]["status"] == "reviewed" and approved["updated"]["status"] == "material"
    contact = approved["contact_link"]
    assert (contact["text"], contact["en"], contact["reviewer"]) == ("اتصل بالدعم", "Contact support", "amira")
    assert "new_en" not in contact and "draft" not in contact and "drafted" not in contact


@pytest.mark.parametrize("bad, where", [
    ("  stale_text:\n    text: تم التحديث\n    status: machine\n    en: 'The English article was updated on {date}; "
     "this translation may be out of date.'\n", ":4: strings.stale_text.text lost {date}"),
    ("  skip:\n    text: '<script>alert(1)</script>'\n    status: reviewed\n    en: Skip to content\n",
     ":4: strings.skip.text contains '<'"),
    ("  skip: [unclosed\n", ":4: not valid YAML"),
    ("  skip:\n    text: '{evil} x'\n    status: reviewed\n    en: '{evil} Skip'\n",
     ":4: strings.skip.text has {evil}, which helpglot never fills in"),
    ("  no_such_key:\n    text: x\n    status: machine\n    en: x\n", ":3: strings.no_such_key: unknown reader-string"),
    ("  skip:\n    text: x\n    status: approved\n    en: Skip to content\n", ":5: strings.skip.status: 'approved'"),
])
def test_a_broken_strings_file_is_one_error_naming_its_line_and_nothing_changes(tmp_path, monkeypatch, bad, where):
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)  # nothing may reach the (closed) server: the file is read first
    root = make_project(tmp_path, "http://127.0.0.1:9")
    folder = root / "translations" / "ja"
    folder.mkdir(parents=True)
    (folder / ".helpglot-strings.yml").write_text("# reviewed\nstrings:\n" + bad, encoding="utf-8")
    before = snapshot(root)
    commands = [("approve", "--reviewer", "x", "translations/ja/.helpglot-strings.yml")]
    if "unknown reader-string" not in where:  # (translate and the build skip a key helpglot dropped)
        commands.append(("translate", "--lang", "ja"))
    for args in commands:
        result = cli(root, *args)
        assert result.exit_code != 0
        assert "translations/ja/.helpglot-strings.yml" + where in result.output, result.output
        assert snapshot(root) == before
    found = json.loads(cli(root, "check", "--lang", "ja", "--format", "json").output)
    assert [(f["check"], f["severity"], f["path"]) for f in found] == [
        ("reader-strings", "error", "translations/ja/.helpglot-strings.yml")]
    line, text = where[1:].split(": ", 1)
    assert found[0]["line"] == int(line.strip(":")) and found[0]["message"].startswith(text), found


def test_a_draft_that_loses_a_placeholder_stays_english_and_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    with FakeDeepL(auth_key=KEY, drop_tags=True) as fake:
        root = make_project(tmp_path, fake.url)
        result = cli(root, "translate", "--lang", "ja")
    assert result.exit_code == 1
    assert "the draft of 'stale_part' the engine lost or repeated a placeholder" in result.output
    found = entries(root, "ja")
    assert "stale_part" not in found and found["machine_title"]["status"] == "machine"


def test_a_language_never_drafted_shows_materials_strings_and_tags_the_english_left(built):
    page = (built / "he" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\bdir="rtl"', page) and 'data-helpglot-strings="english"' in page
    assert materialstrings.for_language("he")["skip"] in page  # Material's Hebrew skip link, no draft needed
    assert '<span lang="en" dir="ltr">Still need help?</span>' in page
    assert '<span lang="en" dir="ltr">Contact support</span>' in page
    assert "Skip to content" not in page
    assert re.search(r'<span lang="en" dir="ltr">\s*Made with <a [^>]*>Material for MkDocs</a>\s*</span>', page)


def test_the_status_page_counts_each_languages_reader_strings(built):
    page = (built / "helpglot-status" / "index.html").read_text(encoding="utf-8")
    machine = len(messages.shipped()["en"]) - 3
    rows = dict(re.findall(r'<tr data-strings="(\w+)">(.*?)</tr>', page))
    assert set(rows) == {"ar", "ja", "he"}
    cells = {lang: re.findall(r"<td>(\d+)</td>", row) for lang, row in rows.items()}
    assert cells["ja"] == [str(machine), "0", "0", "2", "0"]  # machine, stale, reviewed, Material, English
    assert cells["he"] == ["0", "0", "0", "0", str(machine)]


def test_an_incremental_build_renders_a_language_again_when_its_strings_change(drafted, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(drafted[0], root, ignore=shutil.ignore_patterns("site", ".helpglot"))
    helpglot("build", "--jobs", "1", cwd=root)
    path = strings_file(root, "ja")
    path.write_text(path.read_text(encoding="utf-8").replace("[JA] STILL NEED HELP?", "お困りですか？"),
                    encoding="utf-8")
    again = helpglot("build", "--jobs", "1", "-v", cwd=root)
    counts = dict(re.findall(r"'(\w+)': (\d+ pages reused, \d+ rendered)", again.stderr))
    assert counts["ja"] == "0 pages reused, 2 rendered", counts
    # Arabic's inputs did not change: not built at all (its pages kept), or every page reused
    assert ("ar: unchanged, not built" in again.stdout + again.stderr
            or counts.get("ar") == "2 pages reused, 0 rendered"), (counts, again.stdout)
    page = (root / "site" / "ja" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "お困りですか？" in page and "[JA] STILL NEED HELP?" not in page


LAYOUT = """() => {
  const box = e => e.getBoundingClientRect();
  const block = document.querySelector('.helpglot-block--machine');
  const label = block.querySelector('.helpglot-block-label');
  const style = getComputedStyle(block);
  const english = [...document.querySelectorAll('span[lang="en"][dir="ltr"]')];
  return {dir: document.documentElement.dir, overflow: document.documentElement.scrollWidth - innerWidth,
          rule: [parseFloat(style.borderRightWidth), parseFloat(style.borderLeftWidth)],
          labelAtStart: box(block).right - box(label).right < 40,
          english: english.map(e => getComputedStyle(e).direction)};
}"""


@pytest.mark.browser
def test_an_arabic_page_lays_out_right_to_left_on_a_phone(built: Path, page_factory):
    """Chromium at 390 px: the page is RTL, helpglot's block rule and label sit at the inline start
    (the right), nothing is wider than the screen, axe-core finds nothing; on the Hebrew page English
    strings run LTR."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} missing: run `npm ci --prefix tests/node` (scripts/test does)")
    handler = functools.partial(SiteHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page.goto(f"http://127.0.0.1:{httpd.server_port}/ar/guide/")
        found = page.evaluate(LAYOUT)
        assert found["dir"] == "rtl" and found["overflow"] <= 0, found
        assert found["rule"][0] > 0 and found["rule"][1] == 0 and found["labelAtStart"], found
        assert found["english"] == [], found  # nothing of helpglot's left in English
        assert axe(page) == []
        page.goto(f"http://127.0.0.1:{httpd.server_port}/he/index.html")
        english = page.evaluate("""() => [...document.querySelectorAll('span[lang="en"][dir="ltr"]')]
                                   .map(e => [e.textContent.trim(), getComputedStyle(e).direction])""")
        assert ["Still need help?", "ltr"] in english and all(d == "ltr" for _t, d in english), english
        assert axe(page) == []
    finally:
        httpd.shutdown()


def test_approve_seen_covers_only_the_strings_the_reviewed_commit_had(drafted, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(drafted[0], root, ignore=shutil.ignore_patterns("site", ".helpglot"))
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "drafts"]):
        subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **env})
    reviewed = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True,
                              text=True).stdout.strip()
    path = strings_file(root, "ja")
    path.write_text(path.read_text(encoding="utf-8").replace("[JA] RELATED ARTICLES", "関連記事"), encoding="utf-8")
    result = cli(root, "approve", "--reviewer", "kenji", "--seen", reviewed, "translations/ja/")
    assert result.exit_code == 0, result.output
    assert "1 changed after the reviewed commit stay unreviewed" in result.output
    after = entries(root, "ja")
    assert after["related"]["text"] == "関連記事" and after["related"]["status"] == "machine"  # nobody saw it
    assert after["contact_title"]["status"] == "reviewed" and after["contact_title"]["reviewer"] == "kenji"
    bad = cli(root, "approve", "--reviewer", "kenji", "--seen", "0123abc", str(path))
    assert bad.exit_code != 0 and "0123abc" in bad.output


def test_the_pull_request_body_asks_for_the_strings_review(drafted):
    body = cli(drafted[0], "pr-body", "--lang", "ja")
    assert body.exit_code == 0, body.output
    machine = len(messages.shipped()["en"]) - 3
    assert "### Reader strings" in body.output and f"{machine} machine draft(s)" in body.output
    assert "/approve translations/ja/.helpglot-strings.yml" in body.output
    assert "helpglot approve translations/ja/.helpglot-strings.yml" in body.output


def test_one_override_no_longer_silences_the_warning_for_the_rest():
    """A site that sets one `messages.he` key still hears about the others (the old warning went quiet)."""
    total = len(messages.shipped()["en"]) - 1  # all but date_format
    warning = messages.missing("he", "en", {"he": {"skip": "דלג"}})
    assert f"for {total - 1} keys" in warning and "skip" not in warning.split("(")[1].split(")")[0]
    full = {key: "x" for key in messages.shipped()["en"]}
    assert messages.missing("he", "en", {"he": full}) is None and messages.missing("es", "en", None) is None


def test_a_key_helpglot_no_longer_has_is_dropped_by_a_redraft(tmp_path):
    """After an upgrade that drops a key, translate rewrites the file without it (and the build
    ignores it) instead of stopping; check and approve name it (see the broken-file cases)."""
    from helpglot.drafting.readerstrings import plan
    from helpglot.tracking import readerstrings

    path = tmp_path / readerstrings.FILE_NAME
    path.write_text("strings:\n  gone_key:\n    text: x\n    status: reviewed\n    en: x\n"
                    "  related:\n    text: 関連記事\n    status: reviewed\n    en: Related articles\n",
                    encoding="utf-8")
    entries = readerstrings.load(path, "f.yml", strict=False)
    assert set(entries) == {"related"}
    kept, todo, _taken, _stale = plan(entries, {})
    assert kept["related"].text == "関連記事" and "related" not in todo and "gone_key" not in todo
