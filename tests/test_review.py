"""The review queue and the pull-request body, in a real git repository made from the sample.

The story of one translation pull request: a writer edits one paragraph and adds an
article on main; the bot drafts Lithuanian on ``l10n/lt`` (pseudo engine: lt does not
publish machine drafts) and commits. The queue must then show the new article first and,
for the edited article, the English before and after and the draft.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_sample, edit, helpglot
from helpglot.cli.review import pr_body, queue
from helpglot.config import load_settings
from helpglot.markdown.segment import parse
from helpglot.review import queue as review

EDITED = "troubleshooting/cannot-sign-in.md"
NEW = "getting-started/import-customers.md"
OLD_TEXT = "If the reset email does not arrive within 10 minutes, check your spam folder."
NEW_TEXT = "If the reset email does not arrive within 15 minutes, check your spam and junk folders."
TAIL = " Some company email filters hold messages for several minutes before they deliver them."
NEW_ARTICLE = """---
title: Import customers
---

Import your customers from a CSV file.

## Prepare the file

The file needs a **Name** and an **Email** column.
"""


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=Helpglot Bot", "-c", "user.email=bot@example.com", *args],
                          cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("review"))
    (root / ".gitignore").write_text(".helpglot/\nsite/\n", encoding="utf-8")
    # previews hold unreviewed drafts: their own origin, never the published site's
    edit(root / "mkdocs.yml", "      translations_dir: translations\n",
         f"      translations_dir: translations\n      preview_url: {PREVIEWS}{{lang}}/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "help center")
    source = root / "docs" / EDITED
    text = source.read_text(encoding="utf-8")
    assert OLD_TEXT + TAIL in text
    source.write_text(text.replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
    (root / "docs" / NEW).write_text(NEW_ARTICLE, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Edit sign-in help, add import article")
    git(root, "checkout", "-q", "-b", "l10n/lt")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", f"docs/{EDITED}", f"docs/{NEW}", cwd=root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "l10n(lt): machine drafts")
    return root


PREVIEWS = "https://previews.tallybird.dev/"


def invoke(command, root: Path, *args: str, config: str = "mkdocs.yml"):
    return CliRunner().invoke(command, ["-f", str(root / config), *args])


def queue_json(root: Path, config: str = "mkdocs.yml") -> list[dict]:
    result = invoke(queue, root, "--lang", "lt", "--format", "json", config=config)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_queue_lists_the_new_article_first_then_the_changed_block_with_before_and_after(repo: Path):
    items = queue_json(repo)
    assert [(i["path"], i["kind"], i["priority"]) for i in items] == [
        (f"translations/lt/{NEW}", "new", 1),
        (f"translations/lt/{EDITED}", "changed", 2),
    ]
    new, changed = items
    assert len(new["blocks"]) == len(parse(NEW_ARTICLE).blocks)
    assert all(b["before"] is None and b["status"] == "new" for b in new["blocks"])
    (block,) = changed["blocks"]
    assert block["before"] == OLD_TEXT + TAIL
    assert block["after"] == NEW_TEXT + TAIL
    translation = parse((repo / "translations/lt" / EDITED).read_text(encoding="utf-8"))
    drafted = translation.blocks[block["block"] - 1]
    assert block["draft"] == drafted.text and block["line"] == drafted.line
    assert block["draft"].startswith("[Íf théé") and "15" in block["draft"]  # the pseudo draft, not Lithuanian
    assert block["findings"] == []


def test_markdown_and_text_show_old_and_new_english_and_the_draft(repo: Path):
    md = invoke(queue, repo, "--lang", "lt", "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert "### 1. `translations/lt/getting-started/import-customers.md`: new article" in md.output
    assert f"```diff\n- {OLD_TEXT + TAIL}\n+ {NEW_TEXT + TAIL}\n```" in md.output
    assert "> [Íf théé" in md.output
    text = invoke(queue, repo, "--lang", "lt")
    assert text.exit_code == 0, text.output
    assert f"before: {OLD_TEXT + TAIL}" in text.output and f"now:    {NEW_TEXT + TAIL}" in text.output
    assert text.output.index("import-customers.md") < text.output.index("cannot-sign-in.md")


def test_stale_block_before_the_sync_shows_the_reviewed_translation_and_its_findings(repo: Path, tmp_path: Path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(repo), str(clone)], check=True)
    (item,) = queue_json(clone)  # on main nothing is drafted yet: the new article is missing, not queued
    assert item["kind"] == "changed"
    (block,) = item["blocks"]
    assert block["status"] == "stale"
    assert (block["before"], block["after"]) == (OLD_TEXT + TAIL, NEW_TEXT + TAIL)
    assert block["draft"].startswith("Jei slaptažodžio")  # the reviewed Lithuanian, now out of date
    # 15 in the new English, 10 in the translation: the before/after diff shows it; QA judges the
    # translation against the English it was made from, so staleness is no finding (issue 19, 1)
    assert block["findings"] == []


def test_without_git_history_the_previous_text_is_not_available(repo: Path, tmp_path: Path):
    bare = tmp_path / "no-git"
    shutil.copytree(repo, bare, ignore=shutil.ignore_patterns(".git"))
    items = queue_json(bare)
    changed = next(i for i in items if i["source"] == EDITED)
    # provenance itself says the block was re-drafted and keeps the reviewed translation it replaced;
    # only the old English lives in git history alone
    assert changed["kind"] == "changed"
    (block,) = changed["blocks"]
    assert block["before"] is None and block["before_note"] == "unavailable"
    assert block["previous"] and block["previous"] != block["draft"] and block["in_file"] == "draft"
    md = invoke(queue, bare, "--lang", "lt", "--format", "markdown")
    assert "- (previous text not available)" in md.output


def test_pr_body_has_checklist_preview_links_qa_and_approve_instructions(repo: Path):
    result = invoke(pr_body, repo, "--lang", "lt")
    assert result.exit_code == 0, result.output
    body = result.output
    assert ("- [`getting-started/import-customers.md`]"
            "(https://previews.tallybird.dev/lt/lt/getting-started/import-customers/)") in body
    assert ("- [`troubleshooting/cannot-sign-in.md`]"
            "(https://previews.tallybird.dev/lt/lt/troubleshooting/cannot-sign-in/)") in body
    assert "0 error(s), 0 warning(s)" in body and 'artifact "previews"' not in body  # linked above instead
    assert "helpglot approve translations/lt/getting-started/import-customers.md" in body
    assert "helpglot approve translations/lt/troubleshooting/cannot-sign-in.md" in body
    # approving in the browser is explained, with the per-article review command (issue 19, 7)
    assert '"Approve"' in body and "/approve translations/lt/troubleshooting/cannot-sign-in.md" in body
    assert "@ruta-kazlauskiene" in body


def test_previews_are_never_linked_on_the_published_sites_origin(repo: Path):
    """Unset, a pull request links no preview (the deploy run's 'previews' artifact has them); set on
    the production origin, the setting is refused: drafts there could run script next to readers."""
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "unset.mkdocs.yml").write_text(config.replace(f"      preview_url: {PREVIEWS}{{lang}}/\n", ""),
                                           encoding="utf-8")
    body = invoke(pr_body, repo, "--lang", "lt", config="unset.mkdocs.yml").output
    assert f"- `{NEW}`: " in body and "](http" not in body
    assert 'the artifact "previews" of the latest `deploy` workflow run (folder `lt/`)' in body
    for url in ("https://help.tallybird.com/preview/{lang}/", "https://HELP.tallybird.com:443/p/{lang}/",
                "javascript:alert(1)//{lang}"):
        (repo / "prod.mkdocs.yml").write_text(config.replace(f"{PREVIEWS}{{lang}}/", url), encoding="utf-8")
        result = invoke(pr_body, repo, "--lang", "lt", config="prod.mkdocs.yml")
        assert result.exit_code != 0, url
        assert "plugins.helpglot.preview_url" in str(result.exception) + result.output, url


def _config_with_template(root: Path, name: str, template: str) -> str:
    (root / name).write_text(template, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "      translations_dir: translations\n"
    assert marker in config
    custom = f"{name}.mkdocs.yml"
    (root / custom).write_text(config.replace(marker, marker + f"      pr_template: {name}\n"), encoding="utf-8")
    return custom


def test_a_custom_template_from_mkdocs_yml_is_used(repo: Path):
    config = _config_with_template(
        repo, "team.md.j2",
        "Team review for {{ lang }}\n{% for item in items %}* {{ item.source }} -> {{ item.preview }}\n{% endfor %}")
    result = invoke(pr_body, repo, "--lang", "lt", config=config)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Team review for lt\n"
        f"* {NEW} -> https://previews.tallybird.dev/lt/lt/getting-started/import-customers/\n"
        f"* {EDITED} -> https://previews.tallybird.dev/lt/lt/troubleshooting/cannot-sign-in/\n"
    )


@pytest.mark.parametrize(("template", "expected"), [
    ("Review\n{% for item in items %}\n{{ item.source }\n", "broken.md.j2:3: template error: unexpected '}'"),
    ("Review\n\n{{ items[0].no_such_key }}\n", "broken.md.j2:3: template error: UndefinedError"),
])
def test_a_broken_template_names_file_and_line(repo: Path, template: str, expected: str):
    config = _config_with_template(repo, "broken.md.j2", template)
    result = invoke(pr_body, repo, "--lang", "lt", config=config)
    assert result.exit_code == 2
    assert expected in result.output


def test_unknown_language_is_refused(repo: Path):
    result = invoke(queue, repo, "--lang", "xx")
    assert result.exit_code == 2 and "--lang xx" in result.output


def test_queue_priority_orders_by_nav_weight_or_path(repo: Path):
    settings = load_settings(str(repo / "mkdocs.yml"))
    heavy = parse("---\ntitle: A\nweight: 5\n---\n\nText.\n")
    light = parse("---\ntitle: B\nweight: 1\n---\n\nText.\n")
    none = parse("---\ntitle: C\n---\n\nText.\n")
    docs = {"index.md": heavy, "troubleshooting/index.md": light, "aaa.md": none}

    def order(priority: str) -> list[str]:
        chosen = dataclasses.replace(settings, queue_priority=priority)
        return sorted(docs, key=lambda rel: review._order_key(chosen, rel, docs[rel]))

    assert order("nav") == ["index.md", "troubleshooting/index.md", "aaa.md"]  # aaa.md is not in the nav
    assert order("weight") == ["troubleshooting/index.md", "index.md", "aaa.md"]
    assert order("path") == ["aaa.md", "index.md", "troubleshooting/index.md"]
