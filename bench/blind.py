"""Findings as a blind labeller sees them, and the strict precision of their labels.

A finding is judged by someone who never sees the code: only its language, severity and message,
the English block and the translated block. Its ``key`` survives message rewording and line
shifts: sha1 of the check id, the file, the English block's text and the finding's subject (the
first quoted term or value in its message), so a label given once scores the same finding in
later rounds, and a finding the code words differently is not re-labelled.

Strict precision counts only ``fix`` (worth changing the translation for) as right; ``benign``
(not wrong, no change needed) is counted apart, never as precise. Intervals are Wilson 95%.
"""

from __future__ import annotations

import collections
import hashlib
import json
import math
import random
import re
from pathlib import Path

import yaml

MAX_TEXT = 3000
_SUBJECT = re.compile(r"'([^']+)'|`([^`]+)`|\"([^\"]+)\"|«([^»]+)»|‘([^’]+)’")
_QUOTE_IN_BLOCK = re.compile(r"\bparagraph\b|\bblock\b", re.I)


def subject(message: str) -> str:
    """The finding's subject: the first quoted term or value of its message ('' when none)."""
    m = _SUBJECT.search(message)
    return next((g for g in m.groups() if g), "") if m else ""


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class Context:
    """The blocks of one translation and its source, to give each finding its two texts."""

    def __init__(self, source, translation, pairs) -> None:  # noqa: ANN001
        self.source, self.translation = source, translation
        self.t2s = dict(pairs)
        self.spans = [(b.line, _line_of(translation.text, b.end)) for b in translation.blocks]
        self.s_spans = [(b.line, _line_of(source.text, b.end)) for b in source.blocks]

    def texts(self, line: int, block: int | None) -> tuple[str, str]:
        """(English text, translated text) of the block a finding is about, or of the region
        between blocks (a code fence, the front matter) that holds its line."""
        t = block - 1 if block else next((i for i, (a, b) in enumerate(self.spans) if a <= line <= b), None)
        if t is not None and 0 <= t < len(self.translation.blocks):
            s = self.t2s.get(t)
            return (self.source.blocks[s].text if s is not None else "", self.translation.blocks[t].text)
        before = max((i for i, (_, b) in enumerate(self.spans) if b < line), default=None)
        after = min((i for i, (a, _) in enumerate(self.spans) if a > line), default=None)
        t_text = _region(self.translation.text, self.spans[before][1] + 1 if before is not None else 1,
                         self.spans[after][0] - 1 if after is not None else None)
        s_before = next((self.t2s[i] for i in range(before, -1, -1) if i in self.t2s), None) \
            if before is not None else None
        s_after = next((self.t2s[i] for i in range(after, len(self.spans)) if i in self.t2s), None) \
            if after is not None else None
        s_text = _region(self.source.text, self.s_spans[s_before][1] + 1 if s_before is not None else 1,
                         self.s_spans[s_after][0] - 1 if s_after is not None else None)
        return s_text, t_text


def _region(text: str, first: int, last: int | None) -> str:
    lines = text.split("\n")
    return "\n".join(lines[first - 1 : last]).strip("\n")


_RULES = (("left in English", "english-left"), ("elsewhere in this translation", "consistent"),
          ("should be", "missing"), ("deprecated '", "deprecated"), ("not in the translation", "code-gone"))


def rule(check: str, message: str) -> str:
    """The check and, where one check has several rules, which one (strata and scores per rule)."""
    name = next((r for text, r in _RULES if text in message), "")
    return f"{check}.{name}" if name else check


def key(check: str, path: str, source_text: str, subj: str) -> str:
    raw = "\x1f".join((check, path, source_text, subj))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def rows(findings, contexts: dict[str, Context]) -> list[dict]:  # noqa: ANN001
    """One row per distinct key (the first finding of a key, errors sorted first, stands for it)."""
    out: dict[str, dict] = {}
    for f in sorted(findings, key=lambda f: (f.severity != "error", f.path, f.line)):
        ctx = contexts[f.path]
        source, translation = ctx.texts(f.line, f.block)
        k = key(f.check, f.path, source, subject(f.message))
        if k in out:
            continue
        out[k] = {"key": k, "language": f.path.split("/")[1], "severity": f.severity, "message": f.message,
                  "source": source[:MAX_TEXT], "translation": translation[:MAX_TEXT],
                  "_check": rule(f.check, f.message), "_path": f.path, "_line": f.line}
    return list(out.values())


def finding_key(f, contexts: dict[str, Context]) -> str:  # noqa: ANN001
    source, _ = contexts[f.path].texts(f.line, f.block)
    return key(f.check, f.path, source, subject(f.message))


