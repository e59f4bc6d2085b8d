"""A fake DeepL API on 127.0.0.1 that the real ``deepl`` client talks to through ``server_url``.

Why a server and not a mock: the engine's behaviour that matters (what goes over
the wire, the client's own retries and status handling, limits, glossaries) only
shows when the real client sends real HTTP. The fake implements what the client
calls: ``/v2/translate`` (JSON or form bodies), ``/v2/usage``, glossaries on
``/v2/glossaries`` and ``/v3/glossaries`` (create, list, get, entries, delete).

Translation is deterministic and keeps tags: glossary entries are applied to the
text between tags (whole words, case-insensitive), then that text is upper-cased
and ``[ES] `` (the target code) is put in front of the first text run. Entities
and tags pass through unchanged; ``tag_handling_version=v2`` parses the segment as
strict XML like DeepL does. Every API request is recorded (:class:`Recorded`).

Programmable failures: :meth:`FakeDeepL.fail_next` (the next N requests to an
endpoint answer a status), ``delay`` (seconds before each answer), ``quota``
(characters; a request that would go over answers 456), ``drop_tags`` (one
``<x .../>`` removed from each output), ``auth_key`` (any other key gets 403),
``malformed`` (a translate request is billed, then answered HTTP 200 with a body
that is not DeepL's: one of :data:`MALFORMED`, e.g. a captive portal's HTML),
``output`` (a function of each translated text: an engine that answers something
else, e.g. entity-escaped ``<script>``). ``delay`` is a slow reply (``translate_delay``:
only translations are slow, glossaries and usage answer at once): the request is
billed on arrival, only the answer is late, so a client that gives up and resends
pays again (the fake counts it, like DeepL). Over 50 texts or a body over 128 KiB
answers 413.

Standalone, for subprocess tests: ``python tests/fake_deepl.py --port N [--delay S]``
prints ``FAKE_DEEPL_URL=http://127.0.0.1:N`` and serves until killed. The same
knobs are reachable over HTTP: ``POST /_fake/fail`` ``{"status": 429, "count": 2,
"endpoint": "translate"}``, ``POST /_fake/config`` ``{"delay", "quota",
"drop_tags", "auth_key"}``, ``GET /_fake/requests``, ``GET /_fake/state``,
``POST /_fake/reset``.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import http.server
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

MAX_TEXTS = 50
MAX_BODY = 128 * 1024
FORMALITY_LANGS = {"DE", "FR", "IT", "ES", "ES-419", "NL", "PL", "PT-BR", "PT-PT", "JA", "RU"}
FORMALITIES = {"default", "more", "less", "prefer_more", "prefer_less"}
_TOKEN = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);)")
_PLACEHOLDER = re.compile(r"<x\b[^>]*/>")
_PHRASES = {**{s.value: s.phrase for s in http.HTTPStatus}, 456: "Quota exceeded"}
#: malformed HTTP 200 bodies: name -> (content type, body template; the lists have one item per text)
MALFORMED = {
    "html": ("text/html", "<html><body>Sign in to the Wi-Fi to continue</body></html>"),
    "truncated": ("application/json", '{{"translations": [{{"detected_source_language": "EN", "text": "[ES] HA'),
    "empty": ("application/json", "{{}}"),
    "list": ("application/json", "[]"),
    "null-entries": ("application/json", '{{"translations": [{nulls}]}}'),
    "no-billed": ("application/json", '{{"translations": [{plain}]}}'),
    "number-text": ("application/json", '{{"translations": [{numbers}]}}'),
    "fewer": ("application/json", '{{"translations": [{fewer}]}}'),
}


@dataclass
class Recorded:
    """One API request as the fake saw it."""

    method: str
    path: str
    endpoint: str  # translate | usage | glossaries | other
    status: int = 200
    body_bytes: int = 0
    texts: list[str] = field(default_factory=list)
    source_lang: str | None = None
    target_lang: str | None = None
    formality: str | None = None
    context: str | None = None
    glossary_id: str | None = None
    tag_handling: str | None = None
    tag_handling_version: str | None = None


@dataclass
class Glossary:
    glossary_id: str
    name: str
    created: str
    api: str  # "v2" | "v3": how it was created
    dictionaries: dict[tuple[str, str], dict[str, str]]  # (SRC, TGT) -> entries


def fake_translate(text: str, target: str, entries: dict[str, str], xml: bool, drop_tag: bool) -> str:
    """The fake's deterministic 'translation'; see the module docstring."""
    parts = _TOKEN.split(text) if xml else [text]
    terms = sorted(entries, key=len, reverse=True)
    out: list[str] = []
    prefixed = False
    for i, part in enumerate(parts):
        if i % 2 == 1 or not part.strip():
            out.append(part)
            continue
        for term in terms:
            replacement = escape(entries[term]) if xml else entries[term]
            part = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", lambda _m, r=replacement: r, part, flags=re.I)
        part = part.upper()
        if not prefixed:
            stripped = part.lstrip()
            part = part[: len(part) - len(stripped)] + f"[{target}] " + stripped
            prefixed = True
        out.append(part)
    result = "".join(out) if prefixed else f"[{target}] " + "".join(out)
    if drop_tag:
        result = _PLACEHOLDER.sub("", result, count=1)
    return result


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FakeDeepL:
    """The fake server; use as a context manager, or ``start()``/``stop()``."""

    def __init__(self, auth_key: str | None = None, delay: float = 0.0, quota: int | None = None,
                 port: int = 0, drop_tags: bool = False) -> None:
        self.auth_key = auth_key
        self.malformed: str | None = None
        self.translate_delay = 0.0
        self.output = None  # a function str -> str applied to each translation
        self.delay = delay
        self.quota = quota
        self.drop_tags = drop_tags
        self.character_count = 0
        self.requests: list[Recorded] = []
        self.glossaries: dict[str, Glossary] = {}
        self._failures: collections.deque[tuple[str, int, str | None]] = collections.deque()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeDeepL:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeDeepL:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- programming and inspecting ----------------------------------------------------------------

    def fail_next(self, status: int, count: int = 1, endpoint: str = "translate", message: str | None = None) -> None:
        """The next ``count`` requests to ``endpoint`` (or ``"any"``) answer ``status``."""
        with self._lock:
            self._failures.extend([(endpoint, status, message)] * count)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.glossaries.clear()
            self._failures.clear()
            self.character_count = 0

    def calls(self, endpoint: str = "translate", method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if r.endpoint == endpoint and (method is None or r.method == method)]

    def _take_failure(self, endpoint: str) -> tuple[int, str | None] | None:
        with self._lock:
            if self._failures and self._failures[0][0] in (endpoint, "any"):
                _, status, message = self._failures.popleft()
                return status, message
        return None

    # -- the API -----------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, body: dict, raw_len: int,
               auth: str | None) -> tuple[int, object]:
        parts = path.strip("/").split("/")
        endpoint = {"translate": "translate", "usage": "usage", "glossaries": "glossaries"}.get(
            parts[1] if len(parts) > 1 else "", "other")
        record = Recorded(method, path, endpoint, body_bytes=raw_len)
        with self._lock:
            self.requests.append(record)
        try:
            expected = f"DeepL-Auth-Key {self.auth_key}" if self.auth_key else None
            if not auth or (expected and auth != expected):
                raise ApiError(403, "Authorization failure")
            failure = self._take_failure(endpoint)
            if failure:
                status, message = failure
                raise ApiError(status, message or _PHRASES.get(status, "Error"))
            result = self._route(method, parts, query, body, record)
        except ApiError as err:
            record.status = err.status
            return err.status, {"message": err.message}
        return 200, result

    def _route(self, method: str, parts: list[str], query: dict, body: dict, record: Recorded) -> object:
        version, rest = parts[0], parts[1:]
        if version == "v2" and rest == ["translate"] and method == "POST":
            return self._translate(body, record)
        if version == "v2" and rest == ["usage"]:
            return {"character_count": self.character_count,
                    "character_limit": self.quota if self.quota is not None else 1_000_000_000_000}
        if version in ("v2", "v3") and rest and rest[0] == "glossaries":
            return self._glossaries(version, method, rest[1:], query, body)
        if version == "v2" and rest == ["glossary-language-pairs"]:
            return {"supported_languages": [{"source_lang": "en", "target_lang": t.lower()}
                                            for t in sorted(FORMALITY_LANGS | {"RO", "TR", "LT"})]}
        raise ApiError(404, "Not found")

    def _translate(self, body: dict, record: Recorded) -> dict:
        texts = body.get("text") or []
        texts = [texts] if isinstance(texts, str) else list(texts)
        target = str(body.get("target_lang", "")).upper()
        source = str(body["source_lang"]).upper() if body.get("source_lang") else None
        glossary_id = body.get("glossary_id")
        formality = body.get("formality")
        record.texts, record.target_lang, record.source_lang = texts, target, source
        record.formality, record.context, record.glossary_id = formality, body.get("context"), glossary_id
        record.tag_handling, record.tag_handling_version = body.get("tag_handling"), body.get("tag_handling_version")
        if len(texts) > MAX_TEXTS or record.body_bytes > MAX_BODY:
            raise ApiError(413, "Request Entity Too Large")
        if not texts:
            raise ApiError(400, "Parameter 'text' not specified.")
        if not target:
            raise ApiError(400, "Value for 'target_lang' not supported.")
        if formality is not None and formality not in FORMALITIES:
            raise ApiError(400, "Value for 'formality' not supported.")
        if formality in ("more", "less") and target not in FORMALITY_LANGS:
            raise ApiError(400, "'formality' is not supported for given 'target_lang'.")
        entries: dict[str, str] = {}
        if glossary_id:
            if not source:
                raise ApiError(400, "Use of a glossary requires the 'source_lang' parameter to be specified.")
            glossary = self.glossaries.get(glossary_id)
            if glossary is None:
                raise ApiError(404, "Glossary not found")
            pair = (source, target.split("-")[0])
            if pair not in glossary.dictionaries:
                raise ApiError(400, "Glossary does not match the language pair")
            entries = glossary.dictionaries[pair]
        xml = body.get("tag_handling") == "xml"
        if xml and body.get("tag_handling_version") == "v2":
            for text in texts:
                try:
                    ET.fromstring(f"<r>{text}</r>")
                except ET.ParseError:
                    raise ApiError(400, "Tag handling parsing failed, please check input.") from None
        billed = sum(len(t) for t in texts)
        with self._lock:
            if self.quota is not None and self.character_count + billed > self.quota:
                raise ApiError(456, "Quota exceeded")
            self.character_count += billed
        outputs = [fake_translate(text, target, entries, xml, self.drop_tags) for text in texts]
        if self.output is not None:
            outputs = [self.output(text) for text in outputs]
        if self.malformed:
            ctype, template = MALFORMED[self.malformed]
            n = len(texts)
            return _Raw(template.format(
                nulls=", ".join(["null"] * n), plain=", ".join(['{"text": "x"}'] * n),
                numbers=", ".join(['{"text": 42, "billed_characters": 1}'] * n),
                fewer=", ".join(['{"text": "x", "billed_characters": 1}'] * max(n - 1, 0))), ctype)
        return {"translations": [
            {"detected_source_language": source or "EN", "billed_characters": len(text), "text": out}
            for text, out in zip(texts, outputs, strict=True)
        ]}

    def _glossaries(self, version: str, method: str, rest: list[str], query: dict, body: dict) -> object:
        if not rest:
            if method == "POST":
                return self._describe(self._create(version, body), version)
            listed = [g for g in self.glossaries.values() if version == "v3" or len(g.dictionaries) == 1]
            return {"glossaries": [self._describe(g, version) for g in listed]}
        glossary = self.glossaries.get(rest[0])
        if glossary is None or (version == "v2" and len(glossary.dictionaries) != 1):
            raise ApiError(404, "Glossary not found")
        if len(rest) == 1 and method == "DELETE":
            with self._lock:
                del self.glossaries[glossary.glossary_id]
            return None
        if len(rest) == 1 and method == "GET":
            return self._describe(glossary, version)
        if rest[1:] == ["entries"] and method == "GET":
            if version == "v2":
                return _Tsv(_to_tsv(next(iter(glossary.dictionaries.values()))))
            pair = (str(query.get("source_lang", "")).upper(), str(query.get("target_lang", "")).upper())
            if pair not in glossary.dictionaries:
                raise ApiError(404, "Dictionary not found")
            return {"dictionaries": [{"source_lang": pair[0].lower(), "target_lang": pair[1].lower(),
                                      "entries": _to_tsv(glossary.dictionaries[pair]), "entries_format": "tsv"}]}
        raise ApiError(404, "Not found")

    def _create(self, version: str, body: dict) -> Glossary:
        if not body.get("name"):
            raise ApiError(400, "Missing glossary name")
        specs = body.get("dictionaries") if version == "v3" else [body]
        dictionaries = {}
        for spec in specs or []:
            if spec.get("entries_format", "tsv") != "tsv" or not spec.get("entries"):
                raise ApiError(400, "Invalid glossary entries")
            pair = (str(spec["source_lang"]).upper(), str(spec["target_lang"]).upper())
            dictionaries[pair] = dict(line.split("\t", 1) for line in spec["entries"].splitlines() if line)
        if not dictionaries:
            raise ApiError(400, "Missing glossary dictionaries")
        created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        glossary = Glossary(str(uuid.uuid4()), body["name"], created, version, dictionaries)
        with self._lock:
            self.glossaries[glossary.glossary_id] = glossary
        return glossary

    @staticmethod
    def _describe(g: Glossary, version: str) -> dict:
        if version == "v2":
            (src, tgt), entries = next(iter(g.dictionaries.items()))
            return {"glossary_id": g.glossary_id, "name": g.name, "ready": True, "source_lang": src.lower(),
                    "target_lang": tgt.lower(), "creation_time": g.created, "entry_count": len(entries)}
        return {"glossary_id": g.glossary_id, "name": g.name, "creation_time": g.created,
                "dictionaries": [{"source_lang": s.lower(), "target_lang": t.lower(), "entry_count": len(e)}
                                 for (s, t), e in g.dictionaries.items()]}

    # -- control endpoints (no auth) for subprocess tests -------------------------------------------

    def control(self, method: str, action: str, body: dict) -> object:
        if action == "fail" and method == "POST":
            self.fail_next(int(body["status"]), int(body.get("count", 1)), body.get("endpoint", "translate"),
                           body.get("message"))
        elif action == "config" and method == "POST":
            for key in ("delay", "translate_delay", "quota", "drop_tags", "auth_key", "malformed"):
                if key in body:
                    setattr(self, key, body[key])
        elif action == "reset" and method == "POST":
            self.reset()
        elif action == "requests":
            return [dataclasses.asdict(r) for r in self.requests]
        elif action == "state":
            return {"character_count": self.character_count, "glossaries": [
                {"glossary_id": g.glossary_id, "name": g.name, "api": g.api,
                 "dictionaries": {f"{s}-{t}": e for (s, t), e in g.dictionaries.items()}}
                for g in self.glossaries.values()]}
        else:
            raise ApiError(404, "Not found")
        return {"ok": True}


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that timed out and hung up is normal
            super().handle_error(request, client_address)


