"""The pseudo engine through the real protect/restore path: on every block of the sample help
center (and a synthetic article with every inline construct) the markup comes back byte for byte,
the text is accented, about 30% longer and bracketed, and the output is deterministic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpglot.drafting.engines import load
from helpglot.drafting.engines.base import Engine, EngineOptions, Request
from helpglot.drafting.engines.pseudo import PseudoEngine, pseudo_localize
from helpglot.markdown.inline import protect, restore
from helpglot.markdown.segment import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "translations").rglob("*.md")) \
    + [ROOT / "tests" / "fixtures" / "segment" / "mixed_article.md"]
SYNTHETIC = [
    'Run `tally sync --all` and open [the setup guide](../guide.md#setup "Guide") first.',
    "Click ![the gear icon](../assets/gear.svg){: .icon #gear} and then **Save changes**.",
    "Press <kbd>Ctrl</kbd>+<kbd>K</kbd> in {{ product }} {% if pro %}Professional{% endif %} anywhere.",
    "Write to support@tallybird.com or see <https://status.tallybird.com> and https://tallybird.com/help.",
    "Prices exclude VAT[^1]. A step that wraps\n    onto a second line with *emphasis* and ~~old~~ text.",
    r"Use ++ctrl+alt+del++ and `` a ` b `` with \*literal\* asterisks in the sentence.",
    'A [reference][ref] link, a <span class="note">styled phrase</span> and a heading id {#custom-id}',
]
# independent of helpglot.markdown.inline: what must survive, found with plain regular expressions
KEPT = {
    "code": re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S),
    "target": re.compile(r"\]\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]"),
    "attr_list": re.compile(r"\{:?\s*[#.][^}]*\}"),
    "html": re.compile(r"</?[A-Za-z][^>]*>"),
    "placeholder": re.compile(r"\{\{.*?\}\}|\{%.*?%\}"),
    "address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://[^\s)>\]]+"),
    "footnote": re.compile(r"\[\^[^\]]+\]"),
    "escape": re.compile(r"\\[*_`\[\]]"),
}
MARKUP = re.compile(r"<[^<>]*>|&(?:#\d+|\w+);")
ENGINE = PseudoEngine(EngineOptions())


def kept(markdown: str) -> dict[str, list[str]]:
    return {name: [m.group() for m in rx.finditer(markdown)] for name, rx in KEPT.items()}


def letters(fragment: str) -> int:
    return sum(c.isalpha() for c in MARKUP.sub("", fragment))


def blocks() -> Iterator[str]:
    for path in CORPUS:
        for block in parse_file(str(path)).blocks:
            yield block.text
    yield from SYNTHETIC


def pseudo(markdown: str) -> tuple[str, str, str]:
    """(protected text, engine output, restored Markdown) for one block."""
    protected = protect(markdown)
    [out] = ENGINE.translate(Request((protected.text,), "en", "es"))
    return protected.text, out, restore(protected, out)


def test_markup_survives_on_every_block() -> None:
    count = 0
    for markdown in blocks():
        text, out, restored = pseudo(markdown)
        assert kept(restored) == kept(markdown), markdown
        # the tags the engine returned are the tags it was given, in the same order
        assert re.findall(r"<[^<>]*>", out) == re.findall(r"<[^<>]*>", text)
        # the same construct sequence is found again in the restored text
        assert [(s.kind, s.role, s.markup, s.close) for s in protect(restored[1:-1]).spans] == \
            [(s.kind, s.role, s.markup, s.close) for s in protect(markdown).spans], markdown
        count += 1
    assert count > 2000
    assert all(any(kept(m)[name] for m in SYNTHETIC) for name in KEPT)  # every kind was exercised


def test_text_is_accented_bracketed_and_longer() -> None:
    total_in = total_out = 0
    for markdown in blocks():
        text, out, restored = pseudo(markdown)
        assert restored.startswith("[") and restored.endswith("]")
        plain = MARKUP.sub("", out)
        assert not re.search(r"[aeiouAEIOU]", plain), out  # every vowel has an accented look-alike
        before, after = letters(text), letters(out)
        if before >= 10:
            assert 1.2 <= after / before <= 1.5, (markdown, out)
        total_in += before
        total_out += after
    assert 1.25 <= total_out / total_in <= 1.35


def test_exact_output_and_determinism() -> None:
    fragment = protect("Go to **Settings > Team** and run `tally sync`").text
    expected = '[Gó tóó <g id="1">Šééttíííñgš &gt; Téáám</g> ááñd rúúñ <x id="2"/>]'
    assert pseudo_localize(fragment) == expected
    texts = tuple(protect(m).text for m in SYNTHETIC)
    first = ENGINE.translate(Request(texts, "en", "lt"))
    again = PseudoEngine(EngineOptions()).translate(Request(texts, "en", "tr", context="Another title"))
    assert first == again == [pseudo_localize(t) for t in texts]
    assert len(first) == len(texts)


def test_tags_and_entities_are_untouched() -> None:
    fragment = 'a <g id="1">e &amp; i &lt;o&gt;</g><x id="2"/> &#233; u'
    out = pseudo_localize(fragment)
    assert re.findall(r"<[^<>]*>|&[#\w]+;", out) == re.findall(r"<[^<>]*>|&[#\w]+;", fragment)
    assert out.startswith("[á") and out.endswith("ú]")


@pytest.mark.parametrize(("source", "target"), [("en", "es"), ("en", "lt"), ("ru", "tr"), ("xx", "yy")])
def test_engine_interface(source: str, target: str) -> None:
    engine = load("pseudo", EngineOptions())
    assert isinstance(engine, PseudoEngine) and isinstance(engine, Engine)
    assert engine.name == "pseudo"
    assert engine.supports(source, target)
    assert engine.cost(1_000_000) == 0
    assert (engine.max_texts, engine.max_bytes) == (50, 128 * 1024)


def test_do_not_translate_names_stay_verbatim():
    from helpglot.drafting.engines.base import EngineOptions, GlossaryPair, Request
    from helpglot.drafting.engines.pseudo import PseudoEngine

    glossary = GlossaryPair("en", "lt", (("Tallybird", "Tallybird"), ("invoice", "sąskaita faktūra")), "v1")
    [out] = PseudoEngine(EngineOptions()).translate(
        Request(("Open Tallybird and send an invoice",), "en", "lt", glossary=glossary))
    assert "Tallybird" in out and "invoice" not in out
