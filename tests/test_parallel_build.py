"""`helpglot build`: one MkDocs process per language gives the very same site as
the single-process `mkdocs build`, and so do languages built alone (CI matrix
jobs) and assembled with `helpglot merge`. Every file is compared byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import LANGS, ROOT, helpglot


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(expected: Path, actual: Path) -> None:
    want, got = tree(expected), tree(actual)
    assert sorted(got) == sorted(want), (sorted(set(want) ^ set(got)))[:20]
    different = [rel for rel in want if want[rel] != got[rel]]
    assert not different, f"{len(different)} files differ, e.g. {different[:10]}"


@pytest.fixture(scope="module")
def parallel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parallel") / "site"
    proc = helpglot("build", "--jobs", "2", "--site-dir", str(out), cwd=ROOT)
    assert "built 6 languages" in proc.stdout
    return out


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each language built in a process of its own, as the deploy workflow's matrix jobs do."""
    folder = tmp_path_factory.mktemp("parts")
    helpglot("build", "--lang", "en", "--site-dir", str(folder), cwd=ROOT)  # alone
    helpglot("build", *(arg for code in LANGS[1:] for arg in ("--lang", code)), "--jobs", "2",
             "--site-dir", str(folder), cwd=ROOT)
    return folder


def test_parallel_build_is_byte_identical_to_mkdocs_build(site: Path, parallel_site: Path):
    assert_same_site(site, parallel_site)
    assert len(list(parallel_site.rglob("index.html"))) >= 6 * 14


def test_each_part_holds_only_its_own_language(parts: Path):
    assert sorted(p.name for p in parts.iterdir()) == sorted(LANGS)
    for code in LANGS[1:]:
        assert sorted(p.name for p in (parts / code).iterdir()) == [".helpglot-part.json", code]
    own = {p.name for p in (parts / "en").iterdir()}
    assert not own & set(LANGS[1:]) and {"index.html", "404.html", "sitemap.xml", "assets"} <= own


def test_languages_built_alone_and_merged_equal_the_one_shot_build(site: Path, parts: Path, tmp_path: Path):
    merged = tmp_path / "merged"
    proc = helpglot("merge", *(str(parts / code) for code in LANGS), "--site-dir", str(merged), cwd=ROOT)
    assert "merged en, es, ro, tr, ru, lt" in proc.stdout
    assert_same_site(site, merged)


def test_merge_refuses_a_missing_or_repeated_language(parts: Path, tmp_path: Path):
    proc = helpglot("merge", *(str(parts / code) for code in LANGS[:-1]), "--site-dir", str(tmp_path / "x"),
                    cwd=ROOT, check=False)
    assert proc.returncode == 2 and "missing languages: lt" in proc.stderr
    assert "helpglot build --lang lt" in proc.stderr and not (tmp_path / "x").exists()
    proc = helpglot("merge", *(str(parts / code) for code in LANGS), str(parts / "es"),
                    "--site-dir", str(tmp_path / "y"), cwd=ROOT, check=False)
    assert proc.returncode == 2 and "both 'es'" in proc.stderr


def test_a_failing_language_fails_the_build(tmp_path: Path):
    from conftest import copy_sample

    (tmp_path / "project").mkdir()
    project = copy_sample(tmp_path / "project")
    (project / "docs" / "broken.md").write_bytes(b"---\ntitle: x\n---\n\nbad \xff byte\n")
    proc = helpglot("build", "--jobs", "2", "--site-dir", str(tmp_path / "site"), cwd=project, check=False)
    assert proc.returncode != 0
    assert "docs/broken.md" in proc.stderr and "not UTF-8" in proc.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("limit, pruned", [(2, True), (-1, False)])
def test_a_large_help_center_gets_a_pruned_navigation(mini, limit: int, pruned: bool):
    """Above prune_nav_above source pages a page lists its own section's articles, not every section's."""
    from conftest import MINI_MKDOCS, mkdocs

    mini("mkdocs.yml", MINI_MKDOCS.replace("  - helpglot\n", f"  - helpglot:\n      prune_nav_above: {limit}\n"))
    for section in ("billing", "team"):
        for n in range(2):
            mini(f"docs/{section}/page-{n}.md", f"---\ntitle: {section} page {n}\n---\n\nText.\n")
    site = mini.root / "site"
    mkdocs("build", "--site-dir", str(site), cwd=mini.root)
    html = (site / "billing" / "page-0" / "index.html").read_text(encoding="utf-8")
    assert 'href="../page-1/"' in html  # its own section: always there
    assert ('href="../../team/page-1/"' in html) is not pruned

