"""Issue 19's scenarios, played as one story with the workflows' own steps (tests/workflow_runner.py)
on a bare ``origin`` that refuses forced pushes, and three promises checked after every step:

1. every line a person committed to a translation is in a translation file (on ``main`` or on
   ``l10n/ro``), in the previous translation shown to the reviewer (``pending``), or was replaced
   by a later commit of a person;
2. no block is marked reviewed unless a reviewer saw that text: it was reviewed when the story
   began, or it is the text of the block at a commit a reviewer approved (``review.commit_id``),
   adopted or approved in their own clone;
3. the deploy's own commands (``helpglot check --format json``, then ``helpglot build
   --withhold qa.json``, in a fresh clone of ``main``) produce a page for every article in every
   language, whenever ``main`` moved (the deploy runs on pushes to main).

The story, in Romanian (DeepL, played by tests/fake_deepl.py; it upper-cases what it drafts):
edits while the pull request is open; the translator fixes drafts; an approval racing a new
draft; a prose conflict (the English paragraph changes under the translator's fix); a typo with
``ack``, then a change of meaning that ``ack`` refuses; code and URL changes; a rename and a
deletion; two translators on one file, with and without the merge driver; a partial approval in
the browser; a volunteer's new translation; 20 pushes with the pull request open; the merge
button. What the runner cannot imitate is said in README ("Review in the browser").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import BIN, ROOT
from fake_deepl import FakeDeepL
from helpglot.markdown.segment import parse
from helpglot.tracking import provenance
from test_workflow_run import DEEPL, TOKEN, seed
from workflow_runner import Runner

LANG = "ro"
REVIEWER = "andrei-popescu"  # the language's translator in mkdocs.yml
LANGS = ("en", "es", "ro", "tr", "ru", "lt")
NAMES = ("Tallybird", "Stripe", "Slack", "PayPal", "Google Workspace", "Xero", "QuickBooks")
ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_MKDOCS_2_WARNING": "1",
       "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def run(cwd: Path, *args: str, who: str = "Writer", check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **ENV, "GIT_AUTHOR_NAME": who, "GIT_COMMITTER_NAME": who,
                               "GIT_AUTHOR_EMAIL": f"{who}@x", "GIT_COMMITTER_EMAIL": f"{who}@x"})
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def norm(text: str) -> str:
    return " ".join(text.split())


def prose(text: str) -> str:
    """A block's text as a reviewer judges it: the skeleton (code, URLs, link targets), which
    helpglot carries over from the English without a translator, masked."""
    text = re.sub(r"^(```|~~~).*?^\1", "<code>", text, flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", "<code>", text)
    text = re.sub(r"\]\([^)]*\)", "](<target>)", text)
    return norm(re.sub(r"https?://\S+", "<url>", text))


def body(text: str) -> str:
    """A translation file's text without its front matter (the provenance is helpglot's)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        return text[end + 5:] if end != -1 else text
    return text


