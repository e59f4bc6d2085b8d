"""The answers kept per file (publish decision, review date, hash) are recomputed as soon as the
file or its source changes, never kept for a file saved a moment ago, and never taken from a
cache git tracks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpglot.site.filefacts import FileFacts

HOUR = 3600 * 10**9


def write(path: Path, text: str, hours_ago: int) -> None:
    path.write_text(text, encoding="utf-8")
    when = path.stat().st_mtime_ns - hours_ago * HOUR  # the file system's clock, not the process's
    os.utime(path, ns=(when, when))


def test_an_answer_is_kept_until_the_file_or_its_source_changes(tmp_path: Path) -> None:
    path, source, cache = tmp_path / "x.es.md", tmp_path / "x.md", tmp_path / "facts.json"
    write(path, "uno\n", 5)
    write(source, "one\n", 5)
    calls: list[str] = []

    def ask(facts: FileFacts) -> str:
        return facts.get("q", path, source, lambda: calls.append("computed") or path.read_text(encoding="utf-8"))

    first = FileFacts(cache, "code-1")
    assert ask(first) == "uno\n" and calls == ["computed"]
    first.save()
    assert ask(FileFacts(cache, "code-1")) == "uno\n" and calls == ["computed"]  # from the cache
    assert ask(FileFacts(cache, "code-2")) == "uno\n" and len(calls) == 2  # other code: cold
    write(path, "dos\n", 4)  # the same size, another time
    assert ask(FileFacts(cache, "code-1")) == "dos\n" and len(calls) == 3
    first = FileFacts(cache, "code-1")
    ask(first)
    first.save()
    write(source, "two\n", 3)  # the source saved again
    ask(FileFacts(cache, "code-1"))
    assert len(calls) == 5


def test_a_file_saved_a_moment_ago_is_read_again(tmp_path: Path) -> None:
    """Saved twice within its time stamp's granularity, with the same size, a file would keep its
    stat: an answer about a file that new is not kept (git's "racily clean" files)."""
    path, cache = tmp_path / "x.es.md", tmp_path / "facts.json"
    path.write_text("uno\n", encoding="utf-8")
    facts = FileFacts(cache, "c")
    facts.get("q", path, None, lambda: "first")
    facts.save()
    assert FileFacts(cache, "c").get("q", path, None, lambda: "second") == "second"


def test_a_cache_git_tracks_is_not_read(tmp_path: Path) -> None:
    path, cache = tmp_path / "x.es.md", tmp_path / "facts.json"
    write(path, "uno\n", 5)
    facts = FileFacts(cache, "c")
    facts.get("q", path, None, lambda: "computed")
    facts.save()
    assert FileFacts(cache, "c").get("q", path, None, lambda: "again") == "computed"
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "facts.json"], cwd=tmp_path, check=True)
    assert FileFacts(cache, "c").get("q", path, None, lambda: "again") == "again"


def test_one_answer_per_file_and_build_and_a_worker_gets_the_builds(tmp_path: Path) -> None:
    """Within one build (one FileFacts) a file is looked at once: the parent's pass answers its
    workers, pickled to a long-lived one without what was read from disk; the next build sees
    the file as it is then."""
    import pickle

    path, other, cache = tmp_path / "x.es.md", tmp_path / "y.es.md", tmp_path / "facts.json"
    write(path, "uno\n", 5)
    write(other, "otro\n", 5)
    seed = FileFacts(cache, "c")
    seed.get("q", other, None, lambda: "otro")
    seed.save()
    build = FileFacts(cache, "c")
    assert build.get("q", path, None, lambda: "uno") == "uno"
    write(path, "cuatro\n", 4)  # saved while the build runs
    assert build.get("q", path, None, lambda: "cuatro") == "uno"  # the build's view of it
    worker = pickle.loads(pickle.dumps(build))
    assert worker.old == {} and worker.get("q", path, None, lambda: "cuatro") == "uno"
    assert worker.get("q", other, None, lambda: "read again") == "read again"  # (not asked in the parent)
    build.save()
    assert FileFacts(cache, "c").get("q", path, None, lambda: "cuatro") == "cuatro"  # the next build


def test_a_cache_file_is_parsed_once_per_version_of_it(tmp_path: Path) -> None:
    """What serve's warm process read of a cache is what its next build takes, until the file
    is replaced (as every save of a cache does: a new file renamed over it)."""
    from helpglot.fsutil import atomic_write_text, read_parsed

    path, calls = tmp_path / "cache.json", []

    def parse(text: str) -> str:
        calls.append(text)
        return text.upper()

    atomic_write_text(path, "one")
    assert read_parsed(path, "t", parse) == "ONE" and read_parsed(path, "t", parse) == "ONE" and calls == ["one"]
    atomic_write_text(path, "two")
    assert read_parsed(path, "t", parse) == "TWO" and calls == ["one", "two"]


def test_a_second_save_in_one_build_is_written(tmp_path: Path) -> None:
    """A build saves its facts twice: with its state's answers, then with the page hashes added.
    The second save must reach the disk even though it equals what was read at the start
    (it was skipped, so every other build hashed every Markdown file again)."""
    cache, path, calls = tmp_path / "facts.json", tmp_path / "page.md", []
    write(path, "uno\n", 1)
    seed = FileFacts(cache, "c")
    seed.get("state", path, None, lambda: "s")
    seed.get("sha256", path, None, lambda: "h")
    seed.save()
    build = FileFacts(cache, "c")
    assert build.get("state", path, None, lambda: calls.append("state")) == "s"
    build.save()  # the state's answers only
    assert build.get("sha256", path, None, lambda: calls.append("sha256")) == "h"
    build.save()  # the hashes too
    after = FileFacts(cache, "c")
    assert after.get("sha256", path, None, lambda: calls.append("sha256 again")) == "h" and calls == [], calls
