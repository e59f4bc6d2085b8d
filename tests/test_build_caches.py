"""What a full build keeps from one page or one language to the next (helpglot/site/jinjacache.py,
the sanitiser's last scan, the lexicon's per-word stems) never answers for something else: each
test changes exactly what the cache must notice and checks the answer changes with it. The
whole-site proof is tests/test_parallel_build.py: ``mkdocs build`` (every language in one
process, templates compiled once) gives the same bytes as one process per language."""

from __future__ import annotations

from pathlib import Path

import jinja2

from helpglot.qa import sanitize
from helpglot.site import jinjacache, lexicon, searchtext


def _env(folder: Path, **options: object) -> jinja2.Environment:
    """A new environment per build, as MkDocs makes one, with the process's compiled templates."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False, **options)
    jinjacache.install(env)
    return env


def test_compiled_template_is_reused_by_the_next_build(tmp_path: Path) -> None:
    jinjacache.CACHE.clear()
    (tmp_path / "page.html").write_text("A {{ x }}", encoding="utf-8")
    compiled: list[str] = []

    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN201
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    for _ in range(3):
        env = Counting(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=False)
        jinjacache.install(env)
        assert env.get_template("page.html").render(x=1) == "A 1"
    assert compiled == ["page.html"]


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    jinjacache.CACHE.clear()
    template = tmp_path / "page.html"
    template.write_text("A {{ x }}", encoding="utf-8")
    assert _env(tmp_path).get_template("page.html").render(x=1) == "A 1"
    template.write_text("B {{ x }}", encoding="utf-8")  # (mkdocs serve: a custom_dir template saved)
    assert _env(tmp_path).get_template("page.html").render(x=1) == "B 1"


def test_other_compiler_settings_compile_again(tmp_path: Path) -> None:
    jinjacache.CACHE.clear()
    (tmp_path / "page.html").write_text("{% if x %}\nyes{% endif %}", encoding="utf-8")
    assert _env(tmp_path).get_template("page.html").render(x=1) == "\nyes"
    assert _env(tmp_path, trim_blocks=True).get_template("page.html").render(x=1) == "yes"
    (tmp_path / "other.html").write_text("<< x >>{{ x }}", encoding="utf-8")
    assert _env(tmp_path).get_template("other.html").render(x=1) == "<< x >>1"
    assert _env(tmp_path, variable_start_string="<<", variable_end_string=">>").get_template(
        "other.html").render(x=1) == "1{{ x }}"


def test_a_callable_autoescape_is_not_cached(tmp_path: Path) -> None:
    jinjacache.CACHE.clear()
    (tmp_path / "page.html").write_text("{{ x }}", encoding="utf-8")
    assert _env(tmp_path, autoescape=lambda name: True).get_template("page.html").render(x="<b>") == "&lt;b&gt;"
    assert _env(tmp_path, autoescape=lambda name: False).get_template("page.html").render(x="<b>") == "<b>"


def test_the_sanitisers_kept_scan_belongs_to_its_text() -> None:
    # the same length, so only the text itself tells them apart
    hostile, harmless = '<p><b onclick="1">x</b></p>', '<p><b title="123">x</b></p>'
    assert len(hostile) == len(harmless)
    assert sanitize.needs_source(hostile)
    assert not sanitize.needs_source(harmless)
    assert sanitize.sanitize(harmless) == (harmless, [])
    assert sanitize.sanitize(hostile) == ("<p><b>x</b></p>", ["event handler onclick= on <b>"])
    assert sanitize.comments("<p>a</p><!-- one -->") == [" one "]
    assert sanitize.comments("<p>a</p><!-- two -->") == [" two "]


def test_a_words_stem_is_the_languages() -> None:
    # Turkish lower-cases I to dotless ı: the same word gives another spelling in each language
    assert lexicon._stems("Invoice Invoice", "en")[1] != lexicon._stems("Invoice Invoice", "tr")[1]
    assert dict(lexicon._stems("Invoice Invoice", "tr")[1]) == {
        searchtext.stem("Invoice", "tr"): {"ınvoice": 2}}
    assert lexicon._stems("the invoice", "en")[0] == {searchtext.stem("invoice", "en")}  # a stop word left out
    assert searchtext.words("同期できない sync") == ["同期", "期で", "でき", "きな", "ない", "sync"]
    assert searchtext.words("Café ﬁle") == ["Café", "ﬁle"]


def _compiles(monkeypatch) -> list[str]:  # noqa: ANN001
    """The names of the templates Jinja compiles from now on."""
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_warm_compiles_what_a_language_build_renders(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``helpglot build`` compiles the templates before forking (parallel._warm_templates): the
    worker then compiles only what is named at render time (icons, the language's strings), and
    never helpglot's or Material's page templates again."""
    from mkdocs.config import load_config

    from conftest import ROOT
    from helpglot.site import parallel

    monkeypatch.chdir(ROOT)
    jinjacache.CACHE.clear()
    assert jinjacache.warm(load_config(str(ROOT / "mkdocs.yml"))) > 20
    compiled = _compiles(monkeypatch)
    parallel.build_one(str(ROOT / "mkdocs.yml"), "es", tmp_path / "es")
    assert (tmp_path / "es" / "es" / "index.html").is_file()
    assert compiled, "the language's own strings are named at render time"
    assert not {"main.html", "base.html", "404.html", "partials/nav-item.html", "partials/header.html"} & set(compiled)


