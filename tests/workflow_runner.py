"""Run a GitHub Actions job of .github/workflows locally, step by step, the way a runner would.

Why: the trust rules of issue 18 are about what the workflows' own ``run:`` steps execute, with
which secrets in reach. Reading the YAML (tests/test_workflow_trust.py) cannot show that
``helpglot sync-branch`` never imports a branch's hooks; running the steps can.

Each job gets a fresh folder (workspace, HOME, temp) and its own clones of a bare ``origin``.
``run:`` steps run as GitHub runs them: expressions substituted into the script text, the step's
``env``, ``bash --noprofile --norc -eo pipefail``, ``working-directory``, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``; a failed step skips the rest unless its ``if`` says ``always()``.
``uses:`` steps are replaced by their git/file equivalents:

- ``actions/checkout``: ``git init`` + ``fetch`` of every branch (or the one ref at depth 1) from
  ``origin`` + checkout; unless ``persist-credentials: false`` it writes the token into
  ``.git/config`` exactly as the action does (``http.<server>/.extraheader``);
- ``actions/setup-python``: a fresh virtualenv first on ``PATH`` that sees the test
  environment's dependencies (so ``pip install ./trusted`` needs no network) but not its
  editable helpglot: only what the workflow installs is helpglot in the job;
- cache, artifacts, Pages: folders under the runner's root; ``create-github-app-token`` is
  skipped by its ``if`` (no ``vars.HELPGLOT_APP_ID``), so the token is ``github.token``;
- ``gh`` is a stub that records its arguments and the bodies it is given.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GH_STUB = """#!/usr/bin/env python3
# A stand-in for GitHub's gh CLI that logs every call and refuses what GitHub refuses: a comment
# or body over 65,536 characters, an unknown --label, and a pull request with no commits ahead.
import json, os, subprocess, sys, time
log = os.environ["FAKE_GH_LOG"]
args = sys.argv[1:]
files = {}
for i, a in enumerate(args):
    if a.startswith("body=@"):
        files[a] = open(a[6:], encoding="utf-8").read()
    if a == "--body-file" and i + 1 < len(args):
        files[a] = open(args[i + 1], encoding="utf-8").read()
with open(os.path.join(log, f"{time.time_ns()}.json"), "w", encoding="utf-8") as out:
    json.dump({"args": args, "files": files}, out)
for text in files.values():
    if len(text) > 65536:
        sys.exit("Body is too long (maximum is 65536 characters)")
created, labels = os.path.join(log, "pr-created"), os.path.join(log, "labels")
known = open(labels, encoding="utf-8").read().split("\\n") if os.path.exists(labels) else []
if args[:2] == ["label", "create"]:
    with open(labels, "a", encoding="utf-8") as out:
        out.write(args[2] + "\\n")
elif args[:2] == ["pr", "create"]:
    for i, a in enumerate(args):
        if a == "--label" and args[i + 1] not in known:
            sys.exit(f"could not add label: '{args[i + 1]}' not found")
    head = args[args.index("--head") + 1]
    ahead = subprocess.run(["git", "rev-list", "--count", f"origin/main..origin/{head}"],
                           capture_output=True, text=True).stdout.strip()
    if ahead == "0":
        sys.exit(f"pull request create failed: GraphQL: No commits between main and {head} (createPullRequest)")
    open(created, "w").close()
elif args[:2] == ["pr", "list"]:
    print("7" if os.path.exists(created) else "")
# the pull request's comments, kept as GitHub keeps them: created, edited in place, deleted, found
store = os.path.join(log, "comments.state")
comments = json.load(open(store, encoding="utf-8")) if os.path.exists(store) else []
if args[:2] == ["pr", "comment"]:
    comments.append({"id": len(comments) + 100, "body": files["--body-file"]})
elif args[:1] == ["api"] and "-X" in args:
    method, cid = args[args.index("-X") + 1], int(args[-1 if "DELETE" in args else -3].rsplit("/", 1)[1])
    if method == "DELETE":
        comments = [c for c in comments if c["id"] != cid]
    else:
        for c in comments:
            if c["id"] == cid:
                c["body"] = next(iter(files.values()))
