"""Per-language screenshots: a file under translations/<lang>/ replaces the English
one at the same path on that language's pages, and the ``screenshots`` check names
translated articles that still show English screenshots or English alt text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

from conftest import copy_sample, helpglot, mkdocs

TEAM = "assets/screenshots/team-page.svg"


def image_url(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    src = re.search(r'<img[^>]+src="([^"]+team-page\.svg)"', html).group(1)
    return urljoin(f"https://x/{page}/", src)


def test_a_language_gets_its_own_screenshot_and_the_others_the_english(site: Path):
    assert image_url(site, "es/getting-started/invite-your-team") == f"https://x/es/{TEAM}"
    assert "Invitar usuario" in (site / "es" / TEAM).read_text(encoding="utf-8")
    assert image_url(site, "ro/getting-started/invite-your-team") == f"https://x/{TEAM}"
    assert image_url(site, "getting-started/invite-your-team") == f"https://x/{TEAM}"
    assert "Invite user" in (site / TEAM).read_text(encoding="utf-8")
    assert not (site / "ro" / TEAM).exists()


def findings(root: Path, *args: str) -> list[dict]:
    proc = helpglot("check", "--format", "json", *args, cwd=root, check=False)
    data = json.loads(proc.stdout)
    items = data["findings"] if isinstance(data, dict) else data
    return [f for f in items if f["check"] == "screenshots"]


def test_check_names_english_screenshots_and_english_alt_text(tmp_path: Path):
    root = copy_sample(tmp_path)
    ro = root / "translations" / "ro" / "getting-started" / "create-your-account.md"
    text = ro.read_text(encoding="utf-8")
    ro.write_text(re.sub(r"!\[[^\]]*\]\(", "![The sign-up form with the Create account button highlighted](",
                         text, count=1), encoding="utf-8")
    found = findings(root, "--lang", "ro", "--lang", "es")
    by_path: dict[str, list[str]] = {}
    for f in found:
        by_path.setdefault(f["path"], []).append(f["message"])
    messages = by_path["translations/ro/getting-started/create-your-account.md"]
    assert any("docs/assets/screenshots/signup-form.svg" in m
               and "translations/ro/assets/screenshots/signup-form.svg" in m for m in messages), messages
    assert any("alt text" in m and "still in English" in m for m in messages), messages
    assert "translations/es/getting-started/invite-your-team.md" not in by_path, "es has its own team screenshot"
    assert "translations/ro/getting-started/invite-your-team.md" in by_path
    assert all(f["severity"] == "warning" for f in found)


def test_an_asset_with_no_english_original_is_not_published(mini, tmp_path: Path):
    mini("docs/assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    mini("translations/es/assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>es</title></svg>")
    mini("translations/es/assets/extra.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = tmp_path / "out"
    proc = mkdocs("build", "--site-dir", str(out), cwd=mini.root)
    assert "translations/es/assets/extra.svg: there is no docs/assets/extra.svg" in proc.stderr
    assert not (out / "es" / "assets" / "extra.svg").exists()
    assert "<title>es</title>" in (out / "es" / "assets" / "logo.svg").read_text(encoding="utf-8")


def test_status_page_lists_articles_still_showing_english_screenshots(site: Path):
    status = (site / "helpglot-status" / "index.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<details class="section" data-screenshots="([a-z]+)">(.*?)</details>', status, re.S))
    assert set(sections) == {"es", "ro", "tr", "ru", "lt"}
    assert "invite-your-team" not in sections["es"], "es has its own Team page screenshot"
    assert 'href="../ro/getting-started/invite-your-team/">Invite your team</a>: <code>' + TEAM in sections["ro"]


def _screenshots(site: Path, lang: str) -> str:
    status = (site / "helpglot-status" / "index.html").read_text(encoding="utf-8")
    return dict(re.findall(r'<details class="section" data-screenshots="([a-z]+)">(.*?)</details>',
                           status, re.S)).get(lang, "")


def test_the_status_pages_screenshots_follow_an_edit_between_builds(tmp_path: Path):
    """Each translation's images are kept per file by its stat (.helpglot/file-facts.json), not
    read again by every build: a translation that drops its English screenshot, and one that
    starts showing one, change the next build's status page."""
    import os
    import time

    root = copy_sample(tmp_path)
    out = tmp_path / "out"
    helpglot("build", "--site-dir", str(out), cwd=root)
    assert "invite-your-team" in _screenshots(out, "ro")
    assert "create-your-account" in _screenshots(out, "ro")  # (the signup form, still English)
    ro = root / "translations/ro/getting-started/invite-your-team.md"
    ro.write_text(re.sub(r"!\[[^\]]*\]\([^)]*team-page\.svg\)", "", ro.read_text(encoding="utf-8")),
                  encoding="utf-8")
    es = root / "translations/es/getting-started/send-your-first-invoice.md"
    es.write_text(es.read_text(encoding="utf-8") + "\n![Equipo](../assets/screenshots/signup-form.svg)\n",
                  encoding="utf-8")
    past = time.time() - 10  # (settled: a file saved in the last two seconds is never cached)
    for path in (ro, es):
        os.utime(path, (past, past))
    helpglot("build", "--site-dir", str(out), cwd=root)
    assert "invite-your-team" not in _screenshots(out, "ro")
    assert "create-your-account" in _screenshots(out, "ro")
    assert "send-your-first-invoice" in _screenshots(out, "es")
    facts = json.loads((root / ".helpglot" / "file-facts.json").read_text(encoding="utf-8"))["facts"]
    assert any(key.startswith("images\0") for key in facts)  # (kept, so the build above read it there)