class Story:
    def __init__(self, tmp: Path, fake: FakeDeepL) -> None:
        self.tmp = tmp
        self.origin = seed(tmp, fake.url)
        run(self.origin, "git", "config", "receive.denyDeletes", "true")
        self.runner = Runner(root=tmp / "runner", origin=self.origin, workflows=ROOT / ".github" / "workflows",
                             secrets={"DEEPL_AUTH_KEY": DEEPL, "HELPGLOT_APP_KEY": "unused"}, token=TOKEN,
                             env={"NO_MKDOCS_2_WARNING": "1"})
        self.clones: dict[str, Path] = {}
        self.human: dict[str, str] = {}  # a person's line (normalised) -> the step that wrote it
        self.seen: set[str] = set()  # block texts (normalised) some reviewer saw
        self.steps: list[str] = []
        self.deployed: str | None = None
        self.runs = 0
        main = self.head("main")
        for rel in self.files(main):
            self.seen |= self.reviewed_texts(main, rel)
        self.check("the help center as it starts")

    # ---- git ---------------------------------------------------------------------------------

    def git(self, cwd: Path, *args: str, who: str = "Writer", check: bool = True) -> subprocess.CompletedProcess:
        return run(cwd, "git", *args, who=who, check=check)

    def head(self, branch: str) -> str | None:
        proc = self.git(self.origin, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
        return proc.stdout.strip() or None

    def show(self, ref: str, rel: str) -> str:
        return self.git(self.origin, "show", f"{ref}:{rel}").stdout

    def files(self, ref: str | None) -> list[str]:
        if ref is None:
            return []
        out = self.git(self.origin, "ls-tree", "-r", "--name-only", ref, "--", f"translations/{LANG}").stdout
        return [p for p in out.split() if p.endswith(".md")]

    def clone(self, who: str, branch: str = "main", driver: bool = False) -> Path:
        """A person's clone at ``branch`` (fetched again when they have one already)."""
        path = self.clones.get(who)
        if path is None:
            path = self.tmp / f"clone-{who}"
            self.git(self.tmp, "clone", "-q", str(self.origin), str(path))
            self.clones[who] = path
            if driver:
                run(path, "helpglot", "git-setup")
        self.git(path, "fetch", "-q", "origin")
        self.git(path, "checkout", "-q", "-B", branch, f"origin/{branch}")
        return path

    # ---- people ------------------------------------------------------------------------------

    def english(self, rel: str, old: str, new: str, message: str, then: tuple[str, ...] = ()) -> None:
        """A writer's edit of docs/REL on main (``then``: a helpglot command run before the commit)."""
        writer = self.clone("writer")
        page = writer / "docs" / rel
        text = page.read_text(encoding="utf-8")
        assert text.count(old) >= 1, (rel, old)
        page.write_text(text.replace(old, new, 1), encoding="utf-8")
        if then:
            run(writer, "helpglot", *then)
        self.git(writer, "commit", "-qam", message)
        self.git(writer, "push", "-q", "origin", "main")

    def person_edits(self, who: str, branch: str, edits: dict[str, object], message: str,
                     driver: bool = False, push: bool = True, approve: bool = False) -> Path:
        """A person edits translation files on ``branch`` (``edits``: path -> function of the text)
        and commits; their added lines are remembered, the ones they replaced forgotten."""
        clone = self.clone(who, branch, driver)
        for rel, edit in edits.items():
            page = clone / rel
            page.write_text(edit(page.read_text(encoding="utf-8")), encoding="utf-8")
        if approve:
            run(clone, "helpglot", "approve", "--reviewer", who, *edits)
        self.git(clone, "add", "-A")
        self.git(clone, "commit", "-qm", message, who=who)
        self.remember(clone, "HEAD~1", "HEAD", message)
        if approve:  # what they approved is what they had in front of them
            commit = self.git(clone, "rev-parse", "HEAD").stdout.strip()
            for rel in edits:
                self.seen |= self.block_texts(clone, commit, rel)
        if push:
            self.git(clone, "push", "-q", "origin", branch, who=who)
        return clone

    def remember(self, clone: Path, old: str, new: str, step: str) -> None:
        diff = self.git(clone, "diff", "-U0", "--no-renames", old, new, "--", f"translations/{LANG}").stdout
        for line in diff.splitlines():
            if line.startswith(("+++", "---")):
                continue
            text = norm(line[1:])
            if len(text) < 12 or re.fullmatch(r"-?\s*[0-9a-f]{12} \w+.*|[\w-]+: .*", text):
                continue  # (provenance lines and front matter are helpglot's, not a person's prose)
            if line.startswith("+"):
                self.human[text] = step
            elif line.startswith("-") and text in self.human:
                del self.human[text]  # replaced by this person's later commit
        # a person who rewrites a block also replaces the earlier text of it shown to them as the
        # previous translation (they wrote the new one with that in front of them)
        changed = self.git(clone, "diff", "--name-only", "--no-renames", old, new, "--",
                           f"translations/{LANG}").stdout.split()
        for rel in changed:
            before, after = (self.git(clone, "show", f"{ref}:{rel}", check=False).stdout for ref in (old, new))
            if not before or not after:
                continue
            doc_b, doc_a = parse(before, LANG), parse(after, LANG)
            try:
                prov = provenance.read(doc_b)
            except Exception:  # noqa: BLE001
                continue
            if prov is None:
                continue
            for i, (x, y) in enumerate(zip(doc_b.blocks, doc_a.blocks, strict=False)):
                entry = prov.pending_for(prov.blocks[i].hash) if i < len(prov.blocks) else None
                if entry is not None and norm(x.text) != norm(y.text):
                    for gone in (entry.previous, entry.draft):
                        for piece in (gone or "").split("\n"):
                            self.human.pop(norm(piece), None)

    def block_texts(self, clone: Path, commit: str, rel: str) -> set[str]:
        text = self.git(clone, "show", f"{commit}:{rel}", check=False).stdout
        return {prose(b.text) for b in parse(text, LANG).blocks} if text else set()

    def reviewed_texts(self, ref: str, rel: str) -> set[str]:
        doc = parse(self.show(ref, rel), LANG)
        try:
            prov = provenance.read(doc)
        except Exception:  # noqa: BLE001 - untracked: nothing in it is reviewed
            return set()
        if prov is None:
            return set()
        return {prose(b.text) for b, r in zip(doc.blocks, prov.blocks, strict=False) if r.status == "reviewed"}

    # ---- the workflows -----------------------------------------------------------------------

    def translate(self, expect: str = "success") -> None:
        self.runs += 1
        self.runner.sha = self.head("main")
        self.runner.event = {}
        status = self.runner.run_job("translate.yml", "translate", {"lang": LANG}, run=f"-{self.runs}")
        failed = [s.output for s in self.runner.log if s.outcome == "failure"]
        assert status == expect, failed[-1:]

    def review(self, seen: str, who: str = REVIEWER, text: str = "") -> str:
        self.runs += 1
        status = self.runner.approve_in_browser(LANG, who, seen, body=text, run=f"-{self.runs}")
        assert status == "success", [s.output for s in self.runner.log if s.outcome == "failure"][-1:]
        for rel in self.files(seen):  # the reviewer saw these texts
            self.seen |= {prose(b.text) for b in parse(self.show(seen, rel), LANG).blocks}
        return "\n".join(s.output for s in self.runner.log if "Record the approval" in s.name)

    def merge_button(self) -> None:
        """GitHub's merge button: a merge commit made without helpglot's merge driver."""
        clone = self.clone("maintainer")
        self.git(clone, "merge", "--no-ff", "-q", "-m", f"Merge l10n/{LANG}", f"origin/l10n/{LANG}", who="GitHub")
        self.git(clone, "push", "-q", "origin", "main")

    # ---- the promises ------------------------------------------------------------------------

    def check(self, step: str) -> None:
        self.steps.append(step)
        refs = [r for r in ("main", f"l10n/{LANG}") if self.head(r)]
        kept: set[str] = set()
        for ref in refs:
            for rel in self.files(ref):
                text = self.show(ref, rel)
                kept.add(norm(body(text)))
                doc = parse(text, LANG)
                try:
                    prov = provenance.read(doc)
                except Exception:  # noqa: BLE001 - an untracked file: its text counts, nothing is reviewed
                    prov = None
                if prov is None:
                    continue
                for entry in prov.pending:
                    kept |= {norm(t) for t in (entry.previous, entry.draft) if t}
                for block, record in zip(doc.blocks, prov.blocks, strict=False):
                    if record.status == "reviewed":
                        assert prose(block.text) in self.seen, \
                            f"after {step!r}: {ref}:{rel} marks reviewed a text no reviewer saw: {block.text!r}"
        everything = "\n".join(kept)
        lost = [line for line in self.human if line not in everything]
        assert not lost, f"after {step!r}: a person's lines are gone: {lost[:3]}"
        main = self.head("main")
        if main != self.deployed:
            self.deploy(step)
            self.deployed = main

    def deploy(self, step: str) -> None:
        where = self.tmp / "deploy"
        shutil.rmtree(where, ignore_errors=True)
        self.git(self.tmp, "clone", "-q", str(self.origin), str(where))
        qa = run(where, "helpglot", "check", "--format", "json", check=False)
        assert qa.returncode in (0, 1), qa.stderr
        (where / "qa.json").write_text(qa.stdout, encoding="utf-8")
        built = run(where, "helpglot", "build", "--withhold", "qa.json", "--site-dir", "site", check=False)
        assert built.returncode == 0, f"after {step!r} the deploy fails:\n{built.stderr[-2000:]}"
        for source in (where / "docs").rglob("*.md"):
            rel = source.relative_to(where / "docs").with_suffix("")
            page = Path(*rel.parts[:-1]) if rel.name == "index" else rel
            for lang in LANGS:
                folder = where / "site" / ("" if lang == "en" else lang) / page
                assert (folder / "index.html").is_file(), f"after {step!r}: no {lang} page for {rel}"


def fix_names(text: str) -> str:
    """What a translator does first with the fake's drafts: names as the glossary keeps them."""
    for name in NAMES:
        text = re.sub(rf"(?<!\w){name.upper()}(?!\w)", name, text)
    return text


def replace_line(pattern: str, new: str):
    """Replace the one line of the text (below the front matter) that matches ``pattern``."""
    def edit(text: str) -> str:
        head = len(text) - len(body(text))
        lines = text[head:].split("\n")
        hits = [i for i, line in enumerate(lines) if re.search(pattern, line, re.I)]
        assert len(hits) == 1, (pattern, [lines[i] for i in hits])
        lines[hits[0]] = new
        return text[:head] + "\n".join(lines)
    return edit


ACCOUNT = "getting-started/create-your-account.md"
INVITE = "getting-started/invite-your-team.md"
API = "integrations/api-quickstart.md"


def test_the_story_of_a_month_of_translation_pull_requests(tmp_path: Path) -> None:
    with FakeDeepL(auth_key=DEEPL) as fake:
        s = Story(tmp_path, fake)
        ro = f"translations/{LANG}/{ACCOUNT}"

        # 1. edits while the pull request is open
        s.english(ACCOUNT, "about two minutes", "about three minutes", "three minutes")
        s.translate()
        s.check("a writer's edit, drafted")
        s.english(ACCOUNT, "even if someone learns your password",
                  "even if someone learns or guesses your password", "guesses")
        s.translate()
        s.check("a second edit while the pull request is open")

        # 2. the translator fixes the drafts (names), then an approval races a new draft
        changed = s.git(s.origin, "diff", "--name-only", "main", f"l10n/{LANG}").stdout.split()
        s.person_edits(REVIEWER, f"l10n/{LANG}", {p: fix_names for p in changed if p.endswith(".md")},
                       "ro: names as the glossary keeps them", driver=True)
        s.check("the translator fixes the drafts")
        seen = s.head(f"l10n/{LANG}")
        s.english(ACCOUNT, "You do not need a credit card", "No credit card is needed", "no card")
        s.translate()
        said = s.review(seen)
        assert "changed after the reviewed commit" in said
        s.check("an approval racing a new draft")

        # 3. a prose conflict: the translator rewrites a paragraph the writer changes meanwhile
        mine = ("Crearea unui cont Tallybird durează aproximativ trei minute; fiecare cont nou începe cu o "
                "perioadă de probă gratuită de 14 zile a planului Team.")
        s.person_edits(REVIEWER, f"l10n/{LANG}", {ro: replace_line(r"^(?=.*\b14\b)(?=.*\bminutes?\b)\S", mine)},
                       "ro: first paragraph, in my words", driver=True)
        s.check("the translator's own paragraph")
        s.english(ACCOUNT, "about three minutes", "about four minutes", "four minutes")
        s.translate()
        s.check("the English changes under the translator's paragraph")
        branch = s.show(f"l10n/{LANG}", ro)
        assert mine in branch  # kept: as the text, or as the previous translation shown to the reviewer

        # 4. a typo with ack; then a change of meaning that ack refuses
        s.english(INVITE, "Until they accept it, they appear", "Until they accept it they appear", "comma",
                  then=("ack", f"docs/{INVITE}"))
        before = len(fake.calls("translate"))
        s.translate()
        assert len(fake.calls("translate")) == before  # nothing to draft for a typo
        s.check("a typo, acknowledged")
        writer = s.clone("writer")
        page = writer / "docs" / INVITE
        text = page.read_text(encoding="utf-8")
        hits = re.findall(r"\b(\d+) days\b", text)
        assert hits, "the article has a number of days to change"
        page.write_text(text.replace(f"{hits[0]} days", f"{hits[0]} hours", 1), encoding="utf-8")
        refused = run(writer, "helpglot", "ack", f"docs/{INVITE}", check=False)
        assert refused.returncode != 0 and "days" in (refused.stderr + refused.stdout)
        s.git(writer, "commit", "-qam", "hours, not days")
        s.git(writer, "push", "-q", "origin", "main")
        s.translate()
        s.check("a change of meaning, not acknowledged")

        # 5. code and URL changes reach the branch without a translator
        s.english(API, "https://api.tallybird.com/v2", "https://api.tallybird.com/v3", "API v3")
        s.translate()
        assert "api.tallybird.com/v3" in s.show(f"l10n/{LANG}", f"translations/{LANG}/{API}")
        s.check("code and URL changes")

        # 6. a rename and a deletion
        writer = s.clone("writer")
        run(writer, "helpglot", "mv", INVITE, "getting-started/invite-teammates.md")
        run(writer, "helpglot", "rm", "troubleshooting/bank-sync-errors.md")
        s.git(writer, "commit", "-qam", "rename one article, delete another")
        s.git(writer, "push", "-q", "origin", "main")
        s.translate()
        on_branch = s.files(f"l10n/{LANG}")
        assert f"translations/{LANG}/getting-started/invite-teammates.md" in on_branch
        assert f"translations/{LANG}/{INVITE}" not in on_branch
        assert f"translations/{LANG}/troubleshooting/bank-sync-errors.md" not in on_branch
        s.check("a rename and a deletion")
        INVITED = "getting-started/invite-teammates.md"

        # 7. two translators on one file: with the merge driver, then without it
        other = f"translations/{LANG}/{API}"
        first = ("Toate solicitările merg la `https://api.tallybird.com/v3` și folosesc cheia API ca token de tip "
                 "bearer. Acest exemplu afișează cele mai recente cinci facturi ale tale.")
        second = ("Doar proprietarul și administratorii pot crea chei API. Fiecare cheie are permisiunile "
                  "spațiului de lucru, nu ale persoanei care a creat-o.")
        a = s.person_edits(REVIEWER, f"l10n/{LANG}", {other: replace_line(r"ALL REQUESTS GO TO", first)},
                           "ro: requests", driver=True, push=False, approve=True)
        s.person_edits("mihai-volunteer", f"l10n/{LANG}", {other: replace_line(r"ONLY THE \w+ AND ADMINS", second)},
                       "ro: who creates keys",
                       driver=False, approve=True)
        s.git(a, "pull", "-q", "--no-rebase", "origin", f"l10n/{LANG}", who=REVIEWER)  # the driver merges
        s.remember(a, "HEAD~1", "HEAD", "merge")
        s.git(a, "push", "-q", "origin", f"l10n/{LANG}", who=REVIEWER)
        s.check("two translators on one file, with the driver")
        b = s.clone("mihai-volunteer", f"l10n/{LANG}")
        page = b / other
        page.write_text(page.read_text(encoding="utf-8").replace(second, second.replace("Doar", "Numai")),
                        encoding="utf-8")
        run(b, "helpglot", "approve", "--reviewer", "mihai-volunteer", other)
        s.git(b, "commit", "-qam", "ro: wording", who="mihai-volunteer")
        s.remember(b, "HEAD~1", "HEAD", "wording")
        s.seen |= s.block_texts(b, "HEAD", other)
        s.person_edits(REVIEWER, f"l10n/{LANG}", {other: lambda t: t.replace("facturi ale tale", "facturi")},
                       "ro: shorter", driver=True, approve=True)
        pulled = s.git(b, "pull", "-q", "--no-rebase", "origin", f"l10n/{LANG}", who="mihai-volunteer", check=False)
        if pulled.returncode != 0:
            # no driver: git's conflict markers, resolved as GitHub's web editor lets a person do it,
            # hunk by hunk; they keep the other side of each conflicting hunk
            text = page.read_text(encoding="utf-8")
            assert "<<<<<<<" in text
            page.write_text(re.sub(r"<<<<<<< [^\n]*\n.*?=======\n(.*?)>>>>>>> [^\n]*\n", r"\1", text, flags=re.S),
                            encoding="utf-8")
            s.git(b, "add", other)
            s.git(b, "commit", "-qm", "merge", who="mihai-volunteer")
        s.git(b, "push", "-q", "origin", f"l10n/{LANG}", who="mihai-volunteer")
        s.check("two translators on one file, without the driver")

        # 8. a partial approval in the browser: one file, named in the review (its drafts fixed first)
        s.person_edits(REVIEWER, f"l10n/{LANG}", {ro: fix_names}, "ro: names", driver=True)
        head = s.head(f"l10n/{LANG}")
        said = s.review(head, text=f"Looks good.\n/approve translations/{LANG}/{ACCOUNT}\n")
        s.check("a partial approval in the browser")
        prov = provenance.read(parse(s.show(f"l10n/{LANG}", f"translations/{LANG}/{INVITED}"), LANG))
        assert prov.machine, "the other drafted file was not named, so it is still a machine draft"

        # 9. a volunteer's new translation, merged to main from a fork while the bot has a draft
        writer = s.clone("writer")
        new = "getting-started/change-your-password.md"
        (writer / "docs" / new).write_text("# Change your password\n\nOpen **Settings** and choose **Security**.\n\n"
                                            "Type your new password twice, then select **Save**.\n", encoding="utf-8")
        s.git(writer, "add", "-A")
        s.git(writer, "commit", "-qm", "new article")
        s.git(writer, "push", "-q", "origin", "main")
        s.translate()
        s.check("a new article, drafted")
        volunteer_text = ("# Schimbă-ți parola\n\nDeschide **Setări** și alege **Securitate**.\n\n"
                          "Introdu noua parolă de două ori, apoi selectează **Salvează**.\n")
        v = s.clone("volunteer-fork")
        (v / "translations" / LANG / new).write_text(volunteer_text, encoding="utf-8")
        run(v, "helpglot", "adopt", "--reviewer", "ioana-volunteer", f"translations/{LANG}/{new}")
        s.git(v, "add", "-A")
        s.git(v, "commit", "-qm", "ro: change-your-password (volunteer)", who="ioana-volunteer")
        s.remember(v, "HEAD~1", "HEAD", "volunteer")
        s.seen |= s.block_texts(v, "HEAD", f"translations/{LANG}/{new}")
        s.git(v, "push", "-q", "origin", "main", who="maintainer")  # the fork's pull request, merged
        s.translate()
        assert "Deschide **Setări**" in s.show(f"l10n/{LANG}", f"translations/{LANG}/{new}")
        s.check("a volunteer's translation beats the bot's draft")

        # 10. twenty pushes with the pull request open
        words = ["Tallybird", "invoice", "account", "team", "payment"]
        for n in range(20):
            rel = (ACCOUNT, API, INVITED, "account-and-billing/download-receipts.md")[n % 4]
            writer = s.clone("writer")
            page = writer / "docs" / rel
            text = page.read_text(encoding="utf-8")
            page.write_text(text.rstrip("\n") + f"\n\nNote {n + 1}: this {words[n % 5]} tip was added later.\n",
                            encoding="utf-8")
            s.git(writer, "commit", "-qam", f"tip {n + 1}")
            s.git(writer, "push", "-q", "origin", "main")
            s.translate()
            s.check(f"push {n + 1} of 20 with the pull request open")
        comments = json.loads((s.runner.root / "gh" / "comments.state").read_text(encoding="utf-8"))
        queue = [c["body"] for c in comments if c["body"].startswith("<!-- helpglot-review-queue -->")]
        assert len(queue) == 1 and len(queue[0]) <= 65536  # one comment, edited in place, within GitHub's limit

        # 11. the merge button (no merge driver), then the next update has nothing to propose
        s.merge_button()
        s.check("the pull request merged with GitHub's button")
        s.translate()
        s.check("the update after the merge")
    assert len(s.steps) >= 30
