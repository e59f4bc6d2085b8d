"""Every CLI command has help text and is documented (sqlite-utils style)."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from conftest import ROOT
from helpglot.cli import main


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found.extend(commands(command, prefix + name + " "))
    return found


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in commands(main):
        assert command.help and len(command.help.strip()) > 20, name
        result = runner.invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help"


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _command in commands(main):
        assert re.search(rf"`helpglot {re.escape(name)}\b", readme), f"`helpglot {name}` not in README.md"


def test_the_merge_driver_command_line_git_runs_starts(tmp_path):
    """git runs the driver as ``python -m helpglot.cli`` (branch.DRIVER), a second import of the CLI."""
    import shlex
    import subprocess

    from helpglot.review import branch

    argv = shlex.split(branch.DRIVER.split(" merge-driver")[0]) + ["merge-driver", "--help"]
    proc = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "BASE OURS THEIRS" in proc.stdout
