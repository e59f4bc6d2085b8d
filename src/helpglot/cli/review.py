"""``helpglot queue`` and ``helpglot pr-body``: the review queue for people and for pull requests.

The queue itself is built by :mod:`helpglot.review.queue`; this module only renders
it (text for a terminal, Markdown for a PR comment, JSON for tools) and fills
the pull-request template. The template is Jinja2 so a team can reword it
(``plugins.helpglot.pr_template``); a mistake in it names the template's file
and line, like any other input helpglot reads.
"""

from __future__ import annotations

import difflib
import json
import re
from importlib import resources

import click
import jinja2

from helpglot import layout
from helpglot.cli.options import CONFIG_OPTION, check_langs, echo
from helpglot.config import load_settings
from helpglot.errors import ConfigError, HelpglotError
from helpglot.qa.checks.base import ERROR, Finding
from helpglot.review import queue as review
from helpglot.settings import Settings
from helpglot.site.statuspage import page_url

LABELS = {"new": "new article", "changed": "source changed", "machine": "machine draft"}
PACKAGED = "review/pr-body.md.j2"
TOP_FINDINGS = 10


def _fence(*texts: str | None) -> str:
    """A code fence longer than any backtick run in the texts, so quoted Markdown cannot close it."""
    longest = max((len(m) for t in texts if t for m in re.findall(r"`+", t)), default=0)
    return "`" * max(3, longest + 1)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


def _finding_line(f: Finding) -> str:
    mark = " (suppressed)" if f.suppressed else ""
    return f"{f.severity} [{f.check}] {f.path}:{f.line}: {f.message}{mark}"


def _before(block: review.ReviewBlock) -> str:
    if block.before is not None:
        return block.before
    return "(new in the source)" if block.before_note == "new" else "(previous text not available)"


def word_diff(before: str | None, after: str | None) -> str:
    """The English change word by word: <del>removed</del> and <ins>added</ins> runs.

    A reviewer of a one-word edit in a long paragraph should not have to spot it. HTML tags,
    not ``**``: the English bolds its own UI labels, and an added word must not look like one."""
    if before is None or after is None:
        return after if after is not None else "(deleted)"
    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(old[i1:i2]))
            continue
        removed, added = "".join(old[i1:i2]).strip(), "".join(new[j1:j2]).strip()
        run = "".join(new[j1:j2]) if added else "".join(old[i1:i2])
        out.append(run[: len(run) - len(run.lstrip())])  # the space before the change stays
        if removed:
            out.append(f"<del>{removed}</del>")
        if removed and added:
            out.append(" ")
        if added:
            out.append(f"<ins>{added}</ins>")
        trailing = "".join(new[j1:j2]) if added else "".join(old[i1:i2])
        if trailing[-1:].isspace():
            out.append(" ")
    return "".join(out)


def _file_findings(item: review.QueueItem) -> list:
    """Findings about the file as a whole (no block number)."""
    return [f for f in item.findings if f.block is None]


def _shown(item: review.QueueItem) -> list[review.ReviewBlock]:
    """Every block awaiting review: a new article's too (its English and its draft, to read)."""
    return list(item.blocks)


def format_text(items: list[review.QueueItem]) -> str:
    if not items:
        return "Nothing awaits review."
    out: list[str] = []
    for item in items:
        out.append(f"{item.lang} #{item.priority} {item.path} ({LABELS[item.kind]}, "
                   f"{len(item.blocks)} block(s) to review)")
        out.extend(f"  {_finding_line(f)}" for f in _file_findings(item))
        for block in _shown(item):
            where = f"block {block.block} (line {block.line})" if block.block else "new source block"
            out.append(f"  {where}, {block.status}:")
            if item.kind != "new":
                out.append(f"    before: {_before(block)}")
                out.append(f"    now:    {block.after if block.after is not None else '(deleted)'}")
                if block.previous is not None:
                    held = " (in the file until review)" if block.in_file == "previous" else ""
                    out.append(f"    previous translation{held}: {block.previous}")
                held = " (in the file)" if block.in_file == "draft" and block.previous is not None else ""
                out.append(f"    draft{held}:  {block.draft if block.draft is not None else '(not translated yet)'}")
            for sug in block.suggestions:
                out.append(f"    memory {sug.score:.0f}%: {sug.target}  (English: {sug.diff})")
            for f in block.findings:
                out.append(f"    {_finding_line(f)}")
    return "\n".join(out)


