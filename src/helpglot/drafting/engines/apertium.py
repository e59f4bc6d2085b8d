"""Apertium: free, offline, rule-based translation with the pairs installed on this machine.

Why it looks the way it does:

* One ``apertium`` process per request. Starting the pipeline (eight programs
  loading their transducers) costs more than translating a paragraph, so every
  segment of a request goes into one HTML document, one ``<p id="helpglot-N">``
  per segment, and the output is split on those paragraphs again. Block tags end
  a sentence for Apertium, so words never move from one segment into another.
* ``-f html-alt``, not ``-f html``. With transfuse installed (Debian installs it),
  ``html`` rewrites unknown tags (``<x id="1"/>`` comes back as ``<x id="1"></x>``),
  capitalises words after tags and duplicates inline tags around reordered
  words. ``html-alt`` turns every tag into an opaque "superblank" that comes back
  byte for byte, so each ``<x/>`` and ``<g>`` returns exactly once. (``xml`` is not
  an Apertium format: it silently falls back to plain text and mangles the tags.)
  A superblank keeps its position while words around it may be reordered, so a
  paired span can end up around a neighbouring word; the tags still all come back.
* Entities are swapped for private-use characters before translation, because
  Apertium reads ``&amp;`` as the word "amp" and a dictionary may know it.
* Glossary terms are replaced by an opaque tag before translation and by the
  target term after, so Apertium cannot mistranslate or inflect them away.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

from helpglot.drafting.engines.base import EngineError, EngineOptions, GlossaryPair, Request

#: ISO 639-1 → 639-3, the codes Apertium names its modes and Debian its packages with.
ISO3 = {
    "af": "afr", "an": "arg", "be": "bel", "bg": "bul", "br": "bre", "bs": "hbs", "ca": "cat", "da": "dan",
    "de": "deu", "en": "eng", "eo": "epo", "es": "spa", "eu": "eus", "fr": "fra", "gl": "glg", "hi": "hin",
    "hr": "hbs", "id": "ind", "is": "isl", "it": "ita", "lt": "lit", "mk": "mkd", "ms": "zlm", "nb": "nob",
    "nl": "nld", "nn": "nno", "no": "nor", "oc": "oci", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus",
    "sc": "srd", "sl": "slv", "sr": "hbs", "sv": "swe", "tr": "tur", "uk": "ukr", "ur": "urd",
}  # fmt: skip

#: Apertium pair packages in Debian 12 (bookworm), from `apt-cache search apertium`, transitional
#: dummies left out. Old packages use two-letter names (apertium-es-ro); the pair is what counts.
DEBIAN_PACKAGES = (
    "afr-nld arg-cat bel-rus br-fr cat-ita cat-srd dan-nor en-gl eng-cat eng-spa eo-ca eo-en eo-es eo-fr "
    "es-gl es-pt es-ro eu-en eu-es fr-es fra-cat fra-frp hbs-eng hbs-mkd hbs-slv ind-zlm isl-eng isl-swe "
    "mkd-bul mkd-eng nno-nob oc-ca oc-es oci-fra pol-szl por-cat pt-gl rus-ukr spa-arg spa-ast spa-cat "
    "spa-ita srd-ita swe-dan swe-nor urd-hin"
).split()

#: Entities of the protected-segment format, hidden from Apertium in plane-16 private use.
ENTITIES = {"&amp;": "\U0010fff1", "&lt;": "\U0010fff2", "&gt;": "\U0010fff3"}
SEGMENT = re.compile(r'<p id="helpglot-(\d+)">(.*?)</p>', re.DOTALL)
TERM_TAG = re.compile(r'<helpglot-term n="(\d+)"/>')
TAG = re.compile(r"(<[^>]*>)")
ENTITY = re.compile(r"&(?:amp|lt|gt);")
BARE_AMPERSAND = re.compile(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)")
DEFAULT_TIMEOUT = 120.0


def iso3(code: str) -> str:
    """``en`` / ``en-US`` / ``eng`` → ``eng``; unknown codes are returned lower-cased."""
    base = re.split(r"[-_]", code.strip().lower())[0]
    return ISO3.get(base, base)


def debian_package(source: str, target: str) -> str | None:
    """The Debian package with Apertium data for this language pair (either direction), if any."""
    wanted = {iso3(source), iso3(target)}
    for pair in DEBIAN_PACKAGES:
        if {iso3(code) for code in pair.split("-")} == wanted:
            return f"apertium-{pair}"
    return None


@functools.cache
def installed_modes(command: str, datadir: str | None) -> tuple[str, ...]:
    """The translation directions ``apertium -l`` lists (asked once per binary and data dir)."""
    args = [command, *(["-d", datadir] if datadir else []), "-l"]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=30, env=_env())
    except FileNotFoundError:
        return ()
    except subprocess.TimeoutExpired as exc:
        raise EngineError(f"`{' '.join(args)}` did not answer within 30 s") from exc
    if proc.returncode != 0:
        return ()
    return tuple(line.strip() for line in proc.stdout.splitlines() if line.strip())


def _env() -> dict[str, str]:
    # Apertium's tools read and write UTF-8 whatever the locale; a UTF-8 locale keeps their messages readable.
    return {**os.environ, "LC_ALL": os.environ.get("LC_ALL") or "C.UTF-8"}


@dataclass(frozen=True)
class _Prepared:
    """One segment ready for Apertium: the core text, its surrounding whitespace and glossary stand-ins."""

    lead: str
    core: str
    trail: str
    terms: tuple[str, ...]  # escaped text each <helpglot-term n="i"/> becomes


class ApertiumEngine:
    """Translate with the local ``apertium`` command (Debian packages ``apertium`` + ``apertium-<pair>``).

    Options (``EngineOptions.extra``): ``apertium_bin`` (command, default ``apertium``),
    ``apertium_datadir`` (``-d`` directory of language data), ``apertium_timeout`` (seconds per request).
    """

    name = "apertium"
    max_texts = 50
    max_bytes = 128 * 1024

    def __init__(self, options: EngineOptions) -> None:
        self.command = str(options.extra.get("apertium_bin") or "apertium")
        self.datadir = options.extra.get("apertium_datadir") or None
        self.timeout = float(options.extra.get("apertium_timeout") or DEFAULT_TIMEOUT)
        #: how many translation processes this engine started (batching is one per request)
        self.calls = 0

    # -- languages ------------------------------------------------------------------------

    def mode(self, source: str, target: str) -> str | None:
        """The installed Apertium mode for this pair (``eng-spa``, ``en-es``, ``spa-eng_US``), or None."""
        modes = installed_modes(self.command, self.datadir)
        s2, t2 = (re.split(r"[-_]", code.strip().lower())[0] for code in (source, target))
        region = re.split(r"[-_]", target.strip())[1:2]
        candidates = [f"{iso3(source)}-{iso3(target)}", f"{s2}-{t2}"]
        if region:
            candidates = [f"{c}_{region[0].upper()}" for c in candidates] + candidates
        return next((c for c in candidates if c in modes), None)

    def supports(self, source: str, target: str) -> bool:
        return self.mode(source, target) is not None

    def check(self, source: str, target: str) -> str:
        """The mode to use; otherwise an EngineError that says which package to install, or that none exists."""
        found = self.mode(source, target)
        if found:
            return found
        modes = installed_modes(self.command, self.datadir)
        direction = f"{iso3(source)}-{iso3(target)}"
        short = "-".join(re.split(r"[-_]", code.strip().lower())[0] for code in (source, target))
        package = debian_package(source, target)
        if not modes:
            hint = f"apertium {package}" if package else "apertium apertium-eng-spa"
            raise EngineError(
                f"Apertium is not installed (`{self.command} -l` lists no language pairs): "
                f"run `sudo apt-get install {hint}` (scripts/test installs apertium and apertium-eng-spa)"
            )
        if package:
            raise EngineError(
                f"Apertium cannot translate {source}→{target}: the mode {direction} is not installed "
                f"(installed: {', '.join(modes)}); install the Debian package {package} "
                f"(`sudo apt-get install {package}`) and check that `apertium -l` lists {direction} or {short}"
            )
        raise EngineError(
            f"Apertium cannot translate {source}→{target}: no Apertium pair for {direction} exists "
            f"in Debian (installed: {', '.join(modes)}); use another engine (e.g. deepl) for '{target}'"
        )

    def cost(self, chars: int) -> float:
        return 0.0

    # -- translation ----------------------------------------------------------------------

    def translate(self, request: Request) -> list[str]:
        mode = self.check(request.source, request.target)
        for i, text in enumerate(request.texts):
            if any(mark in text for mark in ENTITIES.values()):
                raise EngineError(f"segment {i + 1} contains a private-use character helpglot reserves for Apertium")
        matcher = _GlossaryMatcher(request.glossary, request.target)
        prepared = [self._prepare(text, matcher) for text in request.texts]
        todo = [i for i, seg in enumerate(prepared) if _has_words(seg.core)]
        outputs: dict[int, str] = {}
        if todo:
            cores = (_hide_entities(prepared[i].core) for i in todo)
            document = "".join(f'<p id="helpglot-{n}">{core}</p>' for n, core in enumerate(cores))
            raw = self._run(mode, document)
            parts = self._split(raw, len(todo))
            for n, i in enumerate(todo):
                outputs[i] = self._finish(i, prepared[i], _show_entities(parts[n]))
        result = []
        for i, seg in enumerate(prepared):
            core = outputs[i] if i in outputs else _substitute_terms(i, seg, seg.core)
            result.append(seg.lead + core + seg.trail)
        if len(result) != len(request.texts):  # defensive: the contract of every engine
            raise EngineError(f"apertium returned {len(result)} segments for {len(request.texts)}")
        return result

    def _prepare(self, text: str, matcher: _GlossaryMatcher) -> _Prepared:
        core = text.strip()
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(lead) + len(core):]
        core, terms = matcher.protect(core)
        return _Prepared(lead, core, trail, terms)

    def _run(self, mode: str, document: str) -> str:
        args = [self.command, *(["-d", self.datadir] if self.datadir else []), "-u", "-f", "html-alt", mode]
        self.calls += 1
        try:
            proc = subprocess.run(
                args, input=document, capture_output=True, text=True, encoding="utf-8",
                timeout=self.timeout, env=_env(),
            )
        except FileNotFoundError as exc:
            raise EngineError(f"`{self.command}` not found: run `sudo apt-get install apertium`") from exc
        except subprocess.TimeoutExpired as exc:
            raise EngineError(
                f"apertium {mode} did not finish within {self.timeout:g} s for {len(document)} characters; "
                "raise apertium_timeout or send smaller batches", retryable=True,
            ) from exc
        if proc.returncode != 0 or (document.strip() and not proc.stdout.strip()):
            tail = proc.stderr.strip()[-600:] or "(no error output)"
            raise EngineError(f"apertium {mode} failed (exit code {proc.returncode}): {tail}")
        return proc.stdout

    @staticmethod
    def _split(raw: str, expected: int) -> list[str]:
        """Cut the translated document back into segments, checking nothing moved between them."""
        parts, pos = [], 0
        for match in SEGMENT.finditer(raw):
            if raw[pos:match.start()].strip() or int(match.group(1)) != len(parts):
                break
            parts.append(match.group(2))
            pos = match.end()
        if len(parts) != expected or raw[pos:].strip():
            raise EngineError(
                f"apertium returned {len(parts)} intact segments for {expected}; the output was: {raw[:300]!r}"
            )
        return parts

    @staticmethod
    def _finish(index: int, seg: _Prepared, out: str) -> str:
        kept = Counter(ENTITY.findall(out)) == Counter(ENTITY.findall(seg.core))
        if not kept or BARE_AMPERSAND.search(out):
            raise EngineError(f"apertium changed the escaped characters (&amp; &lt; &gt;) of segment {index + 1}")
        return _substitute_terms(index, seg, out.strip())


class _GlossaryMatcher:
    """Finds glossary source terms in a segment's text (never inside its tags): whole words, any case, longest first."""

    def __init__(self, glossary: GlossaryPair | None, target_lang: str) -> None:
        entries = [(s, t) for s, t in (glossary.entries if glossary else ()) if s.strip()]
        entries.sort(key=lambda e: len(e[0]), reverse=True)
        self.entries = entries
        self.turkic = iso3(target_lang) in {"tur", "aze"}
        self.pattern = None
        if entries:
            alternatives = "|".join(_term_regex(s) for s, _ in entries)
            # not inside an entity: "amp" in "&amp;" is markup, "amp" in "&amp;amp;" is text
            self.pattern = re.compile(rf"(?<![\w&])(?<!&\#)(?:{alternatives})(?!\w)", re.IGNORECASE)
            self.each = [re.compile(rf"(?:{_term_regex(s)})", re.IGNORECASE) for s, _ in entries]

    def protect(self, core: str) -> tuple[str, tuple[str, ...]]:
        if self.pattern is None:
            return core, ()
        terms: list[str] = []

        def stand_in(match: re.Match[str]) -> str:
            terms.append(self._replacement(match.group(0)))
            return f'<helpglot-term n="{len(terms) - 1}"/>'

        pieces = TAG.split(core)
        for k in range(0, len(pieces), 2):  # even pieces are text, odd ones tags
            pieces[k] = self.pattern.sub(stand_in, pieces[k])
        return "".join(pieces), tuple(terms)

    def _replacement(self, found: str) -> str:
        """The escaped target term for an occurrence; do-not-translate terms keep the occurrence as written."""
        source, target = next(e for e, rx in zip(self.entries, self.each, strict=True) if rx.fullmatch(found))
        if target == source:
            return found
        target = escape(target)
        if len(found) > 1 and found.isupper() and not source.isupper():
            return self._upper(target)
        if found[:1].isupper() and source[:1].islower() and target[:1].islower():
            target = self._upper(target[0]) + target[1:]
        return target

    def _upper(self, text: str) -> str:
        return (text.replace("i", "İ") if self.turkic else text).upper()


def _term_regex(term: str) -> str:
    """The escaped term as it appears in a segment, any run of whitespace matching any other."""
    return r"\s+".join(re.escape(escape(word)) for word in term.split())


def _substitute_terms(index: int, seg: _Prepared, out: str) -> str:
    found = [int(n) for n in TERM_TAG.findall(out)]
    if sorted(found) != list(range(len(seg.terms))):
        raise EngineError(f"apertium lost a protected glossary term in segment {index + 1}")
    return TERM_TAG.sub(lambda m: seg.terms[int(m.group(1))], out)


def _has_words(core: str) -> bool:
    return any(ch.isalnum() for piece in TAG.split(core)[::2] for ch in piece)


def _hide_entities(text: str) -> str:
    for entity, mark in ENTITIES.items():
        text = text.replace(entity, mark)
    return text


def _show_entities(text: str) -> str:
    for entity, mark in ENTITIES.items():
        text = text.replace(mark, entity)
    return text
