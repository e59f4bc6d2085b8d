"""Translation branches that are only ever added to.

``helpglot sync-branch --lang L`` is what the translation workflow runs after a
push to the base branch: it brings ``l10n/L`` up to date by *merging* the base
branch into it (with the provenance-aware merge driver of :mod:`helpglot.review.merge`),
drafts what the English change needs, commits, and pushes without force. A
translator's commits, approvals and the pull request's review comments survive any
number of writer pushes; if the remote branch moved meanwhile (a translator pushed),
the push is refused by git and the sync starts again from the new tip. A real
conflict between a translator's edit and the base branch stops the sync with the
files named: a person resolves it, nothing is reset.

Compare peter-evans/create-pull-request, which re-creates its branch from the base
on every run and force-pushes it: right for a bot's own branch, wrong for a branch
people work on.

The sync runs with the DeepL key and a push token in reach, so a translation branch is
data, never code: before anything is merged or checked out, :func:`outside_scope` lists
what the branch changed outside its language's translations and the glossary, and any
such change (an ``mkdocs.yml`` with ``hooks:``, ``src/``, ``scripts/``, ``docs/``,
``.gitattributes``, a top-level ``helpglot/`` package) stops the sync with the paths
named. The merged tree is then the base branch's tree plus translations, so the
``mkdocs.yml`` helpglot loads afterwards is the base branch's own. The merge driver runs
as ``python -I`` so that the checkout's working directory is never on ``sys.path``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.fsutil import atomic_write_text
from helpglot.tracking.fingerprint import of_text, quick

# PATH-independent; -I (isolated): git runs the driver in the work tree, and `python -m` would
# otherwise import a `helpglot/` package the branch put at the top of that tree
#: exit status of ``helpglot merge-driver`` for a merge it wrote with conflict markers
CONFLICT = 3
# git runs the line with sh. When the interpreter is gone (a virtualenv rebuilt, Python upgraded)
# or helpglot is not installed in it, git would keep "ours" without a word: then git merge-file
# writes the usual conflict markers instead, and the merge stops as a conflict.
DRIVER = (f"\"{sys.executable}\" -I -m helpglot.cli merge-driver %O %A %B %P; s=$?; "
          f"[ $s = 0 ] || [ $s = {CONFLICT} ] && exit $s; "
          "git merge-file -L ours -L base -L theirs %A %O %B; exit 1")


@dataclass
class BranchResult:
    lang: str
    branch: str
    created: bool = False
    merged_base: bool = False
    committed: bool = False
    pushed: bool = False
    attempts: int = 0
    notes: list[str] = field(default_factory=list)


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise HelpglotError(f"git {' '.join(args)} failed in {root}: {(proc.stderr or proc.stdout).strip()}")
    return proc


def setup(root: Path, driver: str = DRIVER, translations: str = "translations") -> list[str]:
    """Register the merge driver in this clone's git config (git never reads drivers from the repo)."""
    if not (root / ".git").exists() and git(root, "rev-parse", "--git-dir", check=False).returncode != 0:
        raise HelpglotError(f"{root}: not a git repository; run `git init` (or clone the help center) "
                            "first; nothing was changed")
    line = f"{translations.strip('/')}/**/*.md merge=helpglot\n"
    done = []
    git(root, "config", "merge.helpglot.name", "helpglot translation provenance merge")
    git(root, "config", "merge.helpglot.driver", driver)
    done.append("git config merge.helpglot.driver set")
    # git >= 2.27 stops `git pull` on divergent branches until pull.rebase is chosen; a merge keeps
    # every commit as it was (no rewritten history on a branch people share). A choice made stays.
    if git(root, "config", "--get", "pull.rebase", check=False).returncode != 0:
        git(root, "config", "pull.rebase", "false")
        done.append("git config pull.rebase false (git pull merges)")
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    if line.strip() not in text.splitlines():
        atomic_write_text(attributes, text + ("" if not text or text.endswith("\n") else "\n") + line)
        done.append(".gitattributes: translations use merge=helpglot (commit this file)")
    return done