def fit_markdown(items: list[review.QueueItem], settings: Settings, limit: int, more: str) -> str:
    """:func:`format_markdown` within ``limit`` characters (GitHub refuses a comment over 65,536):
    whole articles only, so no fence, quote or character is ever cut, then a line naming the
    articles left out and ``more``, where the full queue is."""
    text = format_markdown(items, settings)
    if len(text) <= limit:
        return text
    low, high = 0, len(items)
    while low < high:  # the most articles whose text, with the note, fits
        mid = (low + high + 1) // 2
        if len(format_markdown(items[:mid], settings)) + len(_omitted(items[mid:], more)) <= limit:
            low = mid
        else:
            high = mid - 1
    head = format_markdown(items[:low], settings) if low else ""
    return head + _omitted(items[low:], more)


def _omitted(rest: list[review.QueueItem], more: str) -> str:
    names = ", ".join(f"`{item.path}`" for item in rest[:20]) + (", ..." if len(rest) > 20 else "")
    return f"\n**{len(rest)} more article(s) await review**, not shown here: {names}. {more}\n"


def format_markdown(items: list[review.QueueItem], settings: Settings) -> str:
    if not items:
        return "Nothing awaits review."
    out: list[str] = []
    lang = None
    for item in items:
        if item.lang != lang:
            lang = item.lang
            out.append(f"## Review queue: {settings.language(lang).name} ({lang})\n")
        out.append(f"### {item.priority}. `{item.path}`: {LABELS[item.kind]}\n")
        if item.kind == "new":
            out.append(f"Drafted whole from `{item.source}`: {len(item.blocks)} block(s) to read.\n")
        out.extend(f"- {_finding_line(f)}" for f in _file_findings(item))
        for block in _shown(item):
            where = f"Block {block.block} (line {block.line})" if block.block else "New source block"
            out.append(f"#### {where}: {block.status}\n")
            if item.kind == "new":
                out.append("English:\n")
                out.append(_quote(block.after or ""))
                out.append("\nDraft:\n")
                out.append(_quote(block.draft) if block.draft is not None else "_(not translated yet)_")
                out.append("")
            else:
                fence = _fence(block.before, block.after)
                old = _before(block)
                out.append(f"English before → now:\n\n{fence}diff")
                out.extend("- " + line for line in old.split("\n"))
                out.extend("+ " + line for line in (block.after or "(deleted)").split("\n"))
                out.append(f"{fence}\n")
                if block.before is not None and block.after is not None:
                    out.append(f"Word by word: {word_diff(block.before, block.after)}\n")
                if block.previous is not None:
                    held = " (what the page shows until review)" if block.in_file == "previous" else ""
                    out.append(f"Previous translation{held}:\n")
                    out.append(_quote(block.previous))
                    out.append("")
                held = " (what the page shows until review)" if block.in_file == "draft" and block.previous else ""
                out.append(f"Draft{held}:\n")
                out.append(_quote(block.draft) if block.draft is not None else "_(not translated yet)_")
                out.append("")
            for sug in block.suggestions:
                out.append(f"Memory suggestion, {sug.score:.0f}% match (English: {sug.diff}):\n")
                out.append(_quote(sug.target))
                out.append("")
            for f in block.findings:
                out.append(f"- {_finding_line(f)}")
            if block.findings:
                out.append("")
    return "\n".join(out).rstrip() + "\n"


@click.command()
@CONFIG_OPTION
@click.option("--lang", "langs", multiple=True, metavar="LANG", help="Only this language; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for a terminal, markdown for a pull-request comment, json for tools.")
@click.option("--max-chars", type=click.IntRange(min=200), metavar="N",
              help="markdown: at most N characters, whole articles only, then the names of the rest.")
@click.option("--more", default="The full queue: `helpglot queue`.", show_default=True, metavar="TEXT",
              help="markdown with --max-chars: where the reader finds what was left out.")
def queue(config_file: str, langs: tuple[str, ...], fmt: str, max_chars: int | None, more: str) -> None:
    """List what awaits review per language, most important first.

    New articles (drafted whole) come first, then translations whose source
    changed or that hold machine drafts, in the order of queue_priority (nav,
    weight or path). Each block shows the English before and now, the draft and
    its QA findings.
    """
    settings = load_settings(config_file)
    items, skipped = review.build(settings, check_langs(settings, langs))
    for note in skipped:
        echo(f"skipped: {note}", err=True)
    if fmt == "json":
        echo(json.dumps([item.as_json() for item in items], ensure_ascii=False, indent=1))
    elif fmt == "markdown" and max_chars:
        echo(fit_markdown(items, settings, max_chars, more), nl=False)
    elif fmt == "markdown":
        echo(format_markdown(items, settings), nl=False)
    else:
        echo(format_text(items))