def sample(items: list[dict], size: int, seed: int) -> tuple[list[dict], dict]:
    """A stratified random sample (strata: check id, severity and language) that gives every
    stratum the same quota where it can (small strata whole, the rest split evenly), so that each
    check's precision is measured in each language, and how it was drawn. Aggregates over strata
    must be weighted by stratum size (:func:`weighted`)."""
    strata: dict[tuple[str, str, str], list[dict]] = collections.defaultdict(list)
    for r in items:
        strata[(r["_check"], r["severity"], r["language"])].append(r)
    if len(items) <= size:
        return items, {"population": len(items), "drawn": len(items), "method": "all findings"}
    quota = {s: 0 for s in strata}
    left = size
    while left:  # water-filling: one more for every stratum that still has findings left
        room = sorted(s for s in strata if quota[s] < len(strata[s]))
        if len(room) > left:
            room = sorted(room, key=lambda s: (-len(strata[s]), s))[:left]
        for s in room:
            quota[s] += 1
        left -= len(room)
    rng = random.Random(seed)
    picked: list[dict] = []
    for s in sorted(strata):
        group = sorted(strata[s], key=lambda r: r["key"])
        picked += rng.sample(group, quota[s])
    info = {"population": len(items), "drawn": len(picked), "seed": seed,
            "method": "stratified random sample, strata = (check id, severity, language); equal quota per "
                      "stratum, strata smaller than the quota taken whole (water-filling); within a stratum "
                      "random.Random(seed).sample over its findings sorted by key",
            "strata": {"/".join(s): [quota[s], len(strata[s])] for s in sorted(strata)}}
    return picked, info


def write_jsonl(path: Path, picked: list[dict], info: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"sampling": info}, ensure_ascii=False) + "\n")
        for r in sorted(picked, key=lambda r: r["key"]):
            out.write(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")


VERDICTS = ("fix", "benign", "false")


def read_labels(paths: list[Path]) -> dict[str, tuple[str, str]]:
    """key -> (verdict, reason) from the labeller's YAML files (later files win)."""
    out: dict[str, tuple[str, str]] = {}
    for path in paths:
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for k, v in data.items():
            verdict, reason = v, ""
            if isinstance(v, dict):
                verdict = v["verdict"] if "verdict" in v else v.get("label")
                reason = v.get("reason", "")
            elif isinstance(v, str) and v.split():
                verdict, _, reason = v.partition(" ")
            verdict = {True: "true", False: "false"}.get(verdict, verdict)
            verdict = str(verdict).strip().strip(":,;-").lower()
            if verdict in VERDICTS:
                out[str(k)] = (verdict, str(reason).strip(" -:#"))
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def strict_line(name: str, c: collections.Counter, total: int) -> str:
    n = c["fix"] + c["benign"] + c["false"]
    if not n:
        return f"| {name} | {total} | 0 | - | - | - | - |"
    lo, hi = wilson(c["fix"], n)
    return (f"| {name} | {total} | {n} | {c['fix']} | {c['benign']} | {c['false']} | "
            f"{c['fix'] / n:.0%} ({lo:.0%}–{hi:.0%}) |")


def score_export(path: Path, labels: dict[str, tuple[str, str]]) -> None:
    """Strict precision of the findings of an export (the code as it was when it was written), per
    stratum and, weighted by stratum size, per severity: how the baseline of round 1 is measured."""
    lines = path.read_text(encoding="utf-8").splitlines()
    info = json.loads(lines[0])["sampling"]
    rows = [json.loads(x) for x in lines[1:]]
    sizes = {k: v[1] for k, v in info.get("strata", {}).items()}
    by: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in rows:
        verdict = labels.get(r["key"], ("?", ""))[0]
        check = check_of(r["message"])
        stratum = next((k for k in (f"{rule(check, r['message'])}/{r['severity']}/{r['language']}",
                                    f"{check}/{r['severity']}/{r['language']}") if k in sizes), None)
        by[stratum or f"{check}?/{r['severity']}/{r['language']}"][verdict] += 1
    print(f"\n{path.name}: {info.get('drawn')} of {info.get('population')} findings, code {info.get('code', '?')}")
    print("\n| stratum | findings | labelled | fix | benign | false | strict precision (95% CI) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in sorted(by):
        print(strict_line(name, by[name], sizes.get(name, 0)))
    for severity in ("error", "warning"):
        names = [n for n in by if n.split("/")[1] == severity]
        total = sum(sizes.get(n, 0) for n in names)
        if not total:
            continue
        if all(sum(by[n][v] for v in VERDICTS) >= sizes.get(n, 0) for n in names):  # every finding labelled
            c = collections.Counter()
            for n in names:
                c.update(by[n])
            print(strict_line(f"all {severity}s (every one labelled)", c, total))
            continue
        p = var = 0.0
        for n in names:
            c = by[n]
            k, m = c["fix"], c["fix"] + c["benign"] + c["false"]
            if not m:
                continue
            w = sizes.get(n, 0) / total
            ph = k / m
            p += w * ph
            var += w * w * ph * (1 - ph) / m * (1 - m / max(sizes.get(n, m), m))
        half = 1.96 * math.sqrt(var)
        print(f"| all {severity}s (weighted by stratum) | {total} | | | | | {p:.0%} "
              f"({max(0.0, p - half):.0%}–{min(1.0, p + half):.0%}) |")


_CHECKS = (("glossary", ("should be '", "deprecated '", "do-not-translate", "left in English",
                          "elsewhere in this translation")),
           ("untranslated", ("still in the source language", "still has the source's sentence")),
           ("length", ("of the source's length",)),
           ("safety", ("invisible character", "a domain the source does not link to", "in the rendered page",
                       "HTML comment", "the build shows the English")),
           ("markup", ("inline code", "link target", "code block differs", "attr id", "placeholder", "keyboard keys",
                       "include {*", "targets swapped")),
           ("frontmatter", ("front matter", "provenance")),
           ("structure", ("",)))


def check_of(message: str) -> str:
    """The check a message comes from (an export carries no check id: the labeller sees none)."""
    return next(check for check, needles in _CHECKS if any(n in message for n in needles))
