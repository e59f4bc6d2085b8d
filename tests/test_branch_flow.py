"""The translation branch on real git: a bare repository as ``origin`` that refuses every
non-fast-forward push, a writer's clone, a translator's clone and the workflow's clone
(which runs exactly what translate.yml runs: ``helpglot sync-branch``). Writers keep
pushing while the translator works; no line the translator wrote is ever lost, no push is
ever forced, and GitHub's merge button (a plain ``git merge`` with no merge driver) merges
the pull request without conflicts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_sample, helpglot
from helpglot.markdown.segment import parse_file

ARTICLE = "getting-started/create-your-account.md"
LT = f"translations/lt/{ARTICLE}"
ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
       "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

# what the translator writes (careful Lithuanian, not pseudo text)
P1_LT = ("Tallybird paskyros sukūrimas trunka apie tris minutes. Kiekvienai naujai paskyrai suteikiamas "
         "nemokamas 14 dienų Team plano bandomasis laikotarpis, todėl prieš pasirinkdami planą galėsite "
         "išbandyti visas funkcijas. Registruojantis kredito kortelės nereikia.")
P2_LT = "Pasiruoškite šią informaciją iš anksto:"


def git(root: Path, *args: str, check: bool = True, who: str = "Writer") -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", "-C", str(root), "-c", f"user.name={who}", "-c", f"user.email={who}@x",
                           *args], capture_output=True, text=True, env={**os.environ, **ENV})
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def hg(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return helpglot(*args, cwd=root, check=check, env=ENV)


def block_text(path: Path, index: int) -> str:
    return parse_file(str(path)).blocks[index].text


def replace_block(path: Path, index: int, new: str) -> None:
    old = block_text(path, index)
    text = path.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4)  # never the copy kept in provenance
    assert text.count(old, body) == 1
    path.write_text(text[:body] + text[body:].replace(old, new), encoding="utf-8")


def remote_head(origin: Path) -> str:
    return git(origin, "rev-parse", "refs/heads/l10n/lt").stdout.strip()


def remote(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """A bare origin refusing forced pushes and deletions, and the writer's, translator's and
    workflow's clones of it."""
    (tmp_path / "seed").mkdir()
    seed = copy_sample(tmp_path / "seed")
    (seed / ".gitattributes").write_text("translations/**/*.md merge=helpglot\n", encoding="utf-8")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "sample")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    git(origin, "config", "receive.denyNonFastForwards", "true")  # a forced push would fail loudly
    git(origin, "config", "receive.denyDeletes", "true")
    clones = {}
    for name in ("writer", "translator", "bot"):
        git(tmp_path, "clone", "-q", str(origin), name)
        clones[name] = tmp_path / name
        git(clones[name], "config", "user.name", name)
        git(clones[name], "config", "user.email", f"{name}@x")
    return origin, clones


