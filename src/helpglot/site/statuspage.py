"""The translation status report: coverage per language and a heat map of
articles x languages coloured by state, each cell linking to the page.

Rendered with Jinja2 from ``report/status.html.j2`` into one self-contained
HTML file, used by ``helpglot status --html FILE`` and, inside the built site,
as ``helpglot-status/index.html`` (out of the navigation and the search index).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from helpglot.settings import Settings
from helpglot.tracking import assets as l10nassets
from helpglot.tracking.freshness import URGENCY, Record

COLOURS = {  # white text on each is at least 4.5:1 (WCAG AA)
    "up-to-date": "#2e7d32",
    "machine": "#8a6100",
    "stale": "#b34700",
    "missing": "#616161",
    "untracked": "#5e35b1",
    "unaligned": "#c62828",
    "orphaned": "#6d4c41",
    "error": "#b71c1c",
}
# One word for each state wherever the page shows it (the JSON and data-state keep the ids).
LABELS = {
    "up-to-date": "Up to date",
    "machine": "Machine draft",
    "stale": "Stale",
    "missing": "Missing",
    "untracked": "Untracked",
    "unaligned": "Unaligned",
    "orphaned": "Orphaned",
    "error": "Error",
}
_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M)


def article_title(docs_dir: Path, rel: str) -> str:
    """The article's front-matter title (what readers know it by), else its path."""
    try:
        head = (docs_dir / rel).read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return rel
    if not head.startswith("---"):
        return rel
    match = _TITLE.search(head.split("\n---", 1)[0])
    if not match:
        return rel
    value = match.group(1)
    if value[:1] in "'\"":
        try:
            loaded = yaml.safe_load(value)
        except yaml.YAMLError:
            return rel
        return str(loaded) if loaded else rel
    return value


def page_url(rel: str, lang: str, source_lang: str) -> str:
    """Site-relative directory URL of an article in a language."""
    stem = rel.rsplit(".", 1)[0]
    if stem == "index":
        path = ""
    elif stem.endswith("/index"):
        path = stem[: -len("index")]
    else:
        path = stem + "/"
    return path if lang == source_lang else f"{lang}/{path}"


def coverage(records: list[Record], settings: Settings) -> list[dict]:
    rows = []
    for lang in settings.targets:
        mine = [r for r in records if r.lang == lang and r.state != "orphaned"]
        states = Counter(r.state for r in mine)
        total = len(mine) or 1
        rows.append({
            "lang": lang,
            "name": settings.language(lang).name,
            "states": states,
            "total": len(mine),
            "translated": round(100 * (len(mine) - states["missing"]) / total),
            "current": round(100 * states["up-to-date"] / total),
        })
    return rows


def sections(sources: list[str], grid: dict[tuple[str, str], Record]) -> list[dict]:
    """The articles grouped by their top folder (the help center's sections), each with its
    states counted, most urgent first, and whether anything in it needs attention: a report of
    thousands of articles opens on what to do, not on a wall of green."""
    groups: dict[str, list[str]] = {}
    for source in sources:
        groups.setdefault(source.split("/", 1)[0] if "/" in source else "(top level)", []).append(source)
    by_source: dict[str, list[Record]] = {}
    for (source, _lang), record in grid.items():
        by_source.setdefault(source, []).append(record)
    order = {state: i for i, state in enumerate(URGENCY)}
    result = []
    for name, members in groups.items():
        states = Counter(r.state for source in members for r in by_source.get(source, ()))
        result.append({
            "name": name,
            "sources": members,
            "states": sorted(states.items(), key=lambda kv: order.get(kv[0], len(order))),
            "attention": any(state != "up-to-date" for state in states),
        })
    return result


