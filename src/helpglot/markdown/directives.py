"""Removing helpglot's own ``<!-- helpglot: ... -->`` comments, as the build does.

Lives below both the build (``site``) and ``check`` (``qa``) so that the two strip them
with the very same code: whatever a stripped comment joins together
(``<scr<!-- helpglot: x -->ipt>`` becomes ``<script>``) is what the sanitiser sees in
both places.
"""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"<!--\s*helpglot:.*?-->", re.S)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def strip_directives(markdown: str) -> str:
    """The Markdown without helpglot's own comments (``<!-- helpglot: ignore ... -->``).

    They are for the QA checks, never for readers: left in, Python-Markdown ends a list at
    one (the numbering restarts after it) and publishes its reason in the HTML. A line that
    held only such a comment goes entirely, so the blocks around it render as if it had never
    been there. Code fences are left alone (an article may show the syntax)."""
    if "helpglot:" not in markdown:
        return markdown
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opener:
            fence = opener.group(1)
            out.append(line)
            continue
        stripped = _DIRECTIVE.sub("", line)
        if stripped != line and not stripped.strip():
            continue
        out.append(stripped)
    return "".join(out)
