"""DeepL engine: a thin adapter over the official ``deepl`` client (>= 1.32).

Protected segments are XML fragments, so every request uses
``tag_handling="xml"`` with ``tag_handling_version`` pinned to ``"v2"``:
the account default differs between accounts (v1 for accounts that used tag
handling before 2025-12-01), and v2 parses XML strictly, so a malformed segment
fails loudly instead of coming back with tags moved or eaten. Client 1.32 has a
``tag_handling_version`` argument; an older client without it gets the value
through ``extra_body_parameters``, which the client merges into the JSON body.

The key comes from ``DEEPL_AUTH_KEY`` only. It is never stored outside the
client's request headers, and every message this module produces is scrubbed
of it; errors are raised outside ``except`` blocks so no chained exception (a
``requests`` error carries the prepared request, Authorization header included)
travels with them.

Every request has an explicit timeout sized to its body (:mod:`helpglot.drafting.engines.deepl_http`):
DeepL bills a request it received even when the answer never arrives, so the
client's own policy (retry a timed-out request up to ``max_network_retries``
times, each one billed) is replaced by one that resends only what was certainly
not received or answered an error (429, 5xx, refused connections). A POST that
timed out or lost its connection after sending is not resent; the run stops
with a message that says so. Every client failure, a malformed HTTP 200 reply
included, becomes one :class:`EngineError` that says what to do.

Glossaries are synced to DeepL by content version: one glossary per
language pair and version, named ``helpglot-<source>-<target>-<version>``,
reused by later runs and replaced (old one deleted after the new one exists)
when the version changes.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import deepl
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from helpglot import __version__
from helpglot.drafting.engines.base import EngineError, EngineOptions, GlossaryPair, Request
from helpglot.drafting.engines.deepl_http import NoAnswer, SafeHttpClient, base_timeout, scrubber

log = logging.getLogger(__name__)
T = TypeVar("T")
# what the client raises when it parses an HTTP 200 that is not DeepL's JSON (None, a list, no field)
_MALFORMED = (AttributeError, KeyError, IndexError, TypeError, ValueError)

ENV_KEY = "DEEPL_AUTH_KEY"
TAG_HANDLING = "xml"
TAG_HANDLING_VERSION = "v2"
DEFAULT_PRICE_PER_MILLION = 25.0  # EUR, DeepL API Pro per-character price
GLOSSARY_PREFIX = "helpglot"

_SOURCES = frozenset(
    "AR BG CS DA DE EL EN ES ET FI FR HE HU ID IT JA KO LT LV NB NL PL PT RO RU SK SL SV TH TR UK VI ZH".split()
)
_TARGETS = (_SOURCES - {"EN", "PT", "ZH"}) | {"EN-GB", "EN-US", "ES-419", "PT-BR", "PT-PT", "ZH-HANS", "ZH-HANT"}
# DeepL refuses bare EN/PT as targets; a bare code means the variant most readers expect.
_TARGET_DEFAULTS = {"EN": "EN-US", "PT": "PT-PT", "ZH": "ZH-HANS"}


def deepl_source(lang: str) -> str:
    """DeepL source code: the base language, upper case (``en-US`` → ``EN``)."""
    return lang.replace("_", "-").split("-")[0].upper()


def deepl_target(lang: str) -> str:
    """DeepL target code (``es`` → ``ES``, ``en`` → ``EN-US``, ``pt_BR`` → ``PT-BR``)."""
    code = lang.replace("_", "-").upper()
    return _TARGET_DEFAULTS.get(code, code)


@dataclass(frozen=True)
class Usage:
    """Characters used in the current billing period and the account's limit (None: unlimited/unknown)."""

    characters: int | None
    limit: int | None

    @property
    def remaining(self) -> int | None:
        if self.characters is None or self.limit is None:
            return None
        return max(self.limit - self.characters, 0)


@dataclass(frozen=True)
class _Remote:
    """A glossary as listed by DeepL: id, name and the (SOURCE, TARGET) base pairs it covers."""

    glossary_id: str
    name: str
    pairs: frozenset[tuple[str, str]]