def test_translator_work_survives_writer_pushes_and_merges_without_force(tmp_path: Path):
    origin, clones = remote(tmp_path)
    writer, translator, bot = clones["writer"], clones["translator"], clones["bot"]
    heads: list[str] = []

    def writer_edits(index: int, old: str, new: str, message: str) -> None:
        git(writer, "pull", "-q", "--no-rebase", "origin", "main")
        path = writer / "docs" / ARTICLE
        text = block_text(path, index)
        assert old in text
        path.write_text(path.read_text(encoding="utf-8").replace(text, text.replace(old, new), 1),
                        encoding="utf-8")
        git(writer, "commit", "-qam", message)

    def workflow_sync() -> None:
        proc = hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo")
        assert "pushed (no force)" in proc.stdout, proc.stdout
        heads.append(remote_head(origin))

    # 1. the writer rewords paragraph 3; the workflow drafts it on a new l10n/lt
    writer_edits(2, "about two minutes", "about three minutes", "Sign-up takes three minutes now")
    git(writer, "push", "-q", "origin", "main")
    workflow_sync()

    # 2. the translator fixes the draft in the browser-equivalent (a commit on l10n/lt) and approves
    hg(translator, "git-setup")
    git(translator, "fetch", "-q")
    git(translator, "checkout", "-q", "-b", "l10n/lt", "origin/l10n/lt")
    target = translator / LT
    replace_block(target, 2, P1_LT)
    hg(translator, "approve", "--reviewer", "Rūta Kazlauskienė", LT)
    git(translator, "commit", "-qam", "lt: sign-up paragraph", who="Ruta")
    git(translator, "push", "-q", "origin", "l10n/lt")
    heads.append(remote_head(origin))

    # 3. the writer changes another paragraph; the workflow merges main in and drafts it
    writer_edits(4, "Have the following details ready:", "Have these details ready before you start:",
                 "Shorter lead-in")
    git(writer, "push", "-q", "origin", "main")
    workflow_sync()
    git(translator, "pull", "-q", "--no-rebase", "origin", "l10n/lt", who="Ruta")
    assert P1_LT in target.read_text(encoding="utf-8")
    assert block_text(target, 4).startswith("[")  # the pseudo draft of the new lead-in, to fix

    # 4. the writer fixes a typo elsewhere and acknowledges it for every language: main now changes
    #    the same translation's bookkeeping (fingerprint, synced) that l10n/lt changed
    writer_edits(6, "Your business name as it should appear on invoices.",
                 "Your business name, as it should appear on invoices.", "Comma")
    n = 7
    hg(writer, "ack", "--block", str(n), f"docs/{ARTICLE}")
    git(writer, "commit", "-qam", "ack comma")
    git(writer, "push", "-q", "origin", "main")
    #    meanwhile the translator, not knowing, fixes the second draft and approves it
    replace_block(target, 4, P2_LT)
    hg(translator, "approve", "--reviewer", "Rūta Kazlauskienė", LT)
    git(translator, "commit", "-qam", "lt: lead-in", who="Ruta")
    workflow_sync()  # merges main (with the ack) into l10n/lt: no conflict in bookkeeping
    refused = git(translator, "push", "-q", "origin", "l10n/lt", check=False)
    assert refused.returncode != 0  # the branch moved: the translator pulls, never forces
    pulled = git(translator, "pull", "--no-rebase", "--no-edit", "origin", "l10n/lt", check=False, who="Ruta")
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "CONFLICT" not in pulled.stdout
    git(translator, "push", "-q", "origin", "l10n/lt")
    heads.append(remote_head(origin))

    # nothing was ever forced: every head of l10n/lt descends from the one before
    for older, newer in zip(heads, heads[1:], strict=False):
        assert git(origin, "merge-base", "--is-ancestor", older, newer, check=False).returncode == 0

    # 5. GitHub's merge button: a plain merge (no helpglot driver configured) of the pull request
    button = tmp_path / "button"
    git(tmp_path, "clone", "-q", str(origin), "button")
    git(button, "merge", "--no-ff", "--no-edit", "origin/l10n/lt")  # raises on any conflict
    final = button / LT
    text = final.read_text(encoding="utf-8")
    assert P1_LT in text and P2_LT in text, "every line the translator wrote is on main"
    assert "<<<<<<<" not in text
    status = hg(button, "status", "--json", "--lang", "lt", f"docs/{ARTICLE}", check=False)
    assert '"state": "up-to-date"' in status.stdout, status.stdout


