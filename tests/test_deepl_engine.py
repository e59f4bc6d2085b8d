"""The DeepL engine with the real ``deepl`` client against the fake DeepL server (tests/fake_deepl.py).

Nothing here mocks the client: every assertion is about what went over HTTP or
what the engine made of a real HTTP answer. The client's retry settings are
module globals; they are turned down for speed and restored by monkeypatch.
"""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

import deepl
import pytest

from fake_deepl import MALFORMED, FakeDeepL
from helpglot.drafting.engines import load
from helpglot.drafting.engines.base import EngineError, EngineOptions, GlossaryPair, Request
from helpglot.drafting.engines.deepl_engine import DeepLEngine, deepl_target

KEY = "5ecr3t-k3y-0000-1111-2222:fx"
RETRIES = 2
SEGMENT = 'Open your <g id="1">account</g> &amp; press <x id="2"/> <g id="3">now <x id="4"/></g>.'
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deepl.http_client, "max_network_retries", RETRIES)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_MAX", 0.05)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 2.0)
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)


@pytest.fixture
def fake():
    with FakeDeepL(auth_key=KEY) as server:
        yield server


def engine_for(server: FakeDeepL | str, **extra) -> DeepLEngine:
    url = server if isinstance(server, str) else server.url
    return DeepLEngine(EngineOptions(server_url=url, extra=extra))


def req(*texts: str, target: str = "es", **kw) -> Request:
    return Request(texts=texts, source="en", target=target, **kw)


def pair(version: str, target: str = "es", **entries: str) -> GlossaryPair:
    return GlossaryPair("en", target, tuple(sorted((entries or {"account": "cuenta"}).items())), version)


