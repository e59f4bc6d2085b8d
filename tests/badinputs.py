"""The bad-input matrix (issue 18, item 10): every CLI verb, fed what users and hostile branches feed it.

One case is one command line in a fresh copy of the sample (a git repository). Each case expects
a *refusal* unless it says otherwise: a non-zero exit, one ``Error:`` line that names what was
wrong (``mention``), no traceback, no hang, and the tree exactly as it was. ``run_case`` returns
the outcome as a word, so the test asserts it and ``bench/bad_inputs.py`` counts outcomes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
TIMEOUT = 90  # seconds; the slowest refusal here takes about 3

# The outcomes, best first. Only "refused" (or "reported", for a case that asks for it) passes.
OUTCOMES = ("refused", "reported", "traceback", "hang", "silent success", "changed on failure", "unclear message")


@dataclass(frozen=True)
class Case:
    """One bad command line. ``setup`` prepares the copy; ``mention`` must appear in the message."""

    id: str
    argv: tuple[str, ...]
    mention: tuple[str, ...]
    setup: Callable[[Path], None] | None = None
    git: bool = True
    # "reported": the command is meant to go on and report the bad file (exit code ``exit``),
    # e.g. `check` naming a broken translation among good ones.
    expect: str = "refused"
    exit: int | None = None
    env: dict[str, str] = field(default_factory=dict)


def _write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return setup


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_bytes(text.replace(old, new, 1).encode("utf-8", errors="surrogateescape"))
    return setup


def _both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        for step in steps:
            step(root)
    return setup


ES = "translations/es/getting-started/invite-your-team.md"
SRC = "docs/getting-started/invite-your-team.md"
# a language helpglot ships no reader strings for, with its strings file (translations/ar/.helpglot-strings.yml)
AR = _edit("mkdocs.yml", "        - locale: lt\n",
           "        - locale: ar\n          name: العربية\n        - locale: lt\n")
STRINGS = "translations/ar/.helpglot-strings.yml"
XLF = '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>\n'
TMX = '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body/></tmx>\n'

# Each verb with the arguments it needs to reach its config (the bad config cases are the same for all).
VERBS: dict[str, tuple[str, ...]] = {
    "ack": ("ack", "--force", SRC),
    "adopt": ("adopt", ES),
    "approve": ("approve", ES),
    "build": ("build", "-j", "1", "--site-dir", "out"),
    "check": ("check", "--lang", "es"),
    "codeowners": ("codeowners",),
    "export": ("export", "--lang", "es", "-o", "out.xlf"),
    "git-setup": ("git-setup",),
    "glossary export": ("glossary", "export", "--format", "tbx"),
    "glossary import": ("glossary", "import", "terms.csv"),
    "import": ("import", "in.xlf"),
    "languages": ("languages",),
    "mv": ("mv", SRC, "docs/getting-started/invite-people.md"),
    "pr-body": ("pr-body", "--lang", "es"),
    "queue": ("queue",),
    "rm": ("rm", SRC),
    "serve": ("serve", "--lang", "es"),
    "status": ("status",),
    "sync-branch": ("sync-branch", "--lang", "es", "--no-push"),
    "tm export": ("tm", "export", "--lang", "es", "-o", "out.tmx"),
    "tm import": ("tm", "import", "in.tmx"),
    "translate": ("translate", "--lang", "es"),
    "verify-reviews": ("verify-reviews", "--lang", "es", "--base", "HEAD"),
}
_INPUTS = _both(_write("terms.csv", "term,es\ninvoice,factura\n"), _write("in.xlf", XLF), _write("in.tmx", TMX))

CONFIGS: dict[str, tuple[Callable[[Path], None] | None, tuple[str, ...], tuple[str, ...]]] = {
    # name: (setup, extra argv before the verb's own, mention)
    "missing -f": (None, ("-f", "nope.yml"), ("nope.yml",)),
    "yaml syntax": (_edit("mkdocs.yml", "site_name: Tallybird Help Center", "site_name: [Tallybird"),
                    (), ("mkdocs.yml",)),
    # a lone surrogate is written as the invalid byte 0xFF
    "not utf-8": (_edit("mkdocs.yml", "site_name: Tallybird Help Center", "site_name: Tallybird\udcff"),
                  (), ("mkdocs.yml",)),
    "bad formality": (_edit("mkdocs.yml", "es: {formality: prefer_less", "es: {formality: loud"),
                      (), ("formality",)),
    "undeclared language": (_edit("mkdocs.yml", "        lt: {formality",
                                  "        xx: {formality: more}\n        lt: {formality"),
                            (), ("xx",)),
}


def _config_cases() -> list[Case]:
    cases = []
    for verb, argv in VERBS.items():
        words = len(verb.split())
        for name, (setup, extra, mention) in CONFIGS.items():
            cases.append(Case(f"{verb}: config {name}", (*argv[:words], *extra, *argv[words:]), mention,
                              _both(_INPUTS, setup) if setup else _INPUTS))
    return cases


def _no_helpglot(root: Path) -> None:
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - helpglot:")], encoding="utf-8")


def _verb_cases() -> list[Case]:
    c = Case
    w = _write
    return [
        # ack
        c("ack: missing source", ("ack", "docs/nope.md"), ("docs/nope.md",)),
        c("ack: a translation as source", ("ack", ES), (ES,)),
        c("ack: block 0", ("ack", "--force", "--block", "0", SRC), ("--block",)),
        c("ack: block past the end", ("ack", "--force", "--block", "999", SRC), ("999",)),
        c("ack: undeclared language", ("ack", "--force", "--lang", "xx", SRC), ("xx",)),
        c("ack: a folder", ("ack", "docs/getting-started"), ("getting-started",)),
        c("ack: outside the project", ("ack", "../outside.md"), ("outside.md",)),
        c("ack: nothing to acknowledge", ("ack", SRC), (SRC,)),
        # adopt
        c("adopt: missing path", ("adopt", "translations/es/nope.md"), ("nope.md",)),
        c("adopt: an English source", ("adopt", SRC), (SRC,)),
        c("adopt: outside the project", ("adopt", "/etc/passwd"), ("/etc/passwd",)),
        # (adopt takes many files: it reports each one it refuses, adopts the rest and exits 1)
        c("adopt: not utf-8", ("adopt", ES), ("invite-your-team.md", "UTF-8"),
          w(ES, b"---\ntitle: Inv\xff\n---\n\nx\n"), expect="reported", exit=1),
        c("adopt: broken front matter", ("adopt", ES), ("invite-your-team.md", "front matter"),
          w(ES, "---\ntitle: [x\n---\n\nHola.\n"), expect="reported", exit=1),
        c("adopt: orphan translation", ("adopt", "translations/es/orphan.md"), ("orphan.md", "does not exist"),
          w("translations/es/orphan.md", "# Huérfano\n\nHola.\n"), expect="reported", exit=1),
        # approve
        c("approve: missing path", ("approve", "translations/es/nope.md"), ("nope.md",)),
        c("approve: blocks not numbers", ("approve", "--blocks", "abc", ES), ("--blocks",)),
        c("approve: blocks backwards", ("approve", "--blocks", "5-2", ES), ("5-2",)),
        c("approve: block past the end", ("approve", "--blocks", "999", ES), ("999",)),
        c("approve: force without reason", ("approve", "--force", ES), ("--reason",)),
        c("approve: unknown seen commit", ("approve", "--seen", "0123abc", ES), ("0123abc",)),
        c("approve: not a translator", ("approve", "--require-translator", "--reviewer", "mallory", ES),
          ("mallory",)),
        c("approve: an English source", ("approve", SRC), (SRC,)),
        c("approve: reader strings with markup", ("approve", "--reviewer", "r", STRINGS), (f"{STRINGS}:3", "'<'"),
          _both(AR, w(STRINGS, "strings:\n  skip:\n    text: '<b>x</b>'\n    status: machine\n"
                               "    en: Skip to content\n"))),
        # build
        c("build: undeclared language", ("build", "--lang", "xx"), ("xx",)),
        c("build: zero jobs", ("build", "-j", "0"), ("--jobs",)),
        c("build: into docs", ("build", "--site-dir", "docs"), ("docs",)),
        c("build: into translations", ("build", "--site-dir", "translations"), ("translations",)),
        c("build: into the project", ("build", "--site-dir", "."), ("site",)),
        c("build: missing withhold report", ("build", "--withhold", "nope.json"), ("nope.json",)),
        c("build: withhold report not json", ("build", "--withhold", "report.json"), ("report.json",),
          w("report.json", "{not json")),
        c("build: withhold report of another shape", ("build", "--withhold", "report.json"), ("report.json",),
          w("report.json", '{"files": 5}')),
        # check
        c("check: missing path", ("check", "translations/es/nope.md"), ("nope.md",)),
        c("check: undeclared language", ("check", "--lang", "xx"), ("xx",)),
        c("check: missing glossary", ("check", "--glossary", "nope.yml"), ("nope.yml",)),
        c("check: glossary not yaml", ("check", "--glossary", "g.yml"), ("g.yml",), w("g.yml", "terms: [x\n")),
        c("check: glossary of the wrong shape", ("check", "--glossary", "g.yml"), ("g.yml",), w("g.yml", "- 5\n")),
        c("check: unknown format", ("check", "--format", "xml"), ("--format",)),
        c("check: translation not utf-8", ("check", "--lang", "es"), ("invite-your-team.md",),
          w(ES, b"---\ntitle: Inv\xff\n---\n\nx\n"), expect="reported", exit=1),
        c("check: translation with broken front matter", ("check", "--lang", "es"), ("invite-your-team.md",),
          w(ES, "---\ntitle: [x\n---\n\nHola.\n"), expect="reported", exit=1),
        c("check: glossary dir not utf-8", ("check", "--lang", "es"), ("terms.yml",),
          w("glossary/terms.yml", b"terms:\n  - en: inv\xffoice\n")),
        # codeowners
        c("codeowners: .github is a file", ("codeowners",), (".github",), w(".github", "not a folder\n")),
        c("codeowners: check finds it out of date", ("codeowners", "--check"), ("CODEOWNERS",),
          expect="reported", exit=1),
        c("codeowners: broken markers", ("codeowners",), ("CODEOWNERS",),
          w(".github/CODEOWNERS", "* @someone-by-hand\n# BEGIN helpglot\n# BEGIN helpglot\n")),
        # export
        c("export: undeclared language", ("export", "--lang", "xx"), ("xx",)),
        c("export: the source language", ("export", "--lang", "en"), ("en",)),
        c("export: missing article", ("export", "--lang", "es", "--article", "nope.md"), ("nope.md",)),
        c("export: output under a file", ("export", "--lang", "es", "-o", "mkdocs.yml/x.xlf"), ("mkdocs.yml",)),
        c("export: output over a source", ("export", "--lang", "es", "-o", SRC), (SRC,)),
        c("export: output over a translation", ("export", "--lang", "es", "-o", ES), (ES,)),
        c("export: copy-source for po", ("export", "--lang", "es", "--format", "po", "--copy-source"),
          ("--copy-source",)),
        # git-setup
        c("git-setup: not a git repository", ("git-setup",), ("git",), git=False),
        # glossary export
        c("glossary export: deepl without a language", ("glossary", "export", "--format", "deepl"), ("--lang",)),
        c("glossary export: deepl with two",
          ("glossary", "export", "--format", "deepl", "--lang", "es", "--lang", "ro"),
          ("--lang",)),
        c("glossary export: undeclared language", ("glossary", "export", "--format", "tbx", "--lang", "xx"), ("xx",)),
        c("glossary export: output is a folder", ("glossary", "export", "--format", "csv", "-o", "docs"), ("docs",)),
        c("glossary export: output over the term base", ("glossary", "export", "--format", "csv", "-o",
                                                          "glossary/terms.yml"), ("terms.yml",)),
        # glossary import
        c("glossary import: missing file", ("glossary", "import", "nope.csv"), ("nope.csv",)),
        c("glossary import: unknown language column", ("glossary", "import", "t.csv"), ("xx",),
          w("t.csv", "en,xx\ninvoice,fak\n")),
        c("glossary import: csv without an en column", ("glossary", "import", "t.csv"), ("t.csv",),
          w("t.csv", "es,ro\nfactura,factură\n")),
        c("glossary import: tbx not xml", ("glossary", "import", "t.tbx"), ("t.tbx",), w("t.tbx", "<martif><body>")),
        c("glossary import: tbx with an external entity", ("glossary", "import", "t.tbx"), ("t.tbx",),
          w("t.tbx", '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<martif>&x;</martif>\n')),
        c("glossary import: guide without a language", ("glossary", "import", "GUIDE.md"), ("--lang",),
          w("GUIDE.md", "# Guía\n\n* invoice: factura\n")),
        c("glossary import: unsupported format", ("glossary", "import", "t.docx"), ("t.docx",),
          w("t.docx", b"PK\x03\x04")),
        c("glossary import: csv not utf-8", ("glossary", "import", "t.csv"), ("t.csv",),
          w("t.csv", b"en,es\ninvoice,fact\xffura\n")),
        # import
        c("import: missing file", ("import", "nope.xlf"), ("nope.xlf",)),
        c("import: empty file", ("import", "e.xlf"), ("e.xlf",), w("e.xlf", "")),
        c("import: not xml", ("import", "e.xlf"), ("e.xlf",), w("e.xlf", "hello\n")),
        c("import: a folder", ("import", "docs"), ("docs",)),
        c("import: po garbage", ("import", "e.po"), ("e.po",), w("e.po", 'msgid "x\nmsgstr\n')),
        c("import: unknown extension", ("import", "e.txt"), ("e.txt",), w("e.txt", "x\n")),
        c("import: xliff for an undeclared language", ("import", "e.xlf"), ("xx",),
          w("e.xlf", '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                     '<file original="index.md" source-language="en" target-language="xx" datatype="x-markdown">'
                     '<body/></file></xliff>\n')),
        c("import: --lang disagrees with the file", ("import", "--lang", "ro", "e.xlf"), ("ro",),
          w("e.xlf", '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                     '<file original="index.md" source-language="en" target-language="es" datatype="x-markdown">'
                     '<body/></file></xliff>\n')),
        # languages
        c("languages: no mkdocs.yml here", ("languages",), ("mkdocs.yml",),
          lambda root: (root / "mkdocs.yml").unlink()),
        c("languages: an unknown plugin", ("languages",), ("unused_helpglot_settings",),
          _edit("mkdocs.yml", "  - helpglot:\n", "  - unused_helpglot_settings:\n")),
        c("languages: no helpglot plugin", ("languages",), ("helpglot",), _no_helpglot),
        # merge
        c("merge: missing part", ("merge", "nope"), ("nope",)),
        c("merge: a part that is not a built site", ("merge", "docs"), ("docs",)),
        c("merge: into a part", ("merge", "-d", "parts/en", "parts/en"), ("parts/en",),
          w("parts/en/index.html", "<html></html>\n")),
        c("merge: into the sources", ("merge", "-d", "translations", "parts/en"), ("translations",),
          w("parts/en/index.html", "<html></html>\n")),
        # merge-driver
        c("merge-driver: missing files", ("merge-driver", "a", "b", "c"), ("a",)),
        c("merge-driver: binary files", ("merge-driver", "a", "b", "c", ES), ("a",),
          _both(w("a", b"\x00\xff"), w("b", b"\x00\xfe"), w("c", b"\x00\xfd"))),
        # mv
        c("mv: missing article", ("mv", "docs/nope.md", "docs/new.md"), ("docs/nope.md",)),
        c("mv: over an existing article", ("mv", SRC, "docs/index.md"), ("docs/index.md",)),
        c("mv: into translations", ("mv", SRC, "translations/es/x.md"), ("translations/es/x.md",)),
        c("mv: onto itself", ("mv", SRC, SRC), (SRC,)),
        c("mv: not markdown", ("mv", SRC, "docs/getting-started/x.txt"), ("x.txt",)),
        c("mv: a translation", ("mv", ES, "translations/es/x.md"), (ES,)),
        c("mv: up and out", ("mv", SRC, "docs/../../x.md"), ("x.md",)),
        # pr-body
        c("pr-body: undeclared language", ("pr-body", "--lang", "xx"), ("xx",)),
        c("pr-body: the source language", ("pr-body", "--lang", "en"), ("en",)),
        # queue
        c("queue: undeclared language", ("queue", "--lang", "xx"), ("xx",)),
        c("queue: max-chars too small", ("queue", "--format", "markdown", "--max-chars", "10"), ("--max-chars",)),
        c("queue: unknown format", ("queue", "--format", "xml"), ("--format",)),
        # rm
        c("rm: missing article", ("rm", "docs/nope.md"), ("docs/nope.md",)),
        c("rm: a translation", ("rm", ES), (ES,)),
        c("rm: a folder", ("rm", "docs/getting-started"), ("getting-started",)),
        c("rm: outside the project", ("rm", "/etc/hostname"), ("/etc/hostname",)),
        c("rm: the config", ("rm", "mkdocs.yml"), ("mkdocs.yml",)),
        # serve
        c("serve: address without a port", ("serve", "-a", "localhost"), ("localhost",)),
        c("serve: port out of range", ("serve", "-a", "127.0.0.1:99999"), ("99999",)),
        c("serve: undeclared language", ("serve", "--lang", "xx"), ("xx",)),
        c("serve: zero jobs", ("serve", "-j", "0"), ("--jobs",)),
        # status
        c("status: missing path", ("status", "docs/nope.md"), ("nope.md",)),
        c("status: unknown state", ("status", "--fail-on", "bogus"), ("bogus",)),
        c("status: html over the config", ("status", "--html", "mkdocs.yml"), ("mkdocs.yml",)),
        c("status: html over a source", ("status", "--html", SRC), (SRC,)),
        c("status: undeclared language", ("status", "--lang", "xx"), ("xx",)),
        c("status: negative limit", ("status", "--limit", "-1"), ("--limit",)),
        c("status: a translation not utf-8", ("status", "--fail-on", "error"), ("invite-your-team.md",),
          w(ES, b"---\ntitle: Inv\xff\n---\n\nx\n"), expect="reported", exit=2),
        # sync-branch
        c("sync-branch: not a git repository", ("sync-branch", "--lang", "es", "--no-push"), ("git",), git=False),
        c("sync-branch: unknown remote", ("sync-branch", "--lang", "es", "--remote", "nope", "--no-push"), ("nope",)),
        c("sync-branch: unknown base", ("sync-branch", "--lang", "es", "--base", "nope", "--no-push"), ("nope",)),
        c("sync-branch: unknown engine", ("sync-branch", "--lang", "es", "--engine", "nope", "--no-push"), ("nope",)),
        c("sync-branch: undeclared language", ("sync-branch", "--lang", "xx", "--no-push"), ("xx",)),
        c("sync-branch: the source language", ("sync-branch", "--lang", "en", "--no-push"), ("en",)),
        # tm export / import
        c("tm export: undeclared language", ("tm", "export", "--lang", "xx"), ("xx",)),
        c("tm export: output under a file", ("tm", "export", "--lang", "es", "-o", "mkdocs.yml/x.tmx"),
          ("mkdocs.yml",)),
        c("tm export: output over a translation", ("tm", "export", "--lang", "es", "-o", ES), (ES,)),
        c("tm import: missing file", ("tm", "import", "nope.tmx"), ("nope.tmx",)),
        c("tm import: not xml", ("tm", "import", "t.tmx"), ("t.tmx",), w("t.tmx", "hello")),
        c("tm import: entity expansion", ("tm", "import", "t.tmx"), ("t.tmx",),
          w("t.tmx", '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                     '\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv>'
                     '</tu></body></tmx>\n')),
        c("tm import: undeclared language only", ("tm", "import", "t.tmx"), ("t.tmx",),
          w("t.tmx", '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body><tu>'
                     '<tuv xml:lang="en"><seg>Invoice</seg></tuv><tuv xml:lang="xx"><seg>Fak</seg></tuv>'
                     '</tu></body></tmx>\n')),
        c("tm import: undeclared --lang", ("tm", "import", "--lang", "xx", "in.tmx"), ("xx",), w("in.tmx", TMX)),
        # translate
        c("translate: unknown engine", ("translate", "--engine", "nope"), ("nope",)),
        c("translate: undeclared language", ("translate", "--lang", "xx"), ("xx",)),
        c("translate: missing path", ("translate", "docs/nope.md"), ("nope.md",)),
        c("translate: deepl without a key", ("translate", "--lang", "ro"), ("DEEPL_AUTH_KEY",)),
        c("translate: a translation as source", ("translate", ES), (ES,)),
        c("translate: reader strings lose a placeholder", ("translate", "--lang", "ar"), (f"{STRINGS}:4", "{date}"),
          _both(AR, w(STRINGS, "strings:\n  stale_text:\n    status: machine\n    text: x\n    en: 'The English "
                               "article was updated on {date}; this translation may be out of date.'\n"))),
        c("translate: source not utf-8", ("translate", "--lang", "es"), ("invite-your-team.md",),
          w(SRC, b"# Invite\xff\n\nx\n")),
        # verify-reviews
        c("verify-reviews: unknown base", ("verify-reviews", "--lang", "es", "--base", "nope"), ("nope",)),
        c("verify-reviews: undeclared language", ("verify-reviews", "--lang", "xx", "--base", "HEAD"), ("xx",)),
        c("verify-reviews: not a git repository", ("verify-reviews", "--lang", "es", "--base", "HEAD"), ("git",),
          git=False),
    ]


CASES: list[Case] = _config_cases() + _verb_cases()


# -- running ----------------------------------------------------------------------------------------

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "W",
           "GIT_AUTHOR_EMAIL": "w@x", "GIT_COMMITTER_NAME": "W", "GIT_COMMITTER_EMAIL": "w@x"}
SAMPLE_PARTS = ("mkdocs.yml", "docs", "translations", "glossary")


def make_template(dest: Path, sample: Path) -> Path:
    """The sample committed in a new repository whose ``origin`` is a bare one beside it (shared by the
    copies: no case may push); every case starts from a copy of the repository."""
    repo = dest / "repo"
    repo.mkdir(parents=True)
    for name in SAMPLE_PARTS:
        src = sample / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, repo / name)
    origin = dest / "origin.git"
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "W"), ("config", "user.email", "w@x"),
                 ("add", "-A"), ("commit", "-qm", "sample"), ("init", "-q", "--bare", str(origin)),
                 ("remote", "add", "origin", str(origin)), ("push", "-q", "origin", "main")):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    return repo


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the tree and of git's refs and config (path -> sha256; links by their target).

    Not compared: ``.helpglot/``, helpglot's own gitignored locks and caches. A run may fill its
    cache before it fails (that is how a rerun avoids paying DeepL twice); nothing in it is a file
    a person wrote or git tracks."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d != ".helpglot"]
        if rel_dir == ".git":  # objects are append-only; the index and logs move on any read
            dirnames[:] = [d for d in dirnames if d == "refs"]
            filenames = [f for f in filenames if f in ("HEAD", "config", "packed-refs")]
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            found[rel] = ("-> " + os.readlink(path)) if path.is_symlink() else \
                hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass(frozen=True)
class Result:
    outcome: str
    exit: int | None
    output: str
    changed: tuple[str, ...]


def run_case(case: Case, template: Path, work: Path) -> Result:
    """Copy the template, apply the case's setup, run the command and judge what happened."""
    root = work / "repo"
    shutil.copytree(template, root, symlinks=True)
    if not case.git:
        shutil.rmtree(root / ".git")
    if case.setup:
        case.setup(root)
    before = snapshot(root)
    env = {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1", **case.env}
    env.pop("DEEPL_AUTH_KEY", None)
    try:
        proc = subprocess.run([str(BIN / "helpglot"), *case.argv], cwd=root, capture_output=True, text=True,
                              env=env, timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired as stop:
        return Result("hang", None, str(stop.stdout or "") + str(stop.stderr or ""), ())
    after = snapshot(root)
    changed = tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))
    output = proc.stdout + proc.stderr
    return Result(judge(case, proc.returncode, proc.stderr, output, changed), proc.returncode, output, changed)


def judge(case: Case, code: int, stderr: str, output: str, changed: tuple[str, ...]) -> str:
    if "Traceback (most recent call last)" in output:
        return "traceback"
    named = all(word.lower() in output.lower() for word in case.mention)
    if case.expect == "reported":
        if changed:
            return "changed on failure"
        return "reported" if code == case.exit and named else ("silent success" if code == 0 else "unclear message")
    if code == 0:
        return "silent success"
    if changed:
        return "changed on failure"
    errors = [line for line in stderr.splitlines() if line.startswith("Error")]
    return "refused" if len(errors) == 1 and named else "unclear message"

