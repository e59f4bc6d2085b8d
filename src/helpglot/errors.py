"""One error type for everything a user can act on.

Deriving from :class:`click.ClickException` means the CLI prints the message
and exits non-zero without a traceback; the MkDocs plugin re-raises the same
message as a ``PluginError`` so ``mkdocs build`` behaves the same way.
"""

from __future__ import annotations

import re

import click

# line breaks a reader of the output (GitHub's runner included) would start a new line at, and the
# other control characters a file name can carry
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_COMMAND = re.compile(r"(^|[\r\n\x85\u2028\u2029])([^\S\r\n\x85\u2028\u2029]*)(::|##\[)")


def one_line(text: str) -> str:
    """A file name or value shown inside one line of output: control characters written as escapes
    (``\\n``), so a name with a line break cannot start a line of its own."""
    return _CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r"}.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def no_commands(text: str) -> str:
    """Output no CI runner takes for a workflow command: GitHub Actions acts on any line of a step's
    output that starts with ``::`` (``::warning::``, ``::stop-commands::``, ``::add-mask::``) or
    ``##[``; such a line (a file name with a line break in a message) gets ``| `` in front."""
    return _COMMAND.sub(lambda m: f"{m.group(1)}{m.group(2)}| {m.group(3)}", text)


class HelpglotError(click.ClickException):
    """Bad input or a setting the user must fix; the message names where and how."""

    exit_code = 2

    def format_message(self) -> str:
        return no_commands(self.message)


class ConfigError(HelpglotError):
    """A setting in mkdocs.yml is wrong."""


class ContentError(HelpglotError):
    """A Markdown file (front matter, fences, encoding) is broken."""