def leaked(error: BaseException) -> bool:
    """Does the key appear anywhere in the error: message, repr, args, chain, formatted traceback?"""
    seen = [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    cause = error.__cause__ or error.__context__
    while cause is not None:
        seen += [str(cause), repr(cause)]
        cause = cause.__cause__ or cause.__context__
    return any(KEY in text for text in seen)


# -- translating -----------------------------------------------------------------------------------


def test_translate_keeps_tags_and_count_and_sends_pinned_tag_handling(fake):
    texts = (SEGMENT, "Plain text.", "<x id=\"1\"/>")
    out = engine_for(fake).translate(req(*texts))
    assert len(out) == 3
    assert out[0] == '[ES] OPEN YOUR <g id="1">ACCOUNT</g> &amp; PRESS <x id="2"/> <g id="3">NOW <x id="4"/></g>.'
    for source, translated in zip(texts, out, strict=True):
        assert sorted(TAG.findall(translated)) == sorted(TAG.findall(source))
    (call,) = fake.calls("translate")
    assert call.texts == list(texts)
    assert (call.source_lang, call.target_lang) == ("EN", "ES")
    assert (call.tag_handling, call.tag_handling_version) == ("xml", "v2")
    assert call.formality is None and call.context is None and call.glossary_id is None


def test_formality_and_context_are_sent(fake):
    engine_for(fake).translate(req("Hello.", target="ru", formality="more", context="Reset your password"))
    (call,) = fake.calls("translate")
    assert (call.target_lang, call.formality, call.context) == ("RU", "more", "Reset your password")


@pytest.mark.parametrize("lang", ["ro", "tr", "lt"])
def test_prefer_more_is_accepted_where_more_is_not(fake, lang):
    engine = engine_for(fake)
    assert engine.translate(req("Hello.", target=lang, formality="prefer_more")) == [f"[{lang.upper()}] HELLO."]
    assert fake.calls("translate")[-1].formality == "prefer_more"
    with pytest.raises(EngineError) as err:
        engine.translate(req("Hello.", target=lang, formality="more"))
    assert "prefer_more" in str(err.value) and not err.value.retryable


def test_target_codes_and_support():
    assert [deepl_target(c) for c in ("es", "ro", "tr", "ru", "lt", "en", "en-gb", "pt_BR")] == [
        "ES", "RO", "TR", "RU", "LT", "EN-US", "EN-GB", "PT-BR"]
    engine = DeepLEngine(EngineOptions())
    assert all(engine.supports("en", lang) for lang in ("es", "ro", "tr", "ru", "lt", "pt-br"))
    assert not engine.supports("en", "en") and not engine.supports("en", "tlh") and not engine.supports("xx", "es")


def test_english_target_is_sent_as_a_variant(fake):
    assert engine_for(fake).translate(Request(texts=("Hola.",), source="es", target="en")) == ["[EN-US] HOLA."]
    assert (fake.calls("translate")[0].source_lang, fake.calls("translate")[0].target_lang) == ("ES", "EN-US")


def test_older_client_gets_the_tag_handling_version_through_extra_body_parameters(fake, monkeypatch):
    class OlderClient(deepl.DeepLClient):  # the real client, minus the tag_handling_version argument
        def translate_text(self, text, *, source_lang=None, target_lang, tag_handling=None,
                           extra_body_parameters=None, **kwargs):
            return super().translate_text(text, source_lang=source_lang, target_lang=target_lang,
                                          tag_handling=tag_handling, extra_body_parameters=extra_body_parameters,
                                          **kwargs)

    monkeypatch.setattr(deepl, "DeepLClient", OlderClient)
    assert engine_for(fake).translate(req("Hi <x id=\"1\"/>")) == ['[ES] HI <x id="1"/>']
    (call,) = fake.calls("translate")
    assert (call.tag_handling, call.tag_handling_version) == ("xml", "v2")


def test_markup_dropped_by_the_server_is_returned_as_is_for_the_caller_to_catch(fake):
    fake.drop_tags = True
    (out,) = engine_for(fake).translate(req(SEGMENT))
    assert out.count("<x ") == 1 and SEGMENT.count("<x ") == 2


def test_malformed_segment_is_reported_as_a_bug(fake):
    with pytest.raises(EngineError) as err:
        engine_for(fake).translate(req("Fish & chips <g id=\"1\">"))
    assert "not well-formed XML" in str(err.value) and not err.value.retryable


# -- limits ----------------------------------------------------------------------------------------


def test_requests_over_the_limits_are_refused_before_sending(fake):
    engine = engine_for(fake)
    with pytest.raises(ValueError, match="at most 50 texts"):
        engine.translate(req(*["a"] * 51))
    base = engine.request_bytes(["x"])
    fits = "x" * (engine.max_bytes - base + 1)  # request_bytes == max_bytes exactly
    assert engine.request_bytes([fits]) == engine.max_bytes
    with pytest.raises(ValueError, match="bytes per request"):
        engine.translate(req(fits + "y"))
    with pytest.raises(ValueError, match="bytes per request"):  # JSON escaping counts: 'é' is 6 bytes on the wire
        engine.translate(req("é" * (engine.max_bytes // 5)))
    assert fake.requests == []
    assert engine.translate(req(fits)) == ["[ES] " + fits.upper()]
    assert fake.calls("translate")[0].body_bytes <= engine.max_bytes


def test_fake_answers_413_over_the_limits(fake):
    client = deepl.Translator(KEY, server_url=fake.url)
    for texts in (["a"] * 51, ["a" * (130 * 1024)]):
        with pytest.raises(deepl.DeepLException) as err:
            client.translate_text(texts, target_lang="ES")
        assert err.value.http_status_code == 413


# -- glossaries ------------------------------------------------------------------------------------


def test_glossary_created_once_reused_across_instances_and_replaced_on_new_version(fake):
    first = engine_for(fake)
    assert first.translate(req("Open your account.", glossary=pair("v1"))) == ["[ES] OPEN YOUR CUENTA."]
    first.translate(req("My account.", glossary=pair("v1")))
    assert len(fake.calls("glossaries", "POST")) == 1 and len(fake.calls("glossaries", "GET")) == 1
    (created,) = fake.glossaries.values()
    assert (created.name, created.api) == ("helpglot-en-es-v1", "v3")
    assert created.dictionaries == {("EN", "ES"): {"account": "cuenta"}}

    engine_for(fake).translate(req("Account.", glossary=pair("v1")))
    assert len(fake.calls("glossaries", "POST")) == 1
    assert {c.glossary_id for c in fake.calls("translate")} == {created.glossary_id}

    client = deepl.DeepLClient(KEY, server_url=fake.url)  # neighbours that must survive the cleanup
    entry = deepl.api_data.MultilingualGlossaryDictionaryEntries
    others = {client.create_multilingual_glossary(name, [entry("EN", target, {"a": "b"})]).glossary_id
              for name, target in (("helpglot-en-ro-v1", "RO"), ("helpglot-en-es-419-v1", "ES"), ("mine", "ES"))}

    out = engine_for(fake).translate(req("Account.", glossary=pair("v2", account="perfil")))
    assert out == ["[ES] PERFIL."]
    assert created.glossary_id not in fake.glossaries
    assert {g.name for g in fake.glossaries.values()} == {
        "helpglot-en-es-v2", "helpglot-en-ro-v1", "helpglot-en-es-419-v1", "mine"}
    assert others <= set(fake.glossaries)
    deletes = [c.path for c in fake.requests if c.method == "DELETE"]
    assert deletes == [f"/v3/glossaries/{created.glossary_id}"]
    assert fake.requests.index(fake.calls("glossaries", "DELETE")[0]) > fake.requests.index(
        fake.calls("glossaries", "POST")[-1])


def test_v2_glossary_api_and_recovery_when_the_glossary_disappears(fake):
    engine = engine_for(fake, glossary_api="v2")
    assert engine.translate(req("Account.", target="ro", glossary=pair("a1", target="ro", account="cont"))) == [
        "[RO] CONT."]
    (glossary,) = fake.glossaries.values()
    assert glossary.api == "v2" and fake.calls("glossaries", "POST")[0].path == "/v2/glossaries"
    del fake.glossaries[glossary.glossary_id]  # deleted behind the engine's back
    assert engine.translate(req("Account.", target="ro", glossary=pair("a1", target="ro", account="cont"))) == [
        "[RO] CONT."]
    assert len(fake.calls("glossaries", "POST")) == 2 and len(fake.glossaries) == 1


def test_empty_glossary_is_not_synced(fake):
    engine_for(fake).translate(req("Account.", glossary=GlossaryPair("en", "es", (), "e0")))
    assert fake.calls("glossaries") == [] and fake.calls("translate")[0].glossary_id is None


# -- failures --------------------------------------------------------------------------------------


def test_429_then_success_is_retried_by_the_client(fake):
    fake.fail_next(429)
    assert engine_for(fake).translate(req("Hi.")) == ["[ES] HI."]
    assert [c.status for c in fake.calls("translate")] == [429, 200]


@pytest.mark.parametrize("status, words", [(429, "rate-limiting"), (500, "unavailable"), (503, "unavailable")])
def test_persistent_throttling_or_outage_is_a_clean_retryable_stop(fake, status, words):
    fake.fail_next(status, count=RETRIES + 1)
    with pytest.raises(EngineError) as err:
        engine_for(fake).translate(req("Hi."))
    assert err.value.retryable
    assert words in str(err.value) and "rerun" in str(err.value).lower() and f"{RETRIES} retries" in str(err.value)
    assert len(fake.calls("translate")) == RETRIES + 1


def test_quota_used_up_stops_with_a_continue_later_message(fake):
    fake.quota = 30
    engine = engine_for(fake)
    engine.translate(req("x" * 20))
    with pytest.raises(EngineError) as err:
        engine.translate(req("y" * 20))
    assert not err.value.retryable
    assert "quota" in str(err.value) and "continues where it stopped" in str(err.value)
    usage = engine.usage()
    assert (usage.characters, usage.limit, usage.remaining) == (20, 30, 10)


def test_usage_counts_what_was_translated(fake):
    engine = engine_for(fake)
    assert engine.usage().characters == 0
    engine.translate(req("Hello.", "World!!"))
    assert engine.usage().characters == len("Hello.") + len("World!!")


def test_rejected_key_names_the_variable_and_the_free_pro_servers(fake, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-key")
    with pytest.raises(EngineError) as err:
        engine_for(fake).translate(req("Hi."))
    message = str(err.value)
    assert "403" in message and "DEEPL_AUTH_KEY" in message and "api-free.deepl.com" in message
    assert not err.value.retryable and "wrong-key" not in message


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_key_says_how_to_set_it(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("DEEPL_AUTH_KEY")
    else:
        monkeypatch.setenv("DEEPL_AUTH_KEY", value)
    with pytest.raises(EngineError, match=r"set the environment variable DEEPL_AUTH_KEY .*export"):
        load("deepl", EngineOptions())


def test_key_with_a_line_break_is_refused_without_echoing_it(monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", "abc\ndef-secret")
    with pytest.raises(EngineError) as err:
        DeepLEngine(EngineOptions())
    assert "def-secret" not in str(err.value) and "line breaks" in str(err.value)


def test_unreachable_server_is_retryable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nobody listens there
    with pytest.raises(EngineError) as err:
        engine_for(f"http://127.0.0.1:{port}").translate(req("Hi."))
    assert err.value.retryable and "Could not reach DeepL" in str(err.value)


def test_a_reply_slower_than_the_timeout_is_billed_once_and_never_resent(fake):
    """The fake bills on arrival; the client's own policy resent a timed-out batch (RETRIES more bills)."""
    fake.delay = 0.8
    with pytest.raises(EngineError) as err:
        engine_for(fake, timeout=0.2).translate(req("Hi."))
    time.sleep(0.9)  # let the fake finish the late answer
    assert len(fake.calls("translate")) == 1 and fake.character_count == len("Hi.")
    message = str(err.value)
    assert err.value.retryable and "timed out" in message and "may still have translated and billed" in message
    assert "engines.deepl.timeout" in message and "\n" not in message
    assert err.value.__cause__ is None and err.value.__context__ is None


def test_the_timeout_grows_with_the_batch(fake):
    """Same slow server: a small request times out, a 4 KiB batch gets its extra seconds and succeeds."""
    engine = engine_for(fake, timeout=0.3)
    fake.delay = 1.5
    with pytest.raises(EngineError, match=r"did not answer within 0\.4 s .*144 bytes"):  # 0.3 s + 144/1024 s
        engine.translate(req("Hi."))
    time.sleep(1.6)
    big = tuple(f"Sentence number {n} of a long article." * 4 for n in range(30))
    assert engine.request_bytes(big) > 4096
    assert len(engine.translate(req(*big))) == 30
    assert len(fake.calls("translate")) == 2


@pytest.mark.parametrize("value", [0, -1, "fast", True, 7200])
def test_a_bad_timeout_setting_is_refused_by_name(fake, value):
    with pytest.raises(EngineError, match=r"engines\.deepl\.timeout .* between 0 and 3600"):
        engine_for(fake, timeout=value)


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_200_reply_is_one_clear_error(fake, kind):
    fake.malformed = kind
    with pytest.raises(EngineError) as err:
        engine_for(fake).translate(req("Hi.", "There."))
    message = str(err.value)
    assert "reply helpglot cannot read" in message and "may have been billed" in message, message
    assert "engines.deepl.server_url" in message and "\n" not in message
    assert err.value.__cause__ is None and err.value.__context__ is None and not leaked(err.value)
    assert len(fake.calls("translate")) == 1, "a billed request is not resent"


def test_connections_never_made_and_error_answers_are_still_retried(fake):
    fake.fail_next(503, count=RETRIES)
    assert engine_for(fake).translate(req("Hi.")) == ["[ES] HI."]
    assert [c.status for c in fake.calls("translate")] == [503] * RETRIES + [200]


def test_key_never_appears_in_errors_reprs_or_logs(fake, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    engine = engine_for(fake, timeout=0.2)
    assert KEY not in repr(engine) and KEY not in repr(vars(engine))
    errors: list[EngineError] = []

    def failing(setup) -> None:
        setup()
        with pytest.raises(EngineError) as err:
            engine.translate(req("Hi.", glossary=pair("k1")))
        errors.append(err.value)

    failing(lambda: fake.fail_next(429, count=RETRIES + 1))
    failing(lambda: fake.fail_next(500, count=RETRIES + 1))
    failing(lambda: fake.fail_next(456))
    failing(lambda: setattr(fake, "auth_key", "another-key"))
    failing(lambda: (setattr(fake, "auth_key", KEY), setattr(fake, "delay", 0.5)))
    fake.delay = 0
    dead = engine_for("http://127.0.0.1:9")
    with pytest.raises(EngineError) as err:
        dead.usage()
    errors.append(err.value)
    assert len(errors) == 6 and not any(leaked(e) for e in errors)
    assert caplog.records and not any(KEY in r.getMessage() for r in caplog.records)

    # A server that echoes the key back (none should, but the engine must not repeat it either).
    for status, count in ((400, 1), (500, RETRIES + 1), (403, 1)):
        fake.fail_next(status, count=count, message=f"bad key {KEY}")
        with pytest.raises(EngineError) as err:
            engine.translate(req("Hi."))
        assert not leaked(err.value)
        if status == 400:  # the only message that quotes the server (it says what was refused)
            assert "[DEEPL_AUTH_KEY]" in str(err.value)
    assert len(fake.calls("translate")) == len(fake.requests) - 2  # only the glossary list + create besides


# -- cost, plug-in, standalone fake ----------------------------------------------------------------


def test_cost_uses_the_configured_price():
    assert DeepLEngine(EngineOptions()).cost(2_000_000) == pytest.approx(50.0)
    assert DeepLEngine(EngineOptions(price_per_million=20.0)).cost(500_000) == pytest.approx(10.0)


def test_engine_is_registered_and_standalone_fake_serves_it():
    script = Path(__file__).with_name("fake_deepl.py")
    proc = subprocess.Popen([sys.executable, str(script), "--port", "0", "--auth-key", KEY],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("FAKE_DEEPL_URL=")
        engine = load("deepl", EngineOptions(server_url=line.split("=", 1)[1].strip()))
        assert isinstance(engine, DeepLEngine)
        assert engine.translate(req("Hi <x id=\"1\"/>.", target="lt")) == ['[LT] HI <x id="1"/>.']
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_scrubber_hides_the_key_in_url_encoded_and_base64_forms():
    import base64
    import urllib.parse

    from helpglot.drafting.engines.deepl_http import scrubber

    scrub = scrubber(KEY)
    forms = [KEY, urllib.parse.quote(KEY, safe=""), urllib.parse.quote(KEY, safe="").replace("%3A", "%3a"),
             urllib.parse.quote_plus(KEY), base64.b64encode(KEY.encode()).decode(),
             base64.b64encode(KEY.encode()).decode().rstrip("="), base64.urlsafe_b64encode(KEY.encode()).decode(),
             base64.b64encode(f"DeepL-Auth-Key {KEY}".encode()).decode()]
    for form in forms:
        shown = scrub(f"GET /v2/usage?auth_key={form} failed")
        assert form not in shown and "[DEEPL_AUTH_KEY]" in shown, form
        assert KEY not in shown and KEY[:20] not in shown
    assert scrub("nothing secret 100% here") == "nothing secret 100% here"


def test_a_server_echoing_the_encoded_key_does_not_get_it_into_the_error(fake):
    import base64
    import urllib.parse

    for echoed in (urllib.parse.quote(KEY, safe=""), base64.b64encode(KEY.encode()).decode()):
        fake.fail_next(400, message=f"bad auth_key={echoed}")
        with pytest.raises(EngineError) as err:
            engine_for(fake).translate(req("Hi."))
        assert echoed not in str(err.value) and "[DEEPL_AUTH_KEY]" in str(err.value)
