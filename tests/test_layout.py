"""The package layout is a contract: stages import only downwards, no cycles, nothing below
``site/`` imports MkDocs, modules stay readable, and the public surface of the old flat
layout (entry points, the merge driver command line in users' git configs, the plug-in
interfaces) keeps working. See src/helpglot/README.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "helpglot"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
STAGES = ("markdown", "tracking", "terms", "drafting", "qa", "review", "site", "cli")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_are_kept() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout


@pytest.mark.parametrize("importer, imported, contract", [
    ("markdown/blocks.py", "from helpglot.tracking import provenance", "Stages import only downwards"),
    ("qa/runner.py", "import mkdocs.config", "Below site/ nothing imports MkDocs"),
    ("tracking/align.py", "from helpglot.tracking import status", "No import cycle"),
])
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, importer: str, imported: str, contract: str) -> None:
    """The contracts catch what they promise to (a copy of the package with one bad import)."""
    copy = tmp_path / "repo"
    (copy / "src").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(PKG), str(copy / "src")], check=True)
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    target = copy / "src" / "helpglot" / importer
    target.write_text(target.read_text(encoding="utf-8") + f"\n{imported}  # noqa\n", encoding="utf-8")
    env_path = f"{copy / 'src'}"
    proc = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=copy, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    text = " ".join(proc.stdout.split())  # lint-imports wraps long contract names
    verdicts = dict(re.findall(r"([A-Z][^\n]*?) (KEPT|BROKEN)(?= |$)", text.split("Contracts ---------")[-1]))
    assert [verdict for name, verdict in verdicts.items() if name.strip().split(" -")[-1].strip().startswith(contract)
            or contract in name] == ["BROKEN"], text


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py"))


def test_no_module_is_over_400_lines_and_the_plugin_is_a_thin_adapter() -> None:
    sizes = {str(p.relative_to(PKG)): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    long = {name: n for name, n in sizes.items() if n > 400}
    assert long == {}
    assert len((PKG / "site" / "plugin.py").read_text(encoding="utf-8").splitlines()) <= 300


def test_every_stage_is_a_package_with_a_docstring_and_a_line_in_the_map() -> None:
    readme = (PKG / "README.md").read_text(encoding="utf-8")
    for stage in STAGES:
        init = PKG / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage
        assert f"`{stage}/`" in readme, stage
    flat = sorted(p.name for p in PKG.glob("*.py"))
    for module in flat:
        assert f"`{module}`" in readme or module == "__init__.py", module


def test_the_merge_driver_line_old_configs_hold_still_merges(tmp_path: Path) -> None:
    """``helpglot git-setup`` wrote ``python -m helpglot.cli merge-driver %O %A %B %P`` into users'
    git configs before the package was regrouped; git still runs it, and it still merges."""
    import shlex

    from helpglot.markdown.segment import parse

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    git("config", "merge.helpglot.driver", f"{shlex.quote(sys.executable)} -m helpglot.cli merge-driver %O %A %B %P")
    (repo / ".gitattributes").write_text("translations/**/*.md merge=helpglot\n", encoding="utf-8")
    page = repo / "translations" / "es" / "a.md"
    page.parent.mkdir(parents=True)
    base = "# Título\n\nPrimer párrafo.\n\nSegundo párrafo.\n"
    page.write_text(base, encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    page.write_text(base.replace("Segundo párrafo.", "Segundo párrafo, revisado."), encoding="utf-8")
    git("commit", "-qam", "other")
    git("checkout", "-q", "main")
    page.write_text(base.replace("Primer párrafo.", "Primer párrafo, revisado."), encoding="utf-8")
    git("commit", "-qam", "main")
    proc = subprocess.run(["git", "-C", str(repo), "merge", "--no-edit", "-q", "other"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    merged = page.read_text(encoding="utf-8")
    assert "Primer párrafo, revisado." in merged and "Segundo párrafo, revisado." in merged
    assert "<<<<<<<" not in merged
    assert parse(merged).text == merged


def test_plug_ins_written_against_the_old_paths_keep_importing() -> None:
    """Third-party engines and checks import ``helpglot.engines.base`` / ``helpglot.checks.base``."""
    code = (
        "from helpglot.engines.base import Engine, EngineError, EngineOptions, GlossaryPair, Request\n"
        "from helpglot.checks.base import Check, Finding, Pair, ERROR, WARNING\n"
        "import helpglot.drafting.engines.base as e, helpglot.qa.checks.base as c\n"
        "assert Engine is e.Engine and Request is e.Request and GlossaryPair is e.GlossaryPair\n"
        "assert Check is c.Check and Finding is c.Finding and ERROR == 'error'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_entry_points_resolve_to_the_regrouped_modules() -> None:
    from importlib.metadata import entry_points

    for group in ("helpglot.engines", "helpglot.checks", "console_scripts", "mkdocs.plugins"):
        for ep in entry_points(group=group):
            if ep.value.startswith("helpglot"):
                assert ep.load() is not None, ep
    names = {ep.name for ep in entry_points(group="mkdocs.plugins") if ep.value.startswith("helpglot")}
    assert names == {"helpglot"}


# distribution name -> the module it is imported as
IMPORT_NAMES = {"mkdocs-material": "material", "mkdocs-static-i18n": "mkdocs_static_i18n",
                "pymdown-extensions": "pymdownx", "pyyaml": "yaml", "py3langid": "py3langid",
                "translate-toolkit": "translate"}


def test_every_declared_dependency_is_imported() -> None:
    """Declare only what the package uses (markdown-it-py and mdit-py-plugins were declared unused)."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    imported: set[str] = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    unused = []
    for dep in deps:
        name = re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower()
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        if module not in imported:
            unused.append(name)
    assert unused == []
