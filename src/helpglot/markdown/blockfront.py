"""Front matter as the block parser reads it: the reader-facing values (title, description)
become blocks with exact offsets, everything else is skeleton.

A mixin of :class:`helpglot.markdown.blockrules._Parser` (it records through ``self.add``),
kept apart so the block rules read in one sitting.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import yaml

from helpglot.markdown import frontmatter
from helpglot.markdown.blocklines import (  # the line vocabulary (see there)
    _NEWLINE,
    _error,
)
from helpglot.markdown.blocks import READER_KEYS

_FM_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)[ \t]*")
_FM_QUOTED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> object:
    """The front matter's data: the fast path for simple front matter, PyYAML otherwise."""
    data = frontmatter.load(text)
    if data is not None:
        return data
    return yaml.load(text, Loader=_YAML_LOADER)


class FrontMatterRules:
    """The front-matter rules of the block parser."""

    def front_matter(self, parts: list[str], starts: list[int]) -> tuple[int, tuple[int, int] | None]:
        """Reader-facing values of the YAML front matter; returns the first body line.

        Works on the raw lines (``parts``, at offsets ``starts``), not on :class:`_Line` objects:
        only the span and the reader keys' lines matter here."""
        if not parts or parts[0].rstrip() != "---":
            return 0, None
        close = next((k for k in range(1, len(parts)) if parts[k].rstrip() in ("---", "...")), None)
        if close is None:
            raise _error(self.path, 1, "front matter opened with '---' is never closed; add a "
                         "'---' line after the last key")
        fm_start, fm_end = starts[1 if close > 1 else close], starts[close]
        try:
            data = _load_yaml(self.text[fm_start:fm_end])
        except yaml.YAMLError as exc:
            # at the end of the YAML (an unclosed quote or bracket) the start is where to look
            mark = getattr(exc, "problem_mark", None)
            if mark is None or mark.index >= fm_end - fm_start:
                mark = getattr(exc, "context_mark", None) or mark
            line = bisect_right(self.line_starts, fm_start + mark.index) if mark else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _error(self.path, line, f"broken front matter: {problem}; fix the YAML") from None
        if data is not None and not isinstance(data, dict):
            raise _error(self.path, 2, "front matter must be a mapping of keys to values")
        self.fm_data = data or {}
        for k in range(1, close):
            if not parts[k].startswith(READER_KEYS):  # (a cheap test first: most lines are not)
                continue
            match = _FM_KEY.match(parts[k])
            key = match.group(1) if match else ""
            if match and key in READER_KEYS and isinstance((data or {}).get(key), str):
                # YAML folds more-indented lines into the value ("description: >", a long one)
                last = k + 1
                while last < close and (not parts[last].strip(" \t") or parts[last][0] in " \t"):
                    last += 1
                self.meta(starts[k] + match.end(), starts[last - 1] + len(parts[last - 1]), key)
        return close + 1, (fm_start, fm_end)

    def meta(self, start: int, end: int, key: str) -> None:
        """The span of a YAML scalar's text: inside its quotes, below a ``|``/``>`` indicator line,
        before a ``# comment``."""
        raw = self.text[start:end]
        quoted = _FM_QUOTED.get(raw[:1])
        if quoted:
            match = quoted.match(raw)
            if match:
                self.add("meta", start + 1, start + match.end() - 1, key)
            return
        if raw[:1] in "|>":
            start += len(_NEWLINE.split(raw, 1)[0])
        else:
            comment = re.search(r"[ \t]#", raw)
            end = start + comment.start() if comment else end
        self.add("meta", start, end, key)