def test_skeleton_changes_and_a_rename_reach_an_open_translation_branch(tmp_path: Path):
    origin, clones = remote(tmp_path)
    writer, translator, bot = clones["writer"], clones["translator"], clones["bot"]
    # an open l10n/lt with the translator's unapproved work on it
    source = writer / "docs" / ARTICLE
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("about two minutes", "about three minutes", 1), encoding="utf-8")
    git(writer, "commit", "-qam", "three minutes")
    git(writer, "push", "-q", "origin", "main")
    assert "pushed (no force)" in hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo").stdout
    hg(translator, "git-setup")
    git(translator, "fetch", "-q")
    git(translator, "checkout", "-q", "-b", "l10n/lt", "origin/l10n/lt")
    replace_block(translator / LT, 2, P1_LT)
    git(translator, "commit", "-qam", "lt: sign-up paragraph (not approved yet)", who="Ruta")
    git(translator, "push", "-q", "origin", "l10n/lt")
    first = remote_head(origin)

    # the writer changes only a link target, then renames the article with helpglot mv
    git(writer, "pull", "-q", "--no-rebase", "origin", "main")
    readme = writer / "docs" / "getting-started" / "invite-your-team.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(
        "plans-and-pricing.md#compare-plans", "plans-and-pricing.md#plans-at-a-glance"), encoding="utf-8")
    git(writer, "commit", "-qam", "anchor renamed")
    hg(writer, "mv", ARTICLE, "getting-started/sign-up.md")
    git(writer, "commit", "-qam", "rename create-your-account to sign-up")
    git(writer, "push", "-q", "origin", "main")
    sync = hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo")
    assert "pushed (no force)" in sync.stdout
    assert git(origin, "merge-base", "--is-ancestor", first, remote_head(origin), check=False).returncode == 0

    git(translator, "pull", "-q", "--no-rebase", "origin", "l10n/lt", who="Ruta")
    moved = translator / "translations" / "lt" / "getting-started" / "sign-up.md"
    assert moved.is_file() and not (translator / LT).exists()
    assert P1_LT in moved.read_text(encoding="utf-8")  # the translator's line moved with the article
    assert "source: getting-started/sign-up.md" in moved.read_text(encoding="utf-8")
    # the link-target change reaches Spanish through its own branch, with no draft and no review
    es = (writer / "translations" / "es" / "getting-started" / "invite-your-team.md").read_text(encoding="utf-8")
    assert "plans-and-pricing.md#compare-plans" in es  # main's translations change only by merged PRs
    hg(bot, "sync-branch", "--lang", "es")  # Apertium is Spanish's engine; it is not called for this
    git(bot, "checkout", "-q", "l10n/es")
    es = (bot / "translations" / "es" / "getting-started" / "invite-your-team.md").read_text(encoding="utf-8")
    assert "plans-and-pricing.md#plans-at-a-glance" in es and "#compare-plans" not in es
    status = hg(bot, "status", "--json", "--lang", "es", "docs/getting-started/invite-your-team.md", check=False)
    assert '"state": "up-to-date"' in status.stdout


def test_the_pull_request_links_to_a_preview_that_holds_the_drafts(tmp_path: Path):
    origin, clones = remote(tmp_path)
    writer, bot = clones["writer"], clones["bot"]
    source = writer / "docs" / ARTICLE
    source.write_text(source.read_text(encoding="utf-8").replace("about two minutes", "about three minutes", 1),
                      encoding="utf-8")
    # the preview's own origin (never the published site's: config refuses that)
    config = writer / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      translations_dir: translations\n",
        "      translations_dir: translations\n      preview_url: https://previews.tallybird.dev/{lang}/\n"),
        encoding="utf-8")
    git(writer, "commit", "-qam", "three minutes")
    git(writer, "push", "-q", "origin", "main")
    hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo")
    draft = block_text(bot / LT, 2)  # the pseudo draft on l10n/lt
    # the pull request links each article to the branch's preview...
    body = hg(bot, "pr-body", "--lang", "lt").stdout
    link = f"https://previews.tallybird.dev/lt/lt/{ARTICLE[:-3]}/"
    assert link in body and "help.tallybird.com/preview" not in body
    # ...which deploy.yml builds over main's tree with the branch's translations as data, into its own
    # folder (the "previews" artifact), never into the production site
    deploy = tmp_path / "deploy"
    git(tmp_path, "clone", "-q", str(origin), "deploy")
    proc = previews(deploy, "previews")
    page = deploy / "previews" / "lt" / "lt" / ARTICLE[:-3] / "index.html"
    words = [w.strip("[]") for w in draft.split()[:4]]
    html = page.read_text(encoding="utf-8")
    assert all(w in html for w in words), words
    assert not (deploy / "previews" / "es").exists()  # only branches that exist
    assert not (deploy / "site").exists()
    assert git(deploy, "status", "--porcelain", "--untracked-files=no").stdout == ""  # main stays as it was

    # a second branch: the previews are built one after another into one folder, and the second
    # renders only what differs from the first (its language, and lt put back as on main)
    hg(bot, "sync-branch", "--lang", "es")  # Apertium, Spanish's engine
    es_draft = block_text(bot / "translations" / "es" / ARTICLE, 2)
    assert es_draft != block_text(writer / "translations" / "es" / ARTICLE, 2)
    proc = previews(deploy, "previews")
    rendered = {line.split(":")[0].strip(" '"): line for line in proc.stdout.splitlines() if "pages reused" in line}
    es_words = [w for w in es_draft.split() if w.isalpha() and len(w) > 3][:4]
    es_preview = (deploy / "previews" / "es" / "es" / ARTICLE[:-3] / "index.html").read_text(encoding="utf-8")
    assert all(w in es_preview for w in es_words), es_words
    lt_in_es = (deploy / "previews" / "es" / "lt" / ARTICLE[:-3] / "index.html").read_text(encoding="utf-8")
    pseudo = [w for w in words if not w.isascii()]  # the pseudo-localised words, no name or number
    assert pseudo and not any(w in lt_in_es for w in pseudo)  # the lt branch's draft is not in es's preview
    assert all(w in (deploy / "previews" / "lt" / "lt" / ARTICLE[:-3] / "index.html").read_text(encoding="utf-8")
               for w in words)
    # the languages no branch changes render only the pages that show the branches' languages
    # (their language menus): most of each is reused from the previous preview
    reused = {lang: int(line.split(":")[1].split()[0]) for lang, line in rendered.items()}
    assert all(reused[lang] >= 10 for lang in ("en", "ro", "tr", "ru")), proc.stdout
    # ...and each preview is byte for byte the one a build of every page gives
    previews(deploy, "full", "--full")
    for lang in ("es", "lt"):
        assert same_tree(deploy / "previews" / lang, deploy / "full" / lang)
    assert git(deploy, "worktree", "list").stdout.count("\n") == 1  # its checkout is gone


