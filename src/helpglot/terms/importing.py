"""``helpglot glossary import``: terms read from TBX or CSV (:mod:`helpglot.terms.exchange`)
merged into ``glossary/terms.yml``, adding and updating, never deleting, and keeping the
file's comments and order so the pull request shows only what changed."""

from __future__ import annotations

from dataclasses import dataclass

from helpglot.errors import ContentError
from helpglot.settings import Settings
from helpglot.terms import glossary as g
from helpglot.terms.exchange import Imported


@dataclass(frozen=True)
class ImportReport:
    path: str  # the glossary file written (or that would be)
    added: tuple[str, ...]
    updated: tuple[tuple[str, tuple[str, ...]], ...]  # (term, what changed)
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _describe(old: dict, new: dict) -> tuple[str, ...]:
    changes = []
    for key in ("note", "dnt", "synonyms"):
        if old.get(key) != new.get(key):
            before, after = old.get(key, "(none)"), new.get(key, "(none)")
            changes.append(f"{key}: {g._flow(before)} → {g._flow(after)}")
    old_t, new_t = old.get("translations", {}), new.get("translations", {})
    for lang in new_t:
        if old_t.get(lang) != new_t[lang]:
            changes.append(f"{lang}: {g._flow(old_t[lang]) if lang in old_t else '(none)'} → {g._flow(new_t[lang])}")
    return tuple(changes)


def merge(settings: Settings, imported: list[Imported], shown: str) -> tuple[str, str, ImportReport]:
    """The new text of ``glossary/terms.yml`` with the imported terms merged in: new terms added,
    existing ones updated (per language given: its renderings replaced; note replaced when given;
    dnt as :class:`Imported` says), nothing deleted. Raises, changing nothing, on invalid input.
    Returns (path, text, report). Terms other glossary files define must be changed there."""
    src = settings.source_lang
    target = settings.glossary_dir / "terms.yml"
    rel = settings.rel(target)
    existing = g.load(settings)  # refuses a broken term base before touching it
    seen_import: dict[str, str] = {}
    for imp in imported:
        g.term_from_dict(imp.item, shown, imp.line, settings, seen_import)
    elsewhere = {t.source.casefold(): t for t in existing if t.path != rel}
    mine = {t.source.casefold(): t for t in existing if t.path == rel}
    old_text = target.read_text(encoding="utf-8") if target.is_file() else ""
    new_items: dict[str, dict] = {}  # casefold → merged dict, for existing terms that changed
    added: list[dict] = []
    updated: list[tuple[str, tuple[str, ...]]] = []
    unchanged = 0
    for imp in imported:
        key = str(imp.item[src]).strip().casefold()
        if key in elsewhere:
            t = elsewhere[key]
            raise ContentError(f"{shown}:{imp.line}: '{t.source}' is defined in {t.path}:{t.line}; import only "
                               f"updates {rel}, so change it there (or move it to {rel})")
        if key not in mine:
            added.append(g.as_dict(g.term_from_dict(imp.item, shown, imp.line, settings), src))
            continue
        old = g.as_dict(mine[key], src)
        item = {k: v for k, v in old.items() if k != "translations"}
        if "note" in imp.item:
            item["note"] = imp.item["note"]
        if "synonyms" in imp.item:
            item["synonyms"] = imp.item["synonyms"]
        if imp.decides_dnt:
            item["dnt"] = bool(imp.item.get("dnt"))
            if item["dnt"] and old.get("translations"):
                raise ContentError(f"{shown}:{imp.line}: '{mine[key].source}' is marked dnt here but has "
                                   f"translations in {rel}:{mine[key].line}; remove them there first")
        translations = {**old.get("translations", {}), **imp.item.get("translations", {})}
        for lang, value in imp.item.get("translations", {}).items():  # a file without synonyms keeps them
            kept = old.get("translations", {}).get(lang)
            if isinstance(kept, dict) and kept.get("synonyms") and "synonyms" not in value:
                translations[lang] = {**value, "synonyms": kept["synonyms"]}
        if translations:
            item["translations"] = translations
        new = g.as_dict(g.term_from_dict(item, shown, imp.line, settings), src)
        if new == old:
            unchanged += 1
        else:
            new_items[key] = new
            updated.append((mine[key].source, _describe(old, new)))
    text = _rewrite(old_text, new_items, added, src)
    seen: dict[str, str] = {}
    for t in elsewhere.values():
        seen[t.source.casefold()] = f"{t.path}:{t.line}"
    try:
        g.parse_text(text, rel, settings, seen)
    except ContentError as exc:  # a bug here must not reach the disk
        raise ContentError(f"{shown}: the merged glossary would be invalid ({exc.message}); nothing changed") from None
    report = ImportReport(rel, tuple(a[src] for a in added), tuple(updated), unchanged)
    return str(target), text, report


def _rewrite(text: str, changed: dict[str, dict], added: list[dict], src: str) -> str:
    """Replace changed entries in place and append new ones; untouched entries (and their comments)
    keep their exact text."""
    import yaml

    node = yaml.compose(text) if text.strip() else None
    items = []
    if node is not None and isinstance(node, yaml.MappingNode):
        items = next((v.value for k, v in node.value if k.value == "terms" and isinstance(v, yaml.SequenceNode)), [])
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if not items or any(i.flow_style for i in items):
        header = []
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            header.append(line)
        data = yaml.safe_load(text) if text.strip() else None
        olds = list((data or {}).get("terms") or []) if isinstance(data, dict) else []
        body = [changed.get(str(d.get(src, "")).strip().casefold(), d) for d in olds] + added
        return "".join(header) + "terms:\n" + "".join(g.to_yaml(d) for d in body)
    indent = max(items[0].start_mark.column - 2, 0)
    starts = [i.start_mark.line for i in items] + [len(lines)]
    out = lines[: starts[0]]
    for k, item in enumerate(items):
        chunk = lines[starts[k] : starts[k + 1]]
        key = str(next((v.value for kk, v in item.value if kk.value == src), "")).strip().casefold()
        if key in changed:
            tail = []
            while chunk and (not chunk[-1].strip() or chunk[-1].lstrip().startswith("#")):
                tail.insert(0, chunk.pop())
            chunk = [g.to_yaml(changed[key], indent), *tail]
        out += chunk
    out += [g.to_yaml(d, indent) for d in added]
    return "".join(out)
