"""``helpglot build`` and ``helpglot merge``: the site, one language per process.

``mkdocs build`` still works (and ``mkdocs serve``), building the languages one
after another; ``helpglot build`` runs them side by side and gives the same
bytes. ``--lang L`` builds one language's part for a CI matrix job, and
``helpglot merge`` assembles the parts in the publishing job.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import click

from helpglot.cli.options import CONFIG_OPTION, lang_option
from helpglot.config import load_settings
from helpglot.errors import ConfigError
from helpglot.settings import Settings
from helpglot.site import outdir


def _jobs_default() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@click.command()
@CONFIG_OPTION
@lang_option("Build only this language's part (repeatable); merge the parts with `helpglot merge`.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Languages built at the same time, one process each [default: the machine's cores].")
@click.option("-d", "--site-dir", "site_dir", type=click.Path(file_okay=False), default=None,
              help="Output folder [default: mkdocs.yml's site_dir]; with --lang, where each language's part "
                   "goes, as DIR/<lang> [default: site-parts].")
@click.option("-s", "--strict", is_flag=True, help="Stop on warnings, like `mkdocs build --strict`.")
@click.option("-v", "--verbose", is_flag=True, help="MkDocs' info messages too.")
@click.option("--full", is_flag=True, help="Render every page, reusing nothing from the previous build.")
@click.option("--withhold", "withhold", type=click.Path(dir_okay=False, exists=True), metavar="REPORT",
              help="A `helpglot check --format json` report: translations with errors in it are shown in "
                   "English until fixed, and the rest of the site is built.")
def build(config_file: str, langs: tuple[str, ...], jobs: int | None, site_dir: str | None, strict: bool,
          verbose: bool, full: bool, withhold: str | None) -> None:
    """Build the site, every language in its own process (same pages as `mkdocs build`); pages
    whose inputs did not change since the previous build are reused (`--full` renders all)."""
    from helpglot.site import crosslang, parallel, reusing, sitemerge

    if withhold:  # read by crosslang.select in this process and in the workers it forks
        os.environ["HELPGLOT_WITHHOLD"] = str(Path(withhold).resolve())
    settings = load_settings(config_file)
    if withhold:
        crosslang.withheld(settings)  # a report that is not one stops here, before anything is built
    for code in langs:
        if code not in settings.codes:
            raise ConfigError(f"--lang {code}: not a language of this site ({', '.join(settings.codes)}).")
    jobs = jobs or _jobs_default()
    start = time.perf_counter()
    sources, project = _sources(settings, config_file)
    option = "--site-dir" if site_dir else "site_dir in mkdocs.yml"
    if langs:
        parts_root = Path(site_dir or "site-parts")
        outdir.check(parts_root, sources, option, containers=project, contents=False)
        for code in langs:
            outdir.check(parts_root / code, sources, option, containers=project)
        with reusing.exclusive(settings, parts_root, lambda pid: _waiting(parts_root, pid)):
            tmp = parts_root / ".building"
            shutil.rmtree(tmp, ignore_errors=True)
            reuse = {code: reusing.plan(settings, parts_root / code, code, full) for code in langs}
            try:
                results = parallel.build_parts(config_file, parallel.order(list(langs), settings.source_lang), tmp,
                                               jobs, strict, verbose, reuse)
                skipped = _report(results)
                for code in langs:
                    if code in skipped:
                        click.echo(f"==> {code}: unchanged since its files in {parts_root / code} were built; kept")
                        continue
                    if reuse[code].in_place and (parts_root / code).is_dir():
                        _in_place(parts_root / code, [tmp / code], [reuse[code]])
                    else:
                        if (parts_root / code).exists():
                            shutil.rmtree(parts_root / code)
                        os.replace(tmp / code, parts_root / code)
                    reusing.commit(reuse[code])
                    click.echo(f"==> {code}: built into {parts_root / code} (assemble with `helpglot merge`)")
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
                reusing.discard(reuse.values())
        return
    site = Path(site_dir) if site_dir else _site_dir(config_file)
    outdir.check(site, sources, option, containers=project)
    with reusing.exclusive(settings, site, lambda pid: _waiting(site, pid)):
        parts = site.with_name(site.name + ".helpglot-parts")
        outdir.check(parts, sources, option, containers=project, contents=None)
        if parts.exists():
            shutil.rmtree(parts)
        reuse = {code: reusing.plan(settings, site, code, full) for code in settings.codes}
        try:
            results = parallel.build_parts(config_file, parallel.order(list(settings.codes), settings.source_lang),
                                           parts, jobs, strict, verbose, reuse)
            skipped = _report(results)
            if all(plan.in_place for plan in reuse.values()) and site.is_dir():
                outdir.recover(site)
                built = [code for code in settings.codes if code not in skipped]
                owner = _owner(settings)
                _in_place(site, [parts / code for code in built], [reuse[code] for code in built],
                          frozenset({sitemerge.MANIFEST}), keep=lambda rel: owner(rel) in skipped)
            else:
                sitemerge.merge([parts / code for code in settings.codes], site, move=True)
            for code, plan in reuse.items():
                if code not in skipped:
                    reusing.commit(plan)
        finally:
            shutil.rmtree(parts, ignore_errors=True)
            reusing.discard(reuse.values())
    click.echo(f"==> built {len(settings.codes)} languages into {site} in {time.perf_counter() - start:.1f} s "
               f"({jobs} at a time)")


def _owner(settings: Settings) -> Callable[[str], str]:
    """The language whose part holds a file of the site: a target language its folder, the source the rest."""
    targets = set(settings.targets)

    def owner(rel: str) -> str:
        first = rel.split("/", 1)[0]
        return first if first in targets else settings.source_lang

    return owner


def _in_place(target: Path, parts: list[Path], plans: list, skip: frozenset[str] = frozenset(),
              keep: Callable[[str], bool] | None = None) -> None:
    """Bring the previous site (or part) to the new build's files, writing only what changed."""
    from helpglot.site import inplace

    kept: set[str] = set()
    pages: set[str] = set()
    for plan in plans:
        found = inplace.read_outputs(plan.new_state)
        if found is not None:
            kept |= found[0]
            pages |= found[1]
    inplace.update(target, parts, kept, pages, skip, keep)