elif args[:1] == ["api"] and "--jq" in args and os.path.exists(
        os.path.join(log, "api", args[1].split("{repo}/", 1)[-1].replace("/", "__") + ".json")):
    # a GitHub API object the test wrote (a pull request, a review), filtered as gh --jq does
    fixture = os.path.join(log, "api", args[1].split("{repo}/", 1)[-1].replace("/", "__") + ".json")
    out = subprocess.run(["jq", "-r", args[args.index("--jq") + 1], fixture], capture_output=True, text=True)
    sys.stdout.write(out.stdout)
    sys.exit(out.returncode)
elif args[:1] == ["api"] and args[1].endswith("/reviews"):  # the logins that approved (a file the test writes)
    approved = os.path.join(log, "approved")
    for login in (open(approved, encoding="utf-8").read().split() if os.path.exists(approved) else []):
        print("--approver=" + login)
elif args[:1] == ["api"] and "--jq" in args:
    import re
    wanted = re.search(r'startswith\\("(.*?)"\\)', args[args.index("--jq") + 1])
    hits = [c["id"] for c in comments if wanted and c["body"].startswith(wanted[1])]
    print(hits[0] if hits else "")
json.dump(comments, open(store, "w", encoding="utf-8"))
"""


@dataclass
class StepResult:
    name: str
    outcome: str  # success | failure | skipped
    output: str = ""


@dataclass
class Runner:
    root: Path  # everything the runner writes: jobs, cache, artifacts, published site
    origin: Path  # the bare repository GitHub would hold
    workflows: Path  # the .github/workflows folder whose jobs run
    secrets: dict[str, str]
    token: str  # github.token
    event: dict = field(default_factory=dict)
    sha: str = ""
    env: dict[str, str] = field(default_factory=dict)  # what the runner machine adds (e.g. test knobs)
    log: list[StepResult] = field(default_factory=list)

    # ---- expressions ------------------------------------------------------------------------

    def evaluate(self, expr: str, ctx: dict) -> object:
        """A GitHub expression: contexts, literals, ==, !=, !, &&, || and the functions used here."""
        tokens = re.findall(r"'(?:[^']|'')*'|\d+|==|!=|&&|\|\||!|\(|\)|,|[A-Za-z_][\w.-]*", expr)
        assert "".join(tokens).replace(" ", "") == expr.replace(" ", ""), f"cannot read expression {expr!r}"
        py: list[str] = []
        for i, tok in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if tok.startswith("'"):
                py.append(repr(tok[1:-1].replace("''", "'")))
            elif tok.isdigit() or tok in ("(", ")", ",", "==", "!="):
                py.append(tok)
            elif tok in ("&&", "||", "!"):
                py.append({"&&": " and ", "||": " or ", "!": " not "}[tok])
            elif nxt == "(":
                py.append(f"fn_{tok.lower()}")
            else:
                py.append(f"ctx({tok!r})")

        def lookup(path: str) -> object:
            value: object = ctx
            for part in path.split("."):
                value = value.get(part, "") if isinstance(value, dict) else ""
            return value

        ok = ctx["job"]["status"] == "success"
        names = {"ctx": lookup, "fn_always": lambda: True, "fn_success": lambda: ok,
                 "fn_failure": lambda: not ok, "fn_cancelled": lambda: False,
                 "fn_startswith": lambda a, b: str(a).lower().startswith(str(b).lower()),
                 "fn_fromjson": json.loads}
        return eval("".join(py), {"__builtins__": {}}, names)  # noqa: S307 - tokens checked above

    def substitute(self, text: str, ctx: dict) -> str:
        def one(match: re.Match) -> str:
            value = self.evaluate(match[1].strip(), ctx)
            return json.dumps(value) if isinstance(value, (list, dict)) else str(value)

        return re.sub(r"\$\{\{(.*?)\}\}", one, text)

    def condition(self, raw: object, ctx: dict, default: str = "success()") -> bool:
        text = str(raw if raw is not None else default).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2].strip()
        if not re.search(r"\b(always|success|failure|cancelled)\(", text):
            text = f"success() && ({text})"
        return bool(self.evaluate(text, ctx))

    # ---- jobs -------------------------------------------------------------------------------

    def run_job(self, workflow: str, job_name: str, matrix: dict | None = None, run: str = "") -> str:
        """Run one job (``run`` tells two runs of it apart); returns its status (success | failure)."""
        data = yaml.safe_load((self.workflows / workflow).read_text(encoding="utf-8"))
        job = data["jobs"][job_name]
        label = f"{workflow[:-4]}-{job_name}" + "".join(f"-{v}" for v in (matrix or {}).values()) + run
        home = self.root / "jobs" / label
        assert not home.exists(), f"{label} ran twice"
        workspace, temp = home / "workspace", home / "temp"
        for folder in (workspace, temp, home / "home", home / "bin"):
            folder.mkdir(parents=True)
        (home / "bin" / "gh").write_text(GH_STUB, encoding="utf-8")
        (home / "bin" / "gh").chmod(0o755)
        (self.root / "gh").mkdir(exist_ok=True)
        ctx = {"github": {"token": self.token, "sha": self.sha, "event": self.event, "run_attempt": "1",
                          "repository": "tallybird/help", "workspace": str(workspace),
                          "server_url": "https://github.com",
                          "head_ref": ((self.event.get("pull_request") or {}).get("head") or {}).get("ref", "")},
               "secrets": self.secrets, "vars": {}, "matrix": matrix or {}, "steps": {}, "needs": {},
               "env": {}, "job": {"status": "success"}}
        if "if" in job:
            assert self.condition(job["if"], ctx), f"{label}: the job's if is false for this event"
        state = {"home": home, "workspace": workspace, "temp": temp, "path": [str(home / "bin")], "env": {}}
        for n, step in enumerate(job["steps"]):
            name = self.substitute(step.get("name") or step.get("uses") or step["run"].splitlines()[0], ctx)
            if not self.condition(step.get("if"), ctx):
                self.log.append(StepResult(f"{label}: {name}", "skipped"))
                if "id" in step:
                    ctx["steps"][step["id"]] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
                continue
            try:
                output = self.uses(step, ctx, state) if "uses" in step else self.run(step, ctx, state, n)
                outcome = "success"
            except StepFailed as exc:
                output, outcome = str(exc), "failure"
                ctx["job"]["status"] = "failure"
            if "id" in step:  # steps.<id>.outcome, as GitHub sets it (no continue-on-error here)
                ctx["steps"].setdefault(step["id"], {"outputs": {}}).update(outcome=outcome, conclusion=outcome)
            self.log.append(StepResult(f"{label}: {name}", outcome, output))
        return ctx["job"]["status"]

    def approve_in_browser(self, lang: str, login: str, commit: str, body: str = "", run: str = "") -> str:
        """A translator clicks Approve on the pull request of l10n/LANG at ``commit``: GitHub runs
        review.yml (the pull request's copy, unprivileged) and then review-record.yml from the
        default branch (workflow_run), which reads the review from the API (the gh stand-in answers
        from the objects written here). Returns review-record's status."""
        self.reviews = getattr(self, "reviews", 0) + 1
        review_id, api = 1000 + self.reviews, self.root / "gh" / "api"
        api.mkdir(parents=True, exist_ok=True)
        (api / "pulls__7.json").write_text(json.dumps(
            {"number": 7, "head": {"ref": f"l10n/{lang}", "repo": {"full_name": "tallybird/help"}}}), encoding="utf-8")
        (api / f"pulls__7__reviews__{review_id}.json").write_text(json.dumps(
            {"id": review_id, "state": "APPROVED", "user": {"login": login}, "commit_id": commit, "body": body}),
            encoding="utf-8")
        self.event = {"review": {"id": review_id, "state": "approved", "user": {"login": login},
                                 "commit_id": commit, "body": body},
                      "pull_request": {"number": 7, "head": {"ref": f"l10n/{lang}",
                                                             "repo": {"full_name": "tallybird/help"}}},
                      "repository": {"default_branch": "main"}}
        run = run or f"-{self.reviews}"
        assert self.run_job("review.yml", "note", run=run) == "success"
        self.event = {"workflow_run": {"id": review_id, "conclusion": "success", "head_branch": f"l10n/{lang}"},
                      "repository": {"default_branch": "main"}}
        status = self.run_job("review-record.yml", "approve", run=run)
        self.event = {}
        return status

    def base_env(self, ctx: dict, state: dict) -> dict[str, str]:
        return {"PATH": os.pathsep.join([*state["path"], "/usr/local/bin", "/usr/bin", "/bin"]),
                "HOME": str(state["home"] / "home"), "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8",
                "GITHUB_WORKSPACE": str(state["workspace"]), "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_SHA": self.sha, "RUNNER_TEMP": str(state["temp"]), "CI": "true",
                "GITHUB_ACTIONS": "true", "FAKE_GH_LOG": str(self.root / "gh"), **self.env, **state["env"]}

    def run(self, step: dict, ctx: dict, state: dict, n: int) -> str:
        script = state["temp"] / f"step-{n}.sh"
        script.write_text(self.substitute(step["run"], ctx), encoding="utf-8")
        env = self.base_env(ctx, state)
        env.update({k: self.substitute(str(v), ctx) for k, v in (step.get("env") or {}).items()})
        outputs, summary = state["temp"] / f"out-{n}", state["temp"] / f"summary-{n}"
        env.update(GITHUB_OUTPUT=str(outputs), GITHUB_STEP_SUMMARY=str(summary))
        cwd = state["workspace"] / step.get("working-directory", ".")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=900)
        text = proc.stdout + proc.stderr
        if "id" in step:
            lines = outputs.read_text(encoding="utf-8").splitlines() if outputs.exists() else []
            ctx["steps"][step["id"]] = {"outputs": dict(line.split("=", 1) for line in lines if "=" in line)}
        if proc.returncode != 0:
            raise StepFailed(text)
        return text

    # ---- uses: ------------------------------------------------------------------------------

    def uses(self, step: dict, ctx: dict, state: dict) -> str:
        action = step["uses"].split("@")[0]
        opts = {k: self.substitute(str(v), ctx) for k, v in (step.get("with") or {}).items()}
        handler = {"actions/checkout": self.checkout, "actions/setup-python": self.setup_python,
                   "actions/cache/restore": self.cache_restore, "actions/cache/save": self.cache_save,
                   "actions/upload-artifact": self.upload, "actions/download-artifact": self.download,
                   "actions/upload-pages-artifact": self.upload_pages,
                   "actions/deploy-pages": self.deploy_pages}.get(action)
        assert handler is not None, f"the runner has no equivalent for {action}"
        return handler(opts, ctx, state) or ""

    def git(self, cwd: Path, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
        if proc.returncode != 0:
            raise StepFailed(f"git {' '.join(args)}: {proc.stderr}")
        return proc.stdout

    def checkout(self, opts: dict, ctx: dict, state: dict) -> str:
        dest = state["workspace"] / opts.get("path", ".")
        dest.mkdir(parents=True, exist_ok=True)
        url = self.origin.as_uri()
        self.git(dest, "init", "-q")
        self.git(dest, "remote", "add", "origin", url)
        ref = opts.get("ref") or self.sha
        if opts.get("fetch-depth") == "0":
            self.git(dest, "fetch", "-q", "--prune", "--no-recurse-submodules", "origin",
                     "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*",
                     "+refs/pull/*:refs/remotes/pull/*")  # (a pull request's ref, as the action fetches it)
        else:
            self.git(dest, "fetch", "-q", "--depth=1", "origin", ref if re.fullmatch(r"[0-9a-f]{40}", ref)
                     else f"+refs/heads/{ref}:refs/remotes/origin/{ref}")
        if re.fullmatch(r"[0-9a-f]{40}", ref):
            self.git(dest, "checkout", "-q", "--force", ref)
        else:
            self.git(dest, "checkout", "-q", "--force", "-B", ref, f"refs/remotes/origin/{ref}")
        if opts.get("persist-credentials", "true").lower() != "false":  # what actions/checkout leaves behind
            import base64

            basic = base64.b64encode(f"x-access-token:{opts.get('token') or self.token}".encode()).decode()
            self.git(dest, "config", "--local", "http.https://github.com/.extraheader",
                     f"AUTHORIZATION: basic {basic}")
        return f"checked out {ref} into {dest}"

    def setup_python(self, opts: dict, ctx: dict, state: dict) -> str:
        venv = state["home"] / "python"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        # the test environment's packages (pip, setuptools, MkDocs...) without its .pth files, so
        # its editable helpglot is not importable here
        Path(purelib, "_runner_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
        state["path"].insert(0, str(venv / "bin"))
        # dependencies are already importable; the build backend is the test environment's when it can
        # build a wheel by itself (setuptools >= 70.1, or the wheel package): then nothing is fetched.
        # Otherwise pip fetches setuptools from the package index for an isolated build, as on GitHub.
        state["env"].update(PIP_NO_DEPS="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
        if offline_wheels():
            state["env"].update(PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="false")
        return f"python {opts.get('python-version')} at {venv}"

    def cache_restore(self, opts: dict, ctx: dict, state: dict) -> str:
        caches = self.root / "cache"
        keys = [opts["key"]] + [k for k in opts.get("restore-keys", "").splitlines() if k]
        for key in keys:
            hits = sorted(p for p in caches.glob("*") if p.name == key or p.name.startswith(key)) \
                if caches.is_dir() else []
            if hits:
                shutil.copytree(hits[-1], state["workspace"] / opts["path"], dirs_exist_ok=True, symlinks=True)
                return f"restored {hits[-1].name}"
        return "cache miss"

    def cache_save(self, opts: dict, ctx: dict, state: dict) -> str:
        src = state["workspace"] / opts["path"]
        if src.exists():
            shutil.copytree(src, self.root / "cache" / opts["key"], symlinks=True)
        return f"saved {opts['key']}"

    def upload(self, opts: dict, ctx: dict, state: dict) -> str:
        src = state["workspace"] / opts["path"]
        if not src.exists():
            if opts.get("if-no-files-found") == "ignore":
                return "nothing to upload"
            raise StepFailed(f"no files at {opts['path']}")
        shutil.rmtree(self.root / "artifacts" / opts["name"], ignore_errors=True)  # (a later run's own)
        if src.is_file():  # one file: the artifact holds it under its own name
            (self.root / "artifacts" / opts["name"]).mkdir(parents=True)
            shutil.copy2(src, self.root / "artifacts" / opts["name"] / src.name)
        else:
            shutil.copytree(src, self.root / "artifacts" / opts["name"], symlinks=True)
        return f"uploaded {opts['name']}"

    def download(self, opts: dict, ctx: dict, state: dict) -> str:
        if "name" in opts and "pattern" not in opts:  # one artifact: its files go into path itself
            shutil.copytree(self.root / "artifacts" / opts["name"], state["workspace"] / opts.get("path", "."),
                            symlinks=True, dirs_exist_ok=True)
            return f"downloaded {opts['name']}"
        pattern = opts.get("pattern", "*")  # several: each into path/<artifact name>
        for art in (self.root / "artifacts").glob(pattern):
            shutil.copytree(art, state["workspace"] / opts.get("path", ".") / art.name, symlinks=True)
        return f"downloaded {pattern}"

    def upload_pages(self, opts: dict, ctx: dict, state: dict) -> str:
        return self.upload({"path": opts.get("path", "_site"), "name": "github-pages"}, ctx, state)

    def deploy_pages(self, opts: dict, ctx: dict, state: dict) -> str:
        shutil.copytree(self.root / "artifacts" / "github-pages", self.root / "published")
        return "published"


class StepFailed(Exception):
    pass


def offline_wheels() -> bool:
    """Can the test environment build helpglot's wheel without the network?"""
    import importlib.metadata
    import importlib.util

    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        major, minor = (int(x) for x in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)