class _Tsv(str):
    """A body to send as text/tab-separated-values."""


class _Raw(str):
    """A body sent as it is, with its own content type (a malformed reply)."""

    ctype = "application/json"

    def __new__(cls, body: str, ctype: str) -> _Raw:
        raw = super().__new__(cls, body)
        raw.ctype = ctype
        return raw


def _to_tsv(entries: dict[str, str]) -> str:
    return "\n".join(f"{s}\t{t}" for s, t in entries.items())


def _parse_body(raw: bytes, content_type: str) -> dict:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    form = urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    return {k: (v if k in ("text", "ignore_tags", "splitting_tags", "non_splitting_tags") else v[-1])
            for k, v in form.items()}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _dispatch(self) -> None:
        fake: FakeDeepL = self.server.fake  # type: ignore[attr-defined]
        url = urllib.parse.urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        try:
            body = _parse_body(raw, self.headers.get("Content-Type", ""))
        except (ValueError, UnicodeDecodeError):
            self._send(400, {"message": "Invalid request body"})
            return
        if url.path.startswith("/_fake/"):
            try:
                self._send(200, fake.control(self.command, url.path.split("/")[2], body))
            except ApiError as err:
                self._send(err.status, {"message": err.message})
            return
        status, payload = fake.handle(self.command, url.path, query, body, len(raw), self.headers.get("Authorization"))
        delay = fake.delay + (fake.translate_delay if url.path.rstrip("/").endswith("/translate") else 0.0)
        if delay:  # the answer is decided on arrival (like a real server, it may bill a request the client
            time.sleep(delay)  # gave up on); only sending it is late
        self._send(status, payload)

    def _send(self, status: int, payload: object) -> None:
        if payload is None:
            data, ctype = b"", None
        elif isinstance(payload, _Raw):
            data, ctype = payload.encode("utf-8"), payload.ctype
        elif isinstance(payload, _Tsv):
            data, ctype = payload.encode("utf-8"), "text/tab-separated-values; charset=utf-8"
        else:
            data, ctype = json.dumps(payload).encode("utf-8"), "application/json"
        status = 204 if status == 200 and payload is None else status
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _dispatch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake DeepL API for tests")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--quota", type=int, default=None, help="character limit; over it answers 456")
    parser.add_argument("--auth-key", default=None, help="only this key is accepted (default: any key)")
    args = parser.parse_args(argv)
    fake = FakeDeepL(auth_key=args.auth_key, delay=args.delay, quota=args.quota, port=args.port)
    print(f"FAKE_DEEPL_URL={fake.url}", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