def preview_link(settings: Settings, rel: str, lang: str) -> str | None:
    if not settings.preview_url:
        return None
    base = settings.preview_url.replace("{lang}", lang)
    return base.rstrip("/") + "/" + page_url(rel, lang, settings.source_lang)


def _template(settings: Settings) -> tuple[str, str]:
    """(template text, the file name errors should show)."""
    if settings.pr_template is None:
        text = resources.files("helpglot").joinpath(PACKAGED).read_text(encoding="utf-8")
        return text, f"helpglot/{PACKAGED}"
    shown = settings.rel(settings.pr_template)
    try:
        return settings.pr_template.read_text(encoding="utf-8"), shown
    except OSError as exc:
        raise ConfigError(f"mkdocs.yml: plugins.helpglot.pr_template: cannot read {shown} ({exc.strerror}); "
                          "fix the path or remove the setting to use the default template") from None


def _strings_to_review(settings: Settings, lang: str) -> dict | None:
    """The language's reader strings awaiting review (machine drafts, stale texts), if any."""
    from helpglot.tracking import readerstrings

    path = readerstrings.path_for(settings.translations_dir, lang)
    try:
        entries = readerstrings.load(path, settings.rel(path))
    except readerstrings.StringsError as exc:
        return {"path": settings.rel(path), "machine": 0, "stale": 0, "error": exc.message}
    machine = sum(1 for e in entries.values() if e.machine)
    stale = sum(1 for e in entries.values() if e.new_en)
    if not machine and not stale:
        return None
    return {"path": settings.rel(path), "machine": machine, "stale": stale, "error": None}


def render_pr_body(settings: Settings, lang: str, items: list[review.QueueItem]) -> str:
    """The pull-request description; a template error names the template file and line."""
    text, shown = _template(settings)
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (text, shown, lambda: True)),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    findings = [f for item in items for f in item.findings]
    active = [f for f in findings if not f.suppressed]
    ranked = sorted(active, key=lambda f: (f.severity != ERROR, f.path, f.line))
    errors = sum(1 for f in active if f.severity == ERROR)
    context = {
        "lang": lang,
        "language": settings.language(lang),
        "translators": list(settings.translators.get(lang, ())),
        "preview_url": settings.preview_url,
        "items": [
            {"path": item.path, "source": item.source, "kind": item.kind, "label": LABELS[item.kind],
             "priority": item.priority, "blocks": [b.as_json() for b in item.blocks],
             "preview": preview_link(settings, item.source, lang),
             "errors": sum(1 for f in item.findings if not f.suppressed and f.severity == ERROR),
             "warnings": sum(1 for f in item.findings if not f.suppressed and f.severity != ERROR),
             "approve": f"helpglot approve {item.path}"}
            for item in items
        ],
        # translations whose English article was renamed or deleted: never hidden from the reviewer
        "orphans": [{"path": settings.rel(t.path), "source": settings.rel(t.source)}
                    for t in layout.translation_files(settings, (lang,)) if not t.has_source],
        "strings": _strings_to_review(settings, lang),
        "qa": {"errors": errors, "warnings": len(active) - errors, "suppressed": len(findings) - len(active),
               "top": [f.as_json() for f in ranked[:TOP_FINDINGS]], "more": max(0, len(ranked) - TOP_FINDINGS)},
    }
    try:
        return env.get_template("pr-body").render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise HelpglotError(f"{shown}:{exc.lineno}: template error: {exc.message}") from None
    except Exception as exc:  # undefined names, bad filters...: point at the template line that failed
        line = _template_line(exc, shown)
        where = f"{shown}:{line}" if line else shown
        raise HelpglotError(f"{where}: template error: {type(exc).__name__}: {exc}") from None


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The template line of the innermost traceback frame Jinja2 mapped to the template file."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@click.command(name="pr-body")
@CONFIG_OPTION
@click.option("--lang", "lang", required=True, metavar="LANG", help="The language of the pull request.")
def pr_body(config_file: str, lang: str) -> None:
    """Print the Markdown description of a language's translation pull request.

    A checklist of the articles to review with links to their preview pages,
    the QA summary and how to approve. The text comes from a Jinja2 template:
    plugins.helpglot.pr_template in mkdocs.yml, else helpglot's own.
    """
    settings = load_settings(config_file)
    check_langs(settings, (lang,))
    items, skipped = review.build(settings, (lang,))
    for note in skipped:
        echo(f"skipped: {note}", err=True)
    echo(render_pr_body(settings, lang, items), nl=False)

