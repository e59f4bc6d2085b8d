"""The Apertium engine against the real `apertium` command and its English→Spanish data.

Nothing here is mocked except, in the error tests, the `apertium` program itself
(a small script that fails or hangs), to see what the engine makes of that.
"""

from __future__ import annotations

import re
import shutil
import stat
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from helpglot.drafting.engines import load
from helpglot.drafting.engines.apertium import ApertiumEngine, debian_package
from helpglot.drafting.engines.base import Engine, EngineError, EngineOptions, GlossaryPair, Request

INSTALL = "run scripts/test, which installs the Debian packages apertium and apertium-eng-spa"


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    if shutil.which("apertium") is None:
        pytest.fail(f"the apertium command is not installed: {INSTALL}")
    found = ApertiumEngine(EngineOptions())
    if not found.supports("en", "es"):
        pytest.fail(f"apertium has no English→Spanish mode (eng-spa): {INSTALL}")
    return found


def tags(text: str) -> Counter[str]:
    return Counter(re.findall(r"<[^>]+>", text))


def well_formed(text: str) -> None:
    ET.fromstring(f"<segment>{text}</segment>")  # raises on a lost entity or a broken tag


def es(engine: ApertiumEngine, *texts: str, entries: tuple[tuple[str, str], ...] = ()) -> list[str]:
    glossary = GlossaryPair("en", "es", entries, "test") if entries else None
    return engine.translate(Request(texts=texts, source="en", target="es", glossary=glossary))


def test_is_an_engine_found_through_the_entry_point(engine: ApertiumEngine) -> None:
    loaded = load("apertium", EngineOptions())
    assert isinstance(loaded, ApertiumEngine) and isinstance(loaded, Engine)
    assert (loaded.name, loaded.max_texts, loaded.max_bytes) == ("apertium", 50, 128 * 1024)
    assert loaded.cost(1_000_000) == 0


def test_protected_segments_come_back_translated_with_every_tag(engine: ApertiumEngine) -> None:
    texts = (
        "The invoice is paid.",
        'Open the <g id="1">invoice</g> and click <x id="2"/> to pay it.',
        'Read the <g id="1">report for <g id="2">the bank</g></g> <x id="3"/> today.',
    )
    out = es(engine, *texts)
    assert len(out) == len(texts)
    assert "factura" in out[0].lower() and out[0] != texts[0]
    assert "factura" in out[1].lower()
    assert "banco" in out[2].lower()
    for source, translated in zip(texts, out, strict=True):
        assert tags(translated) == tags(source), translated
        well_formed(translated)


def test_entities_come_back_as_entities(engine: ApertiumEngine) -> None:
    text = "Tom &amp; Jerry read the &lt;invoice&gt; list &amp; pay it."
    (out,) = es(engine, text)
    assert Counter(re.findall(r"&\w+;", out)) == Counter({"&amp;": 2, "&lt;": 1, "&gt;": 1}), out
    assert "factura" in out
    well_formed(out)


def test_whitespace_around_segments_is_kept_and_empty_segments_cost_no_process(engine: ApertiumEngine) -> None:
    fresh = ApertiumEngine(EngineOptions())
    out = fresh.translate(Request(texts=("", "  ", '<x id="1"/>'), source="en", target="es"))
    assert out == ["", "  ", '<x id="1"/>']
    assert fresh.calls == 0
    out = fresh.translate(Request(texts=("\nThe invoice is paid.\n",), source="en", target="es"))
    assert out[0].startswith("\n") and out[0].endswith("\n") and "factura" in out[0]
    assert fresh.calls == 1


def test_glossary_terms_replace_what_apertium_would_say(engine: ApertiumEngine) -> None:
    text = "Connect the bank feed, then check the bank."
    (plain,) = es(engine, text)
    assert "conexión bancaria" not in plain  # so the glossary is what puts it there
    entries = (("bank", "entidad"), ("bank feed", "conexión bancaria"))
    (out,) = es(engine, text, entries=entries)
    assert "conexión bancaria" in out and out.count("entidad") == 1, out  # longest term first
    (start,) = es(engine, "Bank feed errors are shown.", entries=entries)
    assert start.startswith("Conexión bancaria"), start  # capitalised like the occurrence


def test_glossary_matches_whole_words_in_text_only(engine: ApertiumEngine) -> None:
    entries = (("bank feed", "conexión bancaria"), ("id", "identificador"))
    (out,) = es(engine, 'The bank feeder shows the <g id="1">id</g> of <x id="2"/> BANK  FEED.', entries=entries)
    assert tags(out) == tags('<g id="1">x</g><x id="2"/>'), out  # the tags' id attributes were not touched
    assert out.count("identificador") == 1 and "alimentador" in out, out  # "bank feeder" is not the term
    assert out.lower().count("conexión bancaria") == 1 and "CONEXIÓN BANCARIA" in out, out  # capitals like BANK FEED