def previews(deploy: Path, out: str, *flags: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build-previews"), *flags, out], cwd=deploy,
                          capture_output=True, text=True, env={**os.environ, **ENV})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def same_tree(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files)

SHORT = "getting-started/change-your-password.md"
SHORT_EN = ("---\ntitle: Change your password\n---\n\n# Change your password\n\n"
            "Open **Settings** and choose **Security**.\n")
SHORT_LT = ("---\ntitle: Pakeiskite slaptažodį\n---\n\n# Pakeiskite slaptažodį\n\n"
            "Atidarykite **Nustatymai** ir pasirinkite **Sauga**.\n")


@pytest.mark.parametrize("translator_edited_the_draft", [False, True])
def test_a_volunteers_translation_on_main_beats_an_untouched_bot_draft(tmp_path: Path, translator_edited_the_draft):
    """Issue 19, 6: a volunteer's translation merged to main where l10n/lt holds the bot's draft of
    the same article used to stop the language's sync with an add/add conflict blamed on "the
    English change". An untouched draft gives way to the person's text; a draft someone edited is
    human work too, so that stays a conflict, named for what it is."""
    origin, clones = remote(tmp_path)
    writer, translator, bot = clones["writer"], clones["translator"], clones["bot"]
    (writer / "docs" / SHORT).write_text(SHORT_EN, encoding="utf-8")
    git(writer, "add", "-A")
    git(writer, "commit", "-qm", "new article")
    git(writer, "push", "-q", "origin", "main")
    hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo")
    if translator_edited_the_draft:
        git(translator, "fetch", "-q")
        git(translator, "checkout", "-q", "-b", "l10n/lt", "origin/l10n/lt")
        replace_block(translator / "translations" / "lt" / SHORT, 2, "Atidarykite nustatymus.")
        git(translator, "commit", "-qam", "lt: a fix", who="Ruta")
        git(translator, "push", "-q", "origin", "l10n/lt")
    # a volunteer's pull request to main: their own Lithuanian, adopted by a maintainer
    git(writer, "pull", "-q", "--no-rebase", "origin", "main")
    (writer / "translations" / "lt" / SHORT).write_text(SHORT_LT, encoding="utf-8")
    hg(writer, "adopt", "--reviewer", "Volunteer", f"translations/lt/{SHORT}")
    git(writer, "add", "-A")
    git(writer, "commit", "-qm", "lt: change-your-password (volunteer)")
    git(writer, "push", "-q", "origin", "main")
    sync = hg(bot, "sync-branch", "--lang", "lt", "--engine", "pseudo", check=False)
    branch_text = git(origin, "show", f"refs/heads/l10n/lt:translations/lt/{SHORT}").stdout
    if translator_edited_the_draft:
        assert sync.returncode != 0 and "Atidarykite nustatymus." in branch_text
        assert "a translation was added on main while this branch has one too" in sync.stderr
        assert "English change" not in sync.stderr
    else:
        assert sync.returncode == 0, sync.stderr
        assert branch_text == git(origin, "show", f"refs/heads/main:translations/lt/{SHORT}").stdout
        assert "Atidarykite **Nustatymai**" in branch_text