def test_templates_kept_on_disk_are_never_loaded_by_other_settings(tmp_path: Path) -> None:
    """An incremental build's workers keep compiled templates in a folder (DiskBytecodeCache), and
    ``helpglot build``'s parent compiles into it before forking: Jinja's own key (name and file)
    would hand one environment's code to another compiled otherwise."""
    (tmp_path / "t").mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "t" / "page.html").write_text("{% if x %}\nyes{% endif %}", encoding="utf-8")

    def disk_env(**options: object) -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), auto_reload=False,
                                  bytecode_cache=jinjacache.DiskBytecodeCache(str(tmp_path / "cache")), **options)

    assert disk_env().get_template("page.html").render(x=1) == "\nyes"
    assert disk_env(trim_blocks=True).get_template("page.html").render(x=1) == "yes"
    assert disk_env().get_template("page.html").render(x=1) == "\nyes"
    assert len(list((tmp_path / "cache").iterdir())) == 2  # one compiled template per settings


def test_warm_compiles_into_the_workers_folder_once(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """With the folder an incremental build's workers read, the parent's warm-up compiles there,
    and a later build's warm-up (another process: nothing of this one's memory) compiles nothing."""
    from mkdocs.config import load_config

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert jinjacache.warm(config, jinjacache.DiskBytecodeCache(str(tmp_path))) > 20
    assert len(list(tmp_path.iterdir())) > 20
    monkeypatch.setattr(jinjacache, "_REFERENCES", {})
    compiled = _compiles(monkeypatch)
    assert jinjacache.warm(load_config(str(ROOT / "mkdocs.yml")), jinjacache.DiskBytecodeCache(str(tmp_path))) == 0
    assert compiled == []


def test_a_second_build_in_the_process_compiles_nothing(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A process that builds again (``helpglot serve``'s long-lived worker) finds every template
    compiled, also those of the environments the theme makes outside the build: Material's
    search plugin reads its language's strings through one of its own at every build."""
    from conftest import ROOT
    from helpglot.site import parallel

    monkeypatch.chdir(ROOT)
    jinjacache.CACHE.clear()
    parallel.build_one(str(ROOT / "mkdocs.yml"), "es", tmp_path / "first")
    compiled = _compiles(monkeypatch)
    parallel.build_one(str(ROOT / "mkdocs.yml"), "es", tmp_path / "second")
    assert (tmp_path / "second" / "es" / "index.html").is_file()
    assert compiled == []
