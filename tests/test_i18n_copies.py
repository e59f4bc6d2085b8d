"""static-i18n's per-language copies of the files (``create_i18n_file``), made once before
``helpglot build`` forks its workers and kept in ``.helpglot/i18n-files.json`` for the next build
(helpglot/site/warm.py): every copy a language's build is handed equals, attribute by attribute,
the one static-i18n makes, whether it was made here, primed in the parent or read back from the
file. The whole-site proof is tests/test_parallel_build.py (the forked build, primed, gives the
bytes of ``mkdocs build``, which is not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, get_files
from mkdocs_static_i18n import suffix

from conftest import LANGS, copy_sample, helpglot
from helpglot.site import parallel, warm


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch):
    """The kept ``create_i18n_file`` installed for this test only; static-i18n's own returned."""
    original = getattr(suffix.create_i18n_file, "original", suffix.create_i18n_file)
    monkeypatch.setattr(suffix, "create_i18n_file", original)
    monkeypatch.setattr(warm, "_I18N_FILES", {})
    made: list[str] = []

    def counting(file, current_language, default_language, all_languages, config):  # noqa: ANN001, ANN202
        made.append(file.src_uri)
        return original(file, current_language, default_language, all_languages, config)

    monkeypatch.setattr(suffix, "create_i18n_file", counting)
    warm.i18n_files()
    assert suffix.create_i18n_file is not counting
    return original, made


def _prime(root: Path) -> None:
    """What `helpglot build` does before it forks its first worker."""
    prepared = parallel._preload_site_state(str(root / "mkdocs.yml"))
    assert prepared is not None
    parallel._prime_files(*prepared)


def _inputs(root: Path, config) -> list[tuple[File, str]]:  # noqa: ANN001
    """(file, language) as the language builds hand them to static-i18n: every file of the docs
    folder in every language (a page and its alternates), and each language's translations, which
    helpglot's plugin offers in that language's build only (x.es.md)."""
    docs = list(get_files(config))
    found = [(file, lang) for lang in LANGS for file in docs]
    for lang in LANGS[1:]:
        for path in sorted((root / "translations" / lang).rglob("*.md")):
            rel = path.relative_to(root / "translations" / lang).as_posix()
            found.append((File(f"{rel[:-3]}.{lang}.md", config.docs_dir, config.site_dir, config.use_directory_urls),
                          lang))
    return found


def _same(copy: File, fresh: File, lang: str) -> None:
    mine, theirs = dict(copy.__dict__), dict(fresh.__dict__)
    assert mine.pop("alternates") == {lang: copy} and theirs.pop("alternates") == {lang: fresh}
    assert list(mine) == list(theirs) and mine == theirs, copy.src_uri


def test_every_copy_equals_static_i18ns_in_another_output_folder(tmp_path: Path, kept) -> None:
    original, made = kept
    (tmp_path / "p").mkdir()
    root = copy_sample(tmp_path / "p")
    config = load_config(str(root / "mkdocs.yml"))
    _prime(root)
    primed = len(made)
    assert primed > 6 * 30 and (root / ".helpglot" / "i18n-files.json").is_file()
    worker = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "part-es"))  # (a worker's folder)
    i18n = worker.plugins["i18n"]
    for file, lang in _inputs(root, worker):
        args = (lang, i18n.default_language, i18n.all_languages, worker)
        first, second = suffix.create_i18n_file(file, *args), suffix.create_i18n_file(file, *args)
        assert first is not second and first.alternates is not second.alternates
        _same(first, original(file, *args), lang)
    assert len(made) == primed, "the workers' copies were all made before forking"
    assert config.site_dir != worker.site_dir


def test_the_next_build_reads_the_copies_and_makes_only_new_ones(tmp_path: Path, kept, monkeypatch) -> None:
    original, made = kept
    (tmp_path / "p").mkdir()
    root = copy_sample(tmp_path / "p")
    kept_file = root / ".helpglot" / "i18n-files.json"
    _prime(root)
    assert made
    monkeypatch.setattr(warm, "_I18N_FILES", {})  # a new `helpglot build`
    made.clear()
    written = kept_file.stat().st_mtime_ns
    _prime(root)
    assert made == [] and kept_file.stat().st_mtime_ns == written  # all read, nothing rewritten
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "part"))
    i18n = config.plugins["i18n"]
    for file, lang in _inputs(root, config):
        args = (lang, i18n.default_language, i18n.all_languages, config)
        _same(suffix.create_i18n_file(file, *args), original(file, *args), lang)
    assert made == []

    (root / "docs" / "getting-started" / "a-new-article.md").write_text("# New\n\nText.\n", encoding="utf-8")
    (root / "docs" / "integrations" / "bank-feeds.md").unlink()
    monkeypatch.setattr(warm, "_I18N_FILES", {})
    _prime(root)
    assert sorted(set(made)) == ["getting-started/a-new-article.md"] and len(made) == len(LANGS)
    rows = json.loads(kept_file.read_text(encoding="utf-8"))["files"]
    uris = {row[0][0] for row in rows}
    assert "getting-started/a-new-article.md" in uris and "integrations/bank-feeds.md" not in uris


@pytest.mark.parametrize("text", ["not json", '{"stamp": "0", "files": []}', '{"stamp": null}',
                                  '{"files": [[["x"], {}]]}'])
def test_a_kept_file_from_elsewhere_is_not_read(tmp_path: Path, kept, text: str) -> None:
    original, made = kept
    (tmp_path / "p").mkdir()
    root = copy_sample(tmp_path / "p")
    kept_file = root / ".helpglot" / "i18n-files.json"
    kept_file.parent.mkdir()
    kept_file.write_text(text, encoding="utf-8")
    _prime(root)
    assert len(made) > 6 * 30  # every copy made afresh
    assert json.loads(kept_file.read_text(encoding="utf-8"))["files"]  # and the file written right


def test_helpglot_build_keeps_the_copies_for_the_next_build(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    root = copy_sample(tmp_path / "p")
    helpglot("build", "--jobs", "2", cwd=root)
    rows = json.loads((root / ".helpglot" / "i18n-files.json").read_text(encoding="utf-8"))["files"]
    assert {row[0][4] for row in rows} == set(LANGS)  # every language's copies, made before forking
    assert {row[0][0] for row in rows if row[0][4] == "es"} >= {"index.md", "integrations/bank-feeds.es.md"}
    assert not [row for row in rows if row[0][4] == "es" and row[0][0].endswith(".ru.md")]
