"""What the build may publish of a translation, decided without MkDocs.

A translation is untrusted input (DESIGN, contract 9). Before the build hands
one to mkdocs-static-i18n, :func:`refusal` says why it cannot be published
honestly: a symlink (``-> ../../.git/config`` would publish the repository's
secrets), a file resolving outside the repository, an empty or unreadable
file, one that is not UTF-8, or broken front matter (MkDocs would show the
raw YAML, provenance and reviewer names included, as page text). Nor can it be
published when it exceeds a per-page budget (:mod:`helpglot.markdown.limits`:
size, nesting depth, links and tags per paragraph, which bound the render time:
a page over them crashed or hung the whole language's build), when its front
matter uses YAML anchors or aliases (an alias bomb expands ninefold per level
in anything that walks it; refused before it is loaded), or when it sets a theme
key (:data:`THEME_KEYS`: icon, hide, search, status, template) to anything but
its source's value (a translation does not choose how the page is built; bad
values failed the build). Such a page falls back to the English article with
the fallback notice, and the build warns once, naming the file and the reason
(an error with ``mkdocs build --strict``); the other pages of the language are
published as usual.

Once rendered, :func:`clean_page` runs the page body through the sanitiser and
makes the front-matter values MkDocs and Material print (``<title>``, ``<h1>``,
the navigation, ``<meta name="description">``, the table of contents) plain
text, since the theme's templates print them unescaped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from helpglot.markdown.limits import over_budget
from helpglot.qa import sanitize, trust, urls
from helpglot.settings import Settings

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)
PRINTED_META = ("title", "description")
#: libyaml's safe loader when installed (same results, ~10x faster: a build reads every translation's
#: front matter, provenance included, and at 5,000 translations the pure-Python parser dominated)
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def symlink_in(settings: Settings, path: Path) -> Path | None:
    """The first symlink on the way from the translations folder (or the root) down to ``path``."""
    link, _top, _absolute = _walk(settings, path, None)
    return None if link is None else Path(link)


def _walk(settings: Settings, path: Path, seen: dict | None) -> tuple[str | None, str | None, str]:
    """(the first symlink on the way down to ``path``, the folder the way starts from, ``path``
    made absolute). ``seen``: one pass over many files keeps each folder's answer (a file's own
    answer is never kept: it is the one thing asked of it)."""
    absolute = os.path.abspath(path)
    for top in (settings.translations_dir, settings.root):
        base = str(top)
        if not (absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep)):
            continue
        current = base
        rest = absolute[len(base):].lstrip(os.sep)  # (string slicing: a Path per file added up)
        parts = rest.split(os.sep) if rest else []
        for n, part in enumerate(parts):
            current = os.path.join(current, part)
            if seen is None or n == len(parts) - 1:
                link = os.path.islink(current)
            else:
                link = seen.get(current)
                if link is None:
                    link = seen[current] = os.path.islink(current)
            if link:
                return current, base, absolute
        return None, base, absolute
    return (absolute if os.path.islink(absolute) else None), None, absolute


def _real(folder: str, seen: dict) -> str:
    key = ("real", folder)
    found = seen.get(key)
    if found is None:
        found = seen[key] = os.path.realpath(folder)
    return found


def refusal(settings: Settings, path: Path, content: bool = True, source: Path | None = None,
            seen: dict | None = None) -> str | None:
    """Why the translation at ``path`` cannot be published (and the fix), or None.
    ``content=False``: only where it is (a link, outside the repository), not what it holds.
    ``source``: its English article, whose theme keys (:data:`THEME_KEYS`) it must not change.
    ``seen``: a dict kept through one pass over many translations (a build's), so each folder is
    looked at once: with no link below the folder a file is reached from, its real path is the
    folder's real path and the rest of the way (two ``resolve`` calls a file were most of a
    1,000-article build's own work before its workers start)."""
    link, top, absolute = _walk(settings, path, seen)
    if link is not None:
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        return f"is a symbolic link (-> {target}); commit the translation as a regular file"
    try:
        if seen is not None and top is not None:
            os.stat(absolute)  # (it must exist, as resolve(strict=True) asks)
            rest = absolute[len(top):].lstrip(os.sep)
            real = os.path.join(_real(top, seen), rest) if rest else _real(top, seen)
        else:
            real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return f"cannot be opened ({getattr(exc, 'strerror', None) or exc}); commit it as a regular file"
    root = _real(str(settings.root), seen) if seen is not None else str(settings.root.resolve())
    inside = str(real) == root or str(real).startswith(root.rstrip(os.sep) + os.sep)  # (both resolved)
    if not inside:
        return "resolves outside the repository; commit the translation as a regular file"
    if not content:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); check the file's permissions"
    if not data.strip():
        return "is empty; delete it (the English article is shown) or translate it"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"is not UTF-8 (line {line}, byte 0x{data[exc.start]:02x}); save it as UTF-8"
    text = text.removeprefix("\ufeff")
    overrun = over_budget(text)
    if overrun is not None:
        return f"(line {overrun.line}) {overrun.reason}"
    if text.startswith("---"):
        m = _FRONT.match(text)
        if m is None:
            return "has front matter without its closing '---' line; add it"
        alias = yaml_alias_line(m.group(1))
        if alias is not None:
            return _alias_reason(alias)
        try:
            meta = yaml.load(m.group(1), Loader=FAST_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            return f"has broken front matter (line {line}: {getattr(exc, 'problem', None) or 'not YAML'}); fix it"
        if meta is not None and not isinstance(meta, dict):
            return "has front matter that is not a mapping of keys to values; fix it"
        if meta and source is not None:
            return theme_key_changed(meta, source)
    return None


def content_refusal(text: str, source: Path) -> tuple[int, str] | None:
    """The refusals of :func:`refusal` that only a translation's content earns (budgets, YAML anchors,
    theme keys), with the 1-based line they are about, for ``check``, which reports broken files in
    its own words."""
    text = text.removeprefix("\ufeff")
    overrun = over_budget(text)
    if overrun is not None:
        return overrun.line, f"(line {overrun.line}) {overrun.reason}"
    m = _FRONT.match(text) if text.startswith("---") else None
    if m is None:
        return None
    alias = yaml_alias_line(m.group(1))
    if alias is not None:
        return alias + 1, _alias_reason(alias)
    try:
        meta = yaml.load(m.group(1), Loader=FAST_LOADER)
    except yaml.YAMLError:
        return None
    why = theme_key_changed(meta, source) if isinstance(meta, dict) and meta else None
    if why is None:
        return None
    key = next(k for k in THEME_KEYS if f"theme key '{k}'" in why)
    found = re.search(rf"^{key}[ \t]*:", m.group(1), re.M)
    return (m.group(1).count("\n", 0, found.start()) + 2 if found else 1), why


def _alias_reason(line: int) -> str:
    return (f"has a YAML anchor or alias in its front matter (line {line + 1}); translations may not use them: "
            "write the value out")


#: front-matter keys that choose how Material builds the page, not text: the source's values only
THEME_KEYS = ("icon", "hide", "search", "status", "template")


def yaml_alias_line(front: str) -> int | None:
    """The 1-based line (within ``front``) of the first YAML anchor or alias, or None. Read from
    the scanner's tokens, so nothing is expanded; most front matter has no ``&``/``*`` at all."""
    if "&" not in front and "*" not in front:
        return None
    try:
        for token in yaml.scan(front, Loader=FAST_LOADER):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                return token.start_mark.line + 1
    except yaml.YAMLError:
        return None  # broken YAML: the parse reports it
    return None


def source_meta(source: Path) -> dict:
    """The English article's front matter ({} when it has none or it cannot be read)."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    m = _FRONT.match(text)
    try:
        meta = yaml.load(m.group(1), Loader=FAST_LOADER) if m else None
    except yaml.YAMLError:
        meta = None
    return meta if isinstance(meta, dict) else {}


def theme_key_changed(meta: dict, source: Path) -> str | None:
    """Why a translation's theme keys cannot be published: one its source does not set the same way."""
    keys = [k for k in THEME_KEYS if k in meta]
    if not keys:
        return None
    english = source_meta(source)
    for key in keys:
        if key not in english or english[key] != meta[key]:
            was = f"'{key}: {english[key]}'" if key in english else f"no '{key}'"
            return (f"sets the theme key '{key}' in its front matter ({meta[key]!r}) but its source has {was}; "
                    "theme keys come from the English article: delete the line")
    return None


def declared_hosts(settings, lang: str) -> tuple[str, ...]:  # noqa: ANN001
    """The language subdomains ``checks.localized_links`` declares for ``lang``
    ("https://{lang}.wikipedia.org/wiki/*" → zh.wikipedia.org): the build keeps links to them, as
    ``helpglot check`` accepts them where the source links the same site in its own language."""
    out = []
    for pattern in getattr(getattr(settings, "checks", None), "localized_links", ()) or ():
        m = re.match(r"^[a-z][a-z0-9+.-]*://\{lang\}\.([^/\s]+)", pattern)
        if m:
            out.append(f"{lang.lower()}.{m.group(1).lower()}")
    return tuple(out)


def clean_page(page: object, html: str,
               allowed: trust.SourceTrust | list[str] | tuple[str, ...],
               hosts: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """Sanitise a translated page's body and make its printed front-matter values plain text.
    ``allowed``: what its source uses (:func:`helpglot.qa.sanitize.source_trust`); links to the
    site's own host are always allowed.

    Returns the body and what was removed (empty when the page needed nothing)."""
    body, removed = sanitize.sanitize(html, sanitize.as_trust(allowed).with_hosts(site_host(page), *hosts))
    meta = getattr(page, "meta", None)
    if isinstance(meta, dict):
        for key in PRINTED_META:
            if key in meta and meta[key] is not None:
                value = sanitize.escape_text(meta[key])  # (already plain: see plain_meta)
                meta[key] = value
                if re.search(r"&lt;[A-Za-z!/?]", value):
                    removed.append(f"HTML in front-matter '{key}' (shown as text)")
    title = getattr(page, "title", None)
    if title:
        page.title = sanitize.escape_text(title)  # type: ignore[attr-defined]

    def retitle(items: object) -> None:
        for item in items or ():  # type: ignore[union-attr]
            item.title = sanitize.escape_text(item.title)
            retitle(item.children)

    retitle(getattr(page, "toc", None))
    return body, list(dict.fromkeys(removed))


def site_host(page: object) -> str | None:
    """The published site's host (from the page's canonical URL, i.e. ``site_url``), or None."""
    url = getattr(page, "canonical_url", None)
    return urls.target(url).host if isinstance(url, str) and url else None


def _plain(value: object) -> object:
    if isinstance(value, str):
        return sanitize.escape_text(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


#: keys that choose how the page is built, not text: a translation gets the source's values
SOURCE_KEYS = THEME_KEYS


def plain_meta(meta: dict, source: Path) -> dict:
    """A translated page's front matter as the theme may print it: every string plain text
    (Material prints ``title``, ``description`` and ``status`` unescaped, even into attributes),
    and the theme keys the source's own (a translation does not choose how the page is built;
    :func:`refusal` already kept one that tries from being published)."""
    result = {k: _plain(v) for k, v in meta.items() if k not in SOURCE_KEYS}
    english = source_meta(source)
    result.update({k: english[k] for k in SOURCE_KEYS if k in english})
    return result


def unreadable(path: Path) -> str | None:
    """``:LINE: not UTF-8 ...`` (or ``: cannot be read ...``) for a page MkDocs could not decode."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f": cannot be read ({exc.strerror})"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f":{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
    return None