class DeepLEngine:
    """Translate protected segments with DeepL; see the module docstring for why it is built this way."""

    name = "deepl"
    max_texts = 50
    #: DeepL's limit on the JSON request body; measure a batch with :meth:`request_bytes`.
    max_bytes = 128 * 1024

    def __init__(self, options: EngineOptions) -> None:
        key = os.environ.get(ENV_KEY, "").strip()
        if not key:
            raise EngineError(
                f"DeepL needs an API key: set the environment variable {ENV_KEY} "
                f"(locally `export {ENV_KEY}=<your key>`; in GitHub Actions map a repository secret to "
                f"{ENV_KEY} in the workflow's env). Keys of DeepL API Free accounts end in ':fx'."
            )
        if not key.isascii() or any(ch.isspace() or not ch.isprintable() for ch in key):
            raise EngineError(
                f"{ENV_KEY} contains spaces, line breaks or non-ASCII characters; copy the key again "
                "from your DeepL account (Account > API Keys) and set it as one line."
            )
        self._scrub = scrubber(key)
        server_url = options.server_url.rstrip("/") + "/" if options.server_url else None
        client_class = getattr(deepl, "DeepLClient", deepl.Translator)
        self._client = client_class(key, server_url=server_url)
        self._http = SafeHttpClient(base_timeout(options.extra.get("timeout")))
        self._client._client.close()
        self._client._client = self._http  # timeouts sized to the request, no blind resend of a billed one
        self._client.set_app_info("helpglot", __version__)
        self._server = server_url or self._client.server_url
        price = options.price_per_million
        self._price = DEFAULT_PRICE_PER_MILLION if price is None else float(price)
        wanted = options.extra.get("glossary_api")
        has_v3 = hasattr(self._client, "create_multilingual_glossary")
        if wanted not in (None, "v2", "v3") or (wanted == "v3" and not has_v3):
            raise EngineError(f"engines.deepl.glossary_api must be 'v2' or 'v3' (v3 needs deepl>=1.21), not {wanted!r}")
        self._v3 = has_v3 if wanted is None else wanted == "v3"
        params = inspect.signature(self._client.translate_text).parameters
        self._tag_version_arg = "tag_handling_version" in params
        if not self._tag_version_arg and "extra_body_parameters" not in params:
            raise EngineError(f"the installed deepl package ({deepl.__version__}) cannot pin tag handling; "
                              "upgrade it: pip install 'deepl>=1.32'")
        self._remote: list[_Remote] | None = None  # listed once per instance
        self._glossary_ids: dict[str, str] = {}  # glossary name -> id

    def __repr__(self) -> str:
        return f"DeepLEngine(server={self._server!r})"

    # -- Engine protocol ---------------------------------------------------------------------------

    def supports(self, source: str, target: str) -> bool:
        src, tgt = deepl_source(source), deepl_target(target)
        return src in _SOURCES and tgt in _TARGETS and src != tgt.split("-")[0]

    def cost(self, chars: int) -> float:
        return chars / 1e6 * self._price

    def request_bytes(self, texts: Sequence[str], context: str | None = None) -> int:
        """Upper bound of the JSON body the client sends for ``texts`` (what DeepL's 128 KiB limit counts).

        The client JSON-encodes with ``ensure_ascii``: ``"`` in tag attributes costs 2 bytes and a
        non-ASCII character 6 or 12, so UTF-8 length of the texts alone can under-count.
        """
        body: dict[str, Any] = {
            "text": list(texts), "target_lang": "ZH-HANT", "source_lang": "EN", "formality": "prefer_less",
            "glossary_id": "0" * 36, "show_billed_characters": True, "tag_handling": TAG_HANDLING,
            "tag_handling_version": TAG_HANDLING_VERSION,
        }
        if context is not None:
            body["context"] = context
        return len(json.dumps(body).encode("utf-8"))

    def translate(self, request: Request) -> list[str]:
        texts = list(request.texts)
        if len(texts) > self.max_texts:
            raise ValueError(f"DeepL takes at most {self.max_texts} texts per request, got {len(texts)}")
        size = self.request_bytes(texts, request.context)
        if size > self.max_bytes:
            raise ValueError(f"DeepL takes at most {self.max_bytes} bytes per request, this one is {size}")
        if not texts:
            return []
        if not self.supports(request.source, request.target):
            raise EngineError(
                f"DeepL does not translate {request.source}→{request.target}; choose another engine for "
                f"'{request.target}' (languages.{request.target}.engine in mkdocs.yml)"
            )
        action = f"translating {request.source}→{request.target}"
        kwargs: dict[str, Any] = {
            "source_lang": deepl_source(request.source),
            "target_lang": deepl_target(request.target),
            "tag_handling": TAG_HANDLING,
        }
        if self._tag_version_arg:
            kwargs["tag_handling_version"] = TAG_HANDLING_VERSION
        else:
            kwargs["extra_body_parameters"] = {"tag_handling_version": TAG_HANDLING_VERSION}
        if request.formality:
            kwargs["formality"] = request.formality
        if request.context:
            kwargs["context"] = request.context
        glossary = request.glossary if request.glossary and request.glossary.entries else None
        for attempt in (1, 2):
            if glossary is not None:
                kwargs["glossary"] = self._glossary_id(glossary)
            try:
                results = self._client.translate_text(texts, **kwargs)
                break
            except deepl.DeepLException as exc:
                if glossary is not None and exc.http_status_code == 404 and attempt == 1:
                    # Deleted behind our back (e.g. another branch synced a newer version): sync again once.
                    log.info("DeepL glossary %s is gone; creating it again", kwargs["glossary"])
                    self._forget(glossary)
                    continue
                error = self._explain(exc, action, formality=request.formality)
            except _MALFORMED as exc:  # the client read an HTTP 200 that is not DeepL's JSON
                error = self._malformed(action, f"{type(exc).__name__}: {exc}")
            raise error
        if not isinstance(results, list) or len(results) != len(texts):
            got = len(results) if isinstance(results, list) else 1
            raise self._malformed(action, f"{got} translations for {len(texts)} texts")
        if not all(isinstance(result.text, str) for result in results):
            raise self._malformed(action, "a translation that is not text")
        return [result.text for result in results]

    # -- extras ------------------------------------------------------------------------------------

    def usage(self) -> Usage:
        """Characters used and the limit of the current billing period, as DeepL reports them."""
        usage = self._call(self._client.get_usage, "reading usage")
        return Usage(usage.character.count, usage.character.limit)

    def close(self) -> None:
        self._client.close()

    # -- glossaries --------------------------------------------------------------------------------

    @staticmethod
    def glossary_name(pair: GlossaryPair) -> str:
        version = re.sub(r"[^A-Za-z0-9_.]", "_", pair.version)
        return f"{GLOSSARY_PREFIX}-{pair.source}-{pair.target}-{version}"

    def _glossary_id(self, pair: GlossaryPair) -> str:
        """Id of the DeepL glossary for this pair and version: cached, reused from DeepL, or created."""
        name = self.glossary_name(pair)
        if name in self._glossary_ids:
            return self._glossary_ids[name]
        languages = (deepl_source(pair.source), deepl_target(pair.target).split("-")[0])
        remote = self._list_remote()
        found = [g for g in remote if g.name == name and languages in g.pairs]
        if found:
            glossary_id = found[0].glossary_id
            log.info("reusing DeepL glossary %s (%s)", name, glossary_id)
        else:
            glossary_id = self._create_remote(name, languages, dict(pair.entries))
            remote.append(_Remote(glossary_id, name, frozenset([languages])))
            log.info("created DeepL glossary %s (%s, %d entries)", name, glossary_id, len(pair.entries))
        self._glossary_ids[name] = glossary_id
        self._delete_older(pair, keep=name)
        return glossary_id

    def _forget(self, pair: GlossaryPair) -> None:
        name = self.glossary_name(pair)
        self._glossary_ids.pop(name, None)
        if self._remote is not None:
            self._remote = [g for g in self._remote if g.name != name]

    def _list_remote(self) -> list[_Remote]:
        if self._remote is None:
            if self._v3:
                listed = self._call(self._client.list_multilingual_glossaries, "listing glossaries")
                self._remote = [
                    _Remote(g.glossary_id, g.name, frozenset((d.source_lang, d.target_lang) for d in g.dictionaries))
                    for g in listed
                ]
            else:
                listed = self._call(self._client.list_glossaries, "listing glossaries")
                self._remote = [
                    _Remote(g.glossary_id, g.name, frozenset([(g.source_lang, g.target_lang)])) for g in listed
                ]
        return self._remote

    def _create_remote(self, name: str, languages: tuple[str, str], entries: dict[str, str]) -> str:
        action = f"creating glossary {name}"
        try:  # the client validates terms before sending them (ValueError); nothing is sent then
            deepl.util.convert_dict_to_tsv(entries)
        except ValueError as exc:
            message = self._scrub(str(exc))
            raise EngineError(f"the glossary for {name} has an entry DeepL cannot accept: {message}; "
                              "fix it in glossary/") from None
        if self._v3:
            dictionary = MultilingualGlossaryDictionaryEntries(languages[0], languages[1], entries)
            return self._call(self._client.create_multilingual_glossary, action, name, [dictionary]).glossary_id
        source, target = languages
        return self._call(self._client.create_glossary, action, name, source, target, entries).glossary_id

    def _delete_older(self, pair: GlossaryPair, keep: str) -> None:
        """Delete this pair's other helpglot glossaries; only called once ``keep`` exists on DeepL.

        A name matches only ``helpglot-<source>-<target>-<version>`` with a version free of '-', so
        the ``es`` pair never touches ``es-419`` glossaries, and glossaries not made by helpglot stay.
        """
        own = re.compile(rf"{GLOSSARY_PREFIX}-{re.escape(pair.source)}-{re.escape(pair.target)}-[A-Za-z0-9_.]+")
        remote = self._list_remote()
        for glossary in [g for g in remote if own.fullmatch(g.name) and g.name != keep]:
            delete = self._client.delete_multilingual_glossary if self._v3 else self._client.delete_glossary
            try:
                delete(glossary.glossary_id)
            except deepl.GlossaryNotFoundException:
                pass  # someone else deleted it already
            except deepl.DeepLException as exc:  # housekeeping: never stop a translation for it
                log.warning("could not delete old DeepL glossary %s: %s", glossary.name, self._scrub(str(exc)))
                continue
            remote.remove(glossary)
            log.info("deleted old DeepL glossary %s (%s)", glossary.name, glossary.glossary_id)

    # -- errors ------------------------------------------------------------------------------------

    def _call(self, fn: Callable[..., T], action: str, *args: Any) -> T:
        """Call the client; a DeepL failure becomes an EngineError raised with no exception chain."""
        try:
            return fn(*args)
        except deepl.DeepLException as exc:
            error = self._explain(exc, action)
        except _MALFORMED as exc:
            error = self._malformed(action, f"{type(exc).__name__}: {exc}")
        raise error

    def _malformed(self, action: str, what: str) -> EngineError:
        """A reply the client could not read: say so in one line; it may have been billed."""
        return EngineError(
            f"DeepL answered with a reply helpglot cannot read while {action} ({self._scrub(what)[:200]}). "
            "The request may have been billed; nothing was written for it. Check engines.deepl.server_url "
            f"(used: {self._server}; a proxy or captive portal may be answering instead of DeepL) and rerun.",
            retryable=True,
        )

    def _explain(self, exc: deepl.DeepLException, action: str, formality: str | None = None) -> EngineError:
        """Turn a client exception into a message a user can act on (key scrubbed)."""
        status = exc.http_status_code
        text = self._scrub(str(exc))
        detail = text.split(", message: ", 1)[1] if ", message: " in text else text
        detail = detail[:300].rstrip(". ")
        count = deepl.http_client.max_network_retries
        retries = f"{count} {'retry' if count == 1 else 'retries'}"
        kept = "Nothing is lost: finished segments are saved and are not translated again."
        if isinstance(exc, NoAnswer):
            return EngineError(
                f"DeepL did not answer within {exc.seconds:.1f} s while {action} (request timed out: "
                f"{exc.size:,} bytes). DeepL may still have translated and billed it, so helpglot did "
                f"not send it again. {kept} Rerun later; raise plugins.helpglot.engines.deepl.timeout in mkdocs.yml "
                f"(now {self._http.base:g} s for a small request, plus a second per KiB) if DeepL is slow from your "
                "network.",
                retryable=True,
            )
        if isinstance(exc, deepl.AuthorizationException):
            return EngineError(
                f"DeepL rejected the API key (HTTP 403) while {action}. Check that {ENV_KEY} holds a current "
                "key from your DeepL account, and that the server matches the key's plan: keys ending in ':fx' "
                "are DeepL API Free keys for https://api-free.deepl.com, other keys are for https://api.deepl.com "
                f"(set engines.deepl.server_url; used: {self._server})."
            )
        if isinstance(exc, deepl.QuotaExceededException):
            return EngineError(
                f"DeepL's character quota for this billing period is used up (HTTP 456) while {action}. {kept} "
                "Rerun the same command once the quota resets or is raised in your DeepL account: "
                "it continues where it stopped."
            )
        if isinstance(exc, deepl.TooManyRequestsException) or status == 429:
            return EngineError(
                f"DeepL kept rate-limiting requests (HTTP 429) while {action}, still after {retries}. "
                f"{kept} Wait a few minutes and rerun.",
                retryable=True,
            )
        if isinstance(exc, deepl.ConnectionException):
            # should_retry is False for errors no rerun fixes, e.g. a malformed server_url.
            tried = f", still after {retries}" if exc.should_retry else ""
            return EngineError(
                f"Could not reach DeepL at {self._server} while {action} ({detail}){tried}. "
                f"{kept} Check the network connection and engines.deepl.server_url, then rerun.",
                retryable=exc.should_retry,
            )
        if status is not None and status >= 500:
            return EngineError(
                f"DeepL is unavailable (HTTP {status}) while {action}, still after {retries}. "
                f"{kept} Rerun later.",
                retryable=True,
            )
        if status == 413:
            return EngineError(f"DeepL refused a request as too large (HTTP 413) while {action}; this is a "
                               "helpglot batching bug, please report it.")
        hint = ""
        if "formality" in detail.lower() and formality in ("more", "less"):
            hint = (f" This language has no formal/informal forms in DeepL: set its formality to "
                    f"prefer_{formality} (falls back to default) instead of {formality}.")
        elif "tag handling" in detail.lower():
            hint = " A segment is not well-formed XML: this is a helpglot bug, please report it with the article."
        code = f"HTTP {status}" if status else "no HTTP status"
        return EngineError(f"DeepL refused the request ({code}) while {action}: {detail}.{hint}")