def _waiting(output: Path, pid: str) -> None:
    click.echo(f"helpglot build: another build into {output} is running (process {pid}); waiting for it to finish",
               err=True)


def _sources(settings, config_file: str) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """(folders an output folder must neither be, hold nor lie in; the project folder, which it may lie in)."""
    root = Path(os.path.dirname(os.path.abspath(config_file)))
    sources = [("the English sources", settings.docs_dir), ("the translations", settings.translations_dir),
               ("the glossary", settings.glossary_dir), ("the git repository", root / ".git"),
               ("the cache", settings.cache_dir or root / ".helpglot")]
    return sources, [("the project folder", root), ("the project folder", settings.root)]


def _site_dir(config_file: str) -> Path:
    from mkdocs.config import load_config

    return Path(load_config(config_file).site_dir)


def _report(results: list) -> set[str]:
    """The languages skipped (nothing they are made from changed); raises if one failed."""
    failed = [r.lang for r in results if not r.ok]
    for result in sorted(results, key=lambda r: r.lang):
        if result.skipped:
            click.echo(f"    {result.lang}: unchanged, not built (its previous files are kept)", err=True)
            continue
        click.echo(f"    {result.lang}: {'built' if result.ok else 'FAILED'} in {result.seconds:.1f} s", err=True)
    if failed:
        from helpglot.site.parallel import BuildError

        raise BuildError(f"the build of {', '.join(failed)} failed (messages above); nothing was written")
    return {r.lang for r in results if r.skipped}


@click.command()
@click.argument("parts", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("-d", "--site-dir", "site_dir", type=click.Path(file_okay=False), default="site", show_default=True,
              help="The merged site (emptied first).")
def merge(parts: tuple[str, ...], site_dir: str) -> None:
    """Assemble one site from the parts written by `helpglot build --lang L` (one per language)."""
    from helpglot.site import sitemerge

    here = Path.cwd()
    outdir.check(Path(site_dir), [(f"the part {p}", Path(p)) for p in parts] + [("the git repository", here / ".git")],
                 containers=[("the current folder", here)])
    langs = sitemerge.merge([Path(p) for p in parts], Path(site_dir))
    click.echo(f"==> merged {', '.join(langs)} into {site_dir}")
