"""What the build may publish of a translation, decided without MkDocs.

A translation is untrusted input (DESIGN, contract 9). Before the build hands
one to mkdocs-static-i18n, :func:`refusal` says why it cannot be published
honestly: a symlink (``-> ../../.git/config`` would publish the repository's
secrets), a file resolving outside the repository, an empty or unreadable
file, one that is not UTF-8, or broken front matter (MkDocs would show the
raw YAML, provenance and reviewer names included, as page text). Such a page
falls back to the English article with the fallback notice, and the build
warns (an error with ``mkdocs build --strict``).

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

from helpglot.qa import sanitize, trust, urls
from helpglot.settings import Settings

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)
PRINTED_META = ("title", "description")
#: libyaml's safe loader when installed (same results, ~10x faster: a build reads every translation's
#: front matter, provenance included, and at 5,000 translations the pure-Python parser dominated)
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def symlink_in(settings: Settings, path: Path) -> Path | None:
    """The first symlink on the way from the translations folder (or the root) down to ``path``."""
    path = Path(os.path.abspath(path))
    for top in (settings.translations_dir, settings.root):
        try:
            rel = path.relative_to(top)
        except ValueError:
            continue
        current = top
        for part in rel.parts:
            current = current / part
            if current.is_symlink():
                return current
        return None
    return path if path.is_symlink() else None


def refusal(settings: Settings, path: Path, content: bool = True) -> str | None:
    """Why the translation at ``path`` cannot be published (and the fix), or None.
    ``content=False``: only where it is (a link, outside the repository), not what it holds."""
    link = symlink_in(settings, path)
    if link is not None:
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        return f"is a symbolic link (-> {target}); commit the translation as a regular file"
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return f"cannot be opened ({getattr(exc, 'strerror', None) or exc}); commit it as a regular file"
    root = settings.root.resolve()
    if real != root and root not in real.parents:
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
    if text.startswith("---"):
        m = _FRONT.match(text)
        if m is None:
            return "has front matter without its closing '---' line; add it"
        try:
            meta = yaml.load(m.group(1), Loader=FAST_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            return f"has broken front matter (line {line}: {getattr(exc, 'problem', None) or 'not YAML'}); fix it"
        if meta is not None and not isinstance(meta, dict):
            return "has front matter that is not a mapping of keys to values; fix it"
    return None


def clean_page(page: object, html: str,
               allowed: trust.SourceTrust | list[str] | tuple[str, ...]) -> tuple[str, list[str]]:
    """Sanitise a translated page's body and make its printed front-matter values plain text.
    ``allowed``: what its source uses (:func:`helpglot.qa.sanitize.source_trust`); links to the
    site's own host are always allowed.

    Returns the body and what was removed (empty when the page needed nothing)."""
    body, removed = sanitize.sanitize(html, sanitize.as_trust(allowed).with_hosts(site_host(page)))
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
SOURCE_KEYS = ("template",)


def plain_meta(meta: dict, source: Path) -> dict:
    """A translated page's front matter as the theme may print it: every string plain text
    (Material prints ``title``, ``description`` and ``status`` unescaped, even into attributes),
    and ``template`` the source's own (a translation does not choose the page's template)."""
    result = {k: _plain(v) for k, v in meta.items() if k not in SOURCE_KEYS}
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return result
    m = _FRONT.match(text)
    try:
        source_meta = yaml.load(m.group(1), Loader=FAST_LOADER) if m else None
    except yaml.YAMLError:
        source_meta = None
    if isinstance(source_meta, dict):
        result.update({k: source_meta[k] for k in SOURCE_KEYS if k in source_meta})
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