def _exists(root: Path, ref: str) -> bool:
    return git(root, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0


def _conflicts(root: Path) -> list[str]:
    out = git(root, "diff", "--name-only", "--diff-filter=U", check=False).stdout
    return [line for line in out.splitlines() if line]


def scope(lang: str, translations: str = "translations", glossary: str = "glossary") -> tuple[str, ...]:
    """The folders (repository-relative, with a trailing slash) a translation branch may change."""
    return (f"{translations.strip('/')}/{lang}/", f"{glossary.strip('/')}/")


def shown_paths(paths: list[str], limit: int = 12) -> str:
    """Paths for one message line: control characters escaped (a file name with a newline must not
    start a workflow command such as ``::stop-commands::`` in the job log), the rest counted."""
    shown = [p if p.isprintable() else ascii(p) for p in paths[:limit]]
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(shown) + more


def outside_scope(root: Path, base_ref: str, head_ref: str, allowed: tuple[str, ...]) -> list[str]:
    """Paths ``head_ref`` changed since it forked from ``base_ref`` (``git diff base...head``) that lie
    outside ``allowed``; renames count as a deletion and an addition, so both paths are judged."""
    out = git(root, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
              f"{base_ref}...{head_ref}").stdout
    return sorted(p for p in out.split("\0") if p and not p.startswith(allowed))


def refuse_outside_scope(root: Path, branch: str, base_ref: str, head_ref: str, allowed: tuple[str, ...],
                         after: str) -> None:
    """Raise the one clear error when ``head_ref`` carries anything but translations and glossary."""
    foreign = outside_scope(root, base_ref, head_ref, allowed)
    if foreign:
        raise HelpglotError(
            f"{branch}: changes files outside {' and '.join(allowed)}: {shown_paths(foreign)}. A translation "
            f"branch carries translations only; the jobs that hold the DeepL key and the push token read "
            f"nothing else from it. Undo those changes on {branch} (git checkout {base_ref} -- PATH, commit) "
            f"or propose them to the base branch in a pull request of their own; {after}")


def _stage(root: Path, number: int, path: str) -> str | None:
    proc = git(root, "show", f":{number}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def _added_on_both(root: Path, path: str) -> bool:
    """Did both sides add ``path`` (it is not in the merge base)? (The index cannot tell once a
    merge driver has run: git hands it an empty base.)"""
    base = git(root, "merge-base", "HEAD", "MERGE_HEAD", check=False).stdout.strip()
    return bool(base) and git(root, "cat-file", "-e", f"{base}:{path}", check=False).returncode != 0


def _take_human_additions(root: Path, files: list[str]) -> list[str]:
    """Add/add conflicts where the branch holds a machine draft exactly as helpglot wrote it and the
    base branch a translation a person added meanwhile (a volunteer's, merged to main): the
    person's text wins, the draft goes. A draft someone edited is human work: left as a conflict."""
    taken = []
    for path in files:
        ours, theirs = _stage(root, 2, path), _stage(root, 3, path)
        if not _added_on_both(root, path) or ours is None or theirs is None:
            continue
        stamp = quick(ours)
        if stamp is None or stamp.machine == () or of_text(ours, path) != stamp.fingerprint:
            continue  # not an untouched draft (a reviewed block, or a person's edit): people decide
        git(root, "checkout", "--theirs", "--", path)
        git(root, "add", "--", path)
        taken.append(path)
    return taken


def _why(root: Path, base: str, remote: str, files: list[str]) -> str:
    """The conflicted files, each with what collided: two translations added, or the same lines."""
    parts = []
    for path in files:
        added = _added_on_both(root, path)
        what = (f"a translation was added on {base} while this branch has one too: keep one" if added
                else f"a translator's edit and a change on {base} touch the same lines")
        parts.append(f"{path} ({what})")
    return ", ".join(parts) if parts else "the tree"


def sync(root: Path, lang: str, draft, remote: str = "origin", base: str = "main",
         push: bool = True, retries: int = 3, message: str | None = None,
         allowed: tuple[str, ...] | None = None) -> BranchResult:
    """Bring ``l10n/<lang>`` up to date with ``base`` and draft; ``draft()`` runs the translation
    in the checked-out tree and returns notes. Never resets a branch people work on, never forces."""
    branch = f"l10n/{lang}"
    allowed = allowed or scope(lang)
    result = BranchResult(lang, branch)
    if git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise HelpglotError(f"{root}: uncommitted changes; sync-branch works on a clean checkout "
                            "(commit or stash them first); nothing was changed")
    if git(root, "remote", "get-url", remote, check=False).returncode != 0:
        raise HelpglotError(f"--remote {remote}: no such remote in {root} (`git remote -v` lists them); "
                            "nothing was changed")
    for attempt in range(1, retries + 1):
        result.attempts = attempt
        git(root, "fetch", "--quiet", remote)
        if not _exists(root, f"refs/remotes/{remote}/{base}"):
            raise HelpglotError(f"--base {base}: {remote} has no branch {base} (pass the branch the English "
                                "is written on); nothing was changed")
        if attempt == 1:
            setup(root, translations=allowed[0].rstrip("/").rsplit("/", 1)[0])  # (scope()'s first folder)
        remote_branch = f"{remote}/{branch}"
        if _exists(root, f"refs/remotes/{remote_branch}"):
            # judged on the refs, before the branch's tree is checked out or merged
            refuse_outside_scope(root, branch, f"{remote}/{base}", f"refs/remotes/{remote_branch}", allowed,
                                 "nothing was merged, drafted or pushed")
            git(root, "checkout", "--quiet", "-B", branch, remote_branch)
        else:
            git(root, "checkout", "--quiet", "-B", branch, f"{remote}/{base}")
            result.created = True
        before = git(root, "rev-parse", "HEAD").stdout.strip()
        merge = git(root, "merge", "--no-edit", "--quiet", "-m", f"Merge {base} into {branch}",
                    f"{remote}/{base}", check=False)
        if merge.returncode != 0:
            files = _conflicts(root)
            taken = _take_human_additions(root, files)
            files = [f for f in files if f not in taken]
            if files:
                why = _why(root, base, remote, files)  # (before the abort: it reads the merge's state)
                git(root, "merge", "--abort", check=False)
                raise HelpglotError(f"{branch}: merging {base} conflicts in {why}. Resolve it in the pull "
                                    f"request (or locally: git merge {remote}/{base}); nothing was pushed")
            git(root, "commit", "--quiet", "--no-edit")
        result.merged_base = git(root, "rev-parse", "HEAD").stdout.strip() != before
        # the merged tree is the base branch's tree plus translations: its mkdocs.yml is the base's own
        foreign = [p for p in git(root, "diff", "--name-only", "-z", "--no-renames", f"{remote}/{base}", "HEAD")
                   .stdout.split("\0") if p and not p.startswith(allowed)]
        if foreign:
            git(root, "reset", "--quiet", "--hard", before)
            raise HelpglotError(f"{branch}: after merging {base}, differs from it outside {' and '.join(allowed)}: "
                                f"{shown_paths(sorted(foreign))}; nothing was drafted or pushed")
        failure: HelpglotError | None = None
        try:
            result.notes = list(draft())
        except HelpglotError as exc:  # what was drafted before the stop is committed all the same
            failure = exc
        git(root, "add", "--all", "--", f"translations/{lang}")
        if git(root, "diff", "--cached", "--quiet", check=False).returncode != 0:
            git(root, "commit", "--quiet", "-m", message or f"l10n({lang}): machine drafts for review")
            result.committed = True
        if not push or not (result.committed or result.merged_base or result.created):
            if failure is not None:
                raise failure
            return result
        pushed = git(root, "push", "--quiet", remote, f"{branch}:{branch}", check=False)
        if pushed.returncode == 0:
            result.pushed = True
            if failure is not None:
                raise failure
            return result
        result.notes.append(f"push refused ({pushed.stderr.strip().splitlines()[-1:]}); someone pushed "
                            f"to {branch} meanwhile, starting again from the new tip")
    raise HelpglotError(f"{branch}: the remote branch kept moving; tried {retries} times, nothing forced. "
                        "Run the sync again")