def test_do_not_translate_terms_stay_verbatim(engine: ApertiumEngine) -> None:
    text = "Use Quick Pay with Tallybird Books."
    (plain,) = es(engine, text)
    assert "Quick Pay" not in plain  # apertium alone translates it
    entries = (("Quick Pay", "Quick Pay"), ("Tallybird Books", "Tallybird Books"), ("Tallybird", "Tallybird"))
    (out,) = es(engine, text, entries=entries)
    assert "Quick Pay" in out and "Tallybird Books" in out, out


@pytest.mark.parametrize("target", ["ro", "tr", "ru", "lt"])
def test_languages_without_a_debian_pair_are_refused(engine: ApertiumEngine, target: str) -> None:
    assert not engine.supports("en", target)
    assert debian_package("en", target) is None
    with pytest.raises(EngineError, match=r"no Apertium pair .* exists in Debian"):
        engine.translate(Request(texts=("The invoice is paid.",), source="en", target=target))


def test_a_pair_debian_has_but_this_machine_lacks_names_the_package(engine: ApertiumEngine) -> None:
    assert debian_package("en", "es") == "apertium-eng-spa"
    if engine.supports("es", "ro"):
        pytest.fail("apertium-es-ro is installed here; this test needs a pair that is not")
    with pytest.raises(EngineError, match=r"apt-get install apertium-es-ro"):
        engine.translate(Request(texts=("La factura está pagada.",), source="es", target="ro"))


def test_fifty_segments_take_one_apertium_process(engine: ApertiumEngine) -> None:
    fresh = ApertiumEngine(EngineOptions())
    texts = tuple(f'The <g id="1">invoice</g> number {1000 + i} is paid <x id="2"/>.' for i in range(50))
    started = time.monotonic()
    out = fresh.translate(Request(texts=texts, source="en", target="es"))
    assert time.monotonic() - started < 15
    assert fresh.calls == 1
    assert len(out) == 50
    for i, translated in enumerate(out):
        assert str(1000 + i) in translated and "factura" in translated, translated  # order kept
        assert tags(translated) == tags(texts[i])


def fake_apertium(tmp_path: Path, body: str) -> EngineOptions:
    """A stand-in `apertium` that lists eng-spa and then does what ``body`` says."""
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\nfor a; do [ "$a" = -l ] && {{ echo "  eng-spa"; exit 0; }}; done\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return EngineOptions(extra={"apertium_bin": str(script), "apertium_timeout": 1})


def test_a_failing_apertium_reports_its_error_output(tmp_path: Path) -> None:
    engine = ApertiumEngine(fake_apertium(tmp_path, 'echo "lt-proc: cannot open eng-spa.automorf.bin" >&2; exit 3'))
    with pytest.raises(EngineError, match=r"exit code 3.*cannot open eng-spa.automorf.bin"):
        engine.translate(Request(texts=("The invoice is paid.",), source="en", target="es"))


def test_a_hanging_apertium_times_out(tmp_path: Path) -> None:
    engine = ApertiumEngine(fake_apertium(tmp_path, "exec sleep 5"))
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"did not finish within 1 s") as caught:
        engine.translate(Request(texts=("The invoice is paid.",), source="en", target="es"))
    assert caught.value.retryable and time.monotonic() - started < 4


def test_lost_segments_are_an_error_not_a_shifted_translation(tmp_path: Path) -> None:
    # An apertium that drops the second paragraph: the engine must not hand back misaligned text.
    engine = ApertiumEngine(fake_apertium(tmp_path, "sed 's#<p id=\"helpglot-1\">[^<]*</p>##'"))
    with pytest.raises(EngineError, match=r"1 intact segments for 2"):
        engine.translate(Request(texts=("One invoice.", "Two invoices."), source="en", target="es"))


def test_entities_are_hidden_from_a_dictionary_that_knows_amp(tmp_path: Path) -> None:
    # A pair whose dictionary translates "amp" and "lt" (eng-spa happens not to) must not break the escapes.
    engine = ApertiumEngine(fake_apertium(tmp_path, "sed 's/amp/amperio/g; s/lt/menos/g'"))
    (out,) = engine.translate(Request(texts=("Salt &amp; an amp &lt;b&gt;",), source="en", target="es"))
    assert out == "Samenos &amp; an amperio &lt;b&gt;"


def test_a_missing_apertium_says_how_to_install_it(tmp_path: Path) -> None:
    engine = ApertiumEngine(EngineOptions(extra={"apertium_bin": str(tmp_path / "no-such-apertium")}))
    assert not engine.supports("en", "es")
    with pytest.raises(EngineError, match=r"not installed.*apt-get install apertium apertium-eng-spa"):
        engine.translate(Request(texts=("The invoice is paid.",), source="en", target="es"))
