"""End to end, in a temporary git repository: a writer's change travels through
machine drafting, the review queue, a translator's edit and approval, to a
published page with no notice."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import copy_sample, helpglot, mkdocs
from helpglot.markdown.segment import parse_file

EDITED = "getting-started/create-your-account.md"
NEW = "troubleshooting/slow-sync.md"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Writer", "-c", "user.email=w@x", *args],
                          check=True, capture_output=True, text=True).stdout


def test_writer_to_translator_to_site(tmp_path):
    root = copy_sample(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample")
    # the writer edits one paragraph and adds one article
    source = root / "docs" / EDITED
    old = next(b for b in parse_file(str(source)).blocks if b.kind == "paragraph").text
    new = old.replace("about two minutes", "about three minutes") if "two minutes" in old else old + " Really."
    source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    (root / "docs" / NEW).write_text(
        "---\ntitle: Bank sync is slow\ndescription: What to do when transactions arrive late.\n---\n\n"
        "Banks send new transactions to Tallybird a few times a day, so a payment can take up to 24 hours "
        "to appear.\n\n## Check the last sync\n\n1. Go to **Banking**.\n1. Look at **Last synced**.\n",
        encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Writer: edit one paragraph, add slow-sync")
    # the bot drafts exactly those (lt publishes reviewed text only, so pseudo drafts are allowed)
    git(root, "checkout", "-qb", "l10n/lt")
    proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", "--json",
                    f"docs/{EDITED}", f"docs/{NEW}", cwd=root)
    drafted = {Path(r["path"]).as_posix(): r for r in json.loads(proc.stdout)}
    assert set(drafted) == {f"translations/lt/{EDITED}", f"translations/lt/{NEW}"}
    assert drafted[f"translations/lt/{EDITED}"]["blocks_sent"] == 1
    git(root, "add", "-A")
    git(root, "commit", "-qm", "l10n(lt): machine drafts")
    # the queue shows exactly them, with the old and the new English text
    queue = json.loads(helpglot("queue", "--lang", "lt", "--format", "json", cwd=root).stdout)
    assert [item["source"] for item in queue] == [NEW, EDITED]
    [changed] = [b for b in queue[1]["blocks"] if b.get("status") == "machine"]
    assert changed["before"] == old and changed["after"] == new
    # the translator rewrites the pseudo draft and approves
    target = root / "translations" / "lt" / EDITED
    draft = parse_file(str(target)).blocks[changed["block"] - 1].text
    lithuanian = ("Tallybird paskyros sukūrimas trunka apie tris minutes. Kiekvienai naujai paskyrai suteikiamas "
                  "nemokamas 14 dienų Team plano bandomasis laikotarpis, todėl prieš pasirinkdami planą galėsite "
                  "išbandyti visas funkcijas. Registruojantis kredito kortelės nereikia.")
    target.write_text(target.read_text(encoding="utf-8").replace(draft, lithuanian, 1), encoding="utf-8")
    helpglot("approve", "--reviewer", "Rūta Kazlauskienė", f"translations/lt/{EDITED}", f"translations/lt/{NEW}",
             cwd=root)
    states = {(r["source"], r["lang"]): r["state"]
              for r in json.loads(helpglot("status", "--json", "--lang", "lt", cwd=root, check=False).stdout)}
    assert states[(EDITED, "lt")] == "up-to-date" and states[(NEW, "lt")] == "up-to-date"
    # the site publishes both with no machine, stale or fallback notice
    mkdocs("build", "--site-dir", str(root / "site"), cwd=root)
    for rel in (EDITED, NEW):
        html = (root / "site" / "lt" / rel[: -len(".md")] / "index.html").read_text(encoding="utf-8")
        assert "data-helpglot-notice" not in html, rel
        assert '<html lang="lt"' in html
    assert "apie tris minutes" in (root / "site" / "lt" / EDITED[:-3] / "index.html").read_text(encoding="utf-8")


def test_approve_refuses_qa_errors_and_non_translations(tmp_path):
    root = copy_sample(tmp_path)
    source = root / "docs" / EDITED
    old = next(b for b in parse_file(str(source)).blocks if b.kind == "paragraph").text
    source.write_text(source.read_text(encoding="utf-8").replace(old, old + " See `tally sync`.", 1),
                      encoding="utf-8")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", f"docs/{EDITED}", cwd=root)
    target = root / "translations" / "lt" / EDITED
    text = target.read_text(encoding="utf-8")
    broken = text.replace("`tally sync`", "`tally synk`", 1)
    target.write_text(broken, encoding="utf-8")
    proc = helpglot("approve", "--reviewer", "R", f"translations/lt/{EDITED}", cwd=root, check=False)
    assert proc.returncode != 0 and "markup" in proc.stderr
    assert target.read_text(encoding="utf-8") == broken
    proc = helpglot("approve", "--reviewer", "R", f"docs/{EDITED}", cwd=root, check=False)
    assert proc.returncode != 0 and "not a translation" in proc.stderr
