"""README's "Agencies and CAT tools" commands, run as written on a copy of the sample: a new user
exports the Spanish stale blocks, an agency translates them in a CAT tool (translate-toolkit stands
in for it), the import approves them, an agency TMX seeds the memory, and the queue shows a fuzzy
suggestion from it."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from lxml import etree

from conftest import BIN, ROOT, edit, git_run

ARTICLE = "account-and-billing/close-your-account.md"


def commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Agencies and CAT tools", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README lost the agency walk-through"
    lines = [re.split(r"\s+#", line, maxsplit=1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def paragraph(root: Path, rel: str, skip: int = 0):  # noqa: ANN201
    from helpglot.markdown.segment import parse_file

    found = [b for b in parse_file(str(root / "docs" / rel)).blocks
             if b.kind == "paragraph" and not any(c in b.text for c in "`*[_") and len(b.text.split()) > 10]
    return found[skip]


def test_the_agency_walkthrough_in_the_readme_works(sample_git):
    root = sample_git
    lines = commands()
    assert [line.split()[:2] for line in lines] == [
        ["helpglot", "export"], ["helpglot", "import"], ["helpglot", "tm"], ["git", "add"],
        ["helpglot", "translate"], ["helpglot", "queue"]]
    # the English changed under a reviewed Spanish paragraph, and the change was drafted
    stale = paragraph(root, ARTICLE)
    edit(root / "docs" / ARTICLE, stale.text, stale.text.replace(" ", " really ", 1))
    git_run(root, "commit", "-qam", "English edit")
    subprocess.run([str(BIN / "helpglot"), "translate", "--lang", "es", f"docs/{ARTICLE}"], cwd=root, check=True,
                   capture_output=True)
    near = paragraph(root, ARTICLE, 1)
    outputs = []
    for line in lines:
        args = shlex.split(line)
        if args[:2] == ["helpglot", "import"]:  # the agency translates and approves the unit in its CAT tool
            from translate.storage import xliff

            path = root / args[2]
            store = xliff.xlifffile.parsefile(str(path))
            unit = next(u for u in store.units if u.source == stale.text.replace(" ", " really ", 1))
            unit.target = "Traducción de la agencia, revisada."
            unit.markapproved(True)
            path.write_bytes(bytes(store))
        if args[:3] == ["helpglot", "tm", "import"]:  # the agency's memory holds a near match of `near`
            from translate.storage import tmx

            memory = tmx.tmxfile(sourcelanguage="en", targetlanguage="es")
            memory.addtranslation(near.text.replace(" ", " very ", 1), "en", "Sugerencia de la memoria.", "es")
            (root / args[3]).write_bytes(bytes(memory))
        if args[:2] == ["helpglot", "translate"]:  # a writer edits `near`: its draft gets a suggestion
            edit(root / "docs" / ARTICLE, near.text, near.text.replace(" ", " quite ", 1))
        proc = subprocess.run(["bash", "-c", line], cwd=root, capture_output=True, text=True,
                              env={"PATH": f"{BIN}:/usr/bin:/bin",
                                   "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "W",
                                   "GIT_AUTHOR_EMAIL": "w@x", "GIT_COMMITTER_NAME": "W",
                                   "GIT_COMMITTER_EMAIL": "w@x", "HOME": str(root)})
        assert proc.returncode == 0, f"{line}\n{proc.stdout}\n{proc.stderr}"
        outputs.append(proc.stdout)
    export, imported, seeded, _add, _translate, queue = outputs
    assert "es-for-agency.xlf: 1 unit(s)" in export
    assert "approved by Agencia Traduce S.L." in imported
    text = (root / "translations" / "es" / ARTICLE).read_text(encoding="utf-8")
    assert "Traducción de la agencia, revisada." in text and "reviewer: Agencia Traduce S.L." in text
    assert "memory/es.tmx: 1 unit(s) read" in seeded
    assert etree.parse(str(root / "memory" / "es.tmx")).getroot().find("body/tu") is not None
    assert re.search(r"memory \d\d%: Sugerencia de la memoria\.", queue), queue