def reader_strings(settings: Settings) -> list[dict]:
    """Per language helpglot ships no reader strings for (or with a strings file): how many of
    them are machine drafts, stale, reviewed, Material's, or still English."""
    from helpglot import messages
    from helpglot.site import materialstrings
    from helpglot.tracking import readerstrings

    rows = []
    for lang in settings.targets:
        path = readerstrings.path_for(settings.translations_dir, lang)
        if messages.has_language(lang) and not path.is_file():
            continue
        row: dict = {"lang": lang, "name": settings.language(lang).name, "error": None}
        try:
            entries = readerstrings.load(path, settings.rel(path), strict=False)
        except readerstrings.StringsError as exc:
            row["error"] = exc.message
            rows.append(row)
            continue
        states = Counter("machine" if e.machine else "material" if e.status == "material" else "reviewed"
                         for e in entries.values())
        texts = {**materialstrings.for_language(lang), **{key: entry.text for key, entry in entries.items()}}
        row.update(machine=states["machine"], reviewed=states["reviewed"], material=states["material"],
                   stale=sum(1 for e in entries.values() if e.new_en),
                   english=len(messages.messages_for(lang, None, texts).english))
        rows.append(row)
    return rows


def rows(sources: list[str], codes: list[str], grid: dict[tuple[str, str], Record], titles: dict[str, str],
         url: Callable[[str, str], str], source_lang: str) -> dict[str, Markup]:
    """The heat map's row of each article, escaped. Made here rather than in the template: at
    1,000 articles x 5 languages the template's loop over the cells was most of the report's
    time, and the source language's build renders the report after every save."""
    found: dict[str, Markup] = {}
    for source in sources:
        cells = [f'<tr><td><a href="{escape(url(source, source_lang))}" title="{escape(source)}">'
                 f"{escape(titles[source])}</a></td>"]
        for code in codes:
            record = grid.get((source, code))
            if not record:
                cells.append('<td class="cell"></td>')
                continue
            state, label = escape(record.state), escape(LABELS[record.state])
            title = f"{label}: {escape(record.message)}" if record.message else label
            count = (f" {len(record.stale_blocks)}/{escape(record.total_blocks)}"
                     if record.stale_blocks and record.state == "stale" else "")
            cells.append(f'<td class="cell"><a class="s-{state}" href="{escape(url(source, code))}" '
                         f'data-state="{state}" title="{title}">{label}{count}</a></td>')
        found[source] = Markup("".join(cells) + "</tr>")
    return found


def screenshot_items(screenshots: dict[str, list[tuple[str, tuple[str, ...]]]], titles: dict[str, str],
                     url: Callable[[str, str], str]) -> dict[str, Markup]:
    """Per language, the list items naming the English screenshots each translation still shows,
    escaped (made here for the same reason as :func:`rows`: thousands of them)."""
    found: dict[str, Markup] = {}
    for code, items in screenshots.items():
        lines = []
        for source, images in items:
            shown = ", ".join(f"<code>{escape(image)}</code>" for image in images)
            lines.append(f'<li><a href="{escape(url(source, code))}">{escape(titles.get(source, source))}</a>: '
                         f"{shown}</li>")
        found[code] = Markup("\n".join(lines))
    return found


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    return env.from_string(resources.files("helpglot").joinpath("site/status.html.j2").read_text(encoding="utf-8"))


def template() -> None:
    """Compile the report's template now (``helpglot build`` does, before it forks the workers)."""
    _template()


def render(records: list[Record], settings: Settings, base_url: str = "", today: dt.date | None = None,
           images_of: Callable[[Settings, Record], list | None] | None = None) -> str:
    """The whole report; ``base_url`` prefixes cell links ('' for site-root-relative); ``images_of``:
    see :func:`helpglot.tracking.assets.english_screenshots`."""
    template = _template()
    sources = sorted({r.source for r in records})
    grid = {(r.source, r.lang): r for r in records}
    titles = {source: article_title(settings.docs_dir, source) for source in sources}
    url = lambda rel, lang: base_url + page_url(rel, lang, settings.source_lang)  # noqa: E731
    screenshots = l10nassets.english_screenshots(settings, records, images_of)
    return template.render(
        today=(today or dt.date.today()).isoformat(),
        langs=[settings.language(code) for code in settings.targets],
        source_lang=settings.source_lang,
        groups=sections(sources, grid),
        grid=grid,
        coverage=coverage(records, settings),
        colours=COLOURS,
        labels=LABELS,
        titles=titles,
        rows=rows(sources, list(settings.targets), grid, titles, url, settings.source_lang),
        screenshots=screenshots,
        shown=screenshot_items(screenshots, titles, url),
        strings=reader_strings(settings),
        url=url,
    )
