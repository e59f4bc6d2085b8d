"""The answers kept per translation file (publish decision, review date) are recomputed as soon as
the file or its source changes, and never taken from a cache git tracks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpglot.site.filefacts import FileFacts


def test_an_answer_is_kept_until_the_file_or_its_source_changes(tmp_path: Path) -> None:
    path, source, cache = tmp_path / "x.es.md", tmp_path / "x.md", tmp_path / "facts.json"
    path.write_text("uno\n", encoding="utf-8")
    source.write_text("one\n", encoding="utf-8")
    calls: list[str] = []

    def ask(facts: FileFacts) -> str:
        return facts.get("q", path, source, lambda: calls.append("computed") or path.read_text(encoding="utf-8"))

    first = FileFacts(cache, "code-1")
    assert ask(first) == "uno\n" and calls == ["computed"]
    first.save()
    assert ask(FileFacts(cache, "code-1")) == "uno\n" and calls == ["computed"]  # from the cache
    assert ask(FileFacts(cache, "code-2")) == "uno\n" and len(calls) == 2  # other code: cold
    path.write_text("dos, más largo\n", encoding="utf-8")
    assert ask(FileFacts(cache, "code-1")) == "dos, más largo\n" and len(calls) == 3
    first = FileFacts(cache, "code-1")
    ask(first)
    first.save()
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # the source saved again
    ask(FileFacts(cache, "code-1"))
    assert len(calls) == 5


def test_a_cache_git_tracks_is_not_read(tmp_path: Path) -> None:
    path, cache = tmp_path / "x.es.md", tmp_path / "facts.json"
    path.write_text("uno\n", encoding="utf-8")
    facts = FileFacts(cache, "c")
    facts.get("q", path, None, lambda: "computed")
    facts.save()
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "facts.json"], cwd=tmp_path, check=True)
    assert FileFacts(cache, "c").get("q", path, None, lambda: "again") == "again"
