"""Reading XML that comes from outside (XLIFF, TMX from an agency or a CAT tool) without trusting it.

An exchange file is untrusted input like any contribution. What XML parsers do by default with one
is the attack: entity expansion (a "billion laughs" file of a few KB expands to gigabytes), an
external entity or DTD (``<!DOCTYPE x SYSTEM "file:///etc/passwd">`` reads local files or the
network), a huge file. So, before lxml sees a byte: a size limit, and any entity declaration or
internal DTD subset (``<!DOCTYPE x [...]>``) is refused outright (no XLIFF, TMX or PO needs one; a
plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, which translate-toolkit and many tools write, is allowed
and never loaded); and the parser itself runs with
``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and ``huge_tree=False`` as a
second wall. Each refusal is one message naming the file and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from helpglot.errors import HelpglotError

#: the largest exchange file read (a help center's whole language is a few MB of XLIFF)
MAX_BYTES = 50 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(ENTITY)\b|<!\s*(DOCTYPE)\b[^>\[]*\[", re.I)


def read_bytes(path: Path, shown: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, or one clear error: missing, unreadable or over ``limit``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise HelpglotError(f"{shown}: cannot read ({exc.strerror}); nothing was changed") from None
    if not path.is_file():
        raise HelpglotError(f"{shown}: not a file; nothing was changed")
    if size > limit:
        raise HelpglotError(f"{shown}: {size / 1024 / 1024:.0f} MB is over the {limit // 1024 // 1024} MB limit "
                            "for an exchange file; export and import one article or the stale blocks at a time "
                            "(`--stale`, `--article`); nothing was changed")
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def parse(data: bytes, shown: str) -> etree._Element:
    """The root element of untrusted XML; a DOCTYPE, an entity declaration or bad XML is an error."""
    found = _DECLARATION.search(data)
    if found:
        line = data[: found.start()].count(b"\n") + 1
        what = "an ENTITY" if found.group(1) else "a DOCTYPE with an internal subset"
        raise HelpglotError(f"{shown}:{line}: the file declares {what}, which exchange files never need and "
                            "which can expand entities or read other files; remove it (save the file again from "
                            "the CAT tool without a DTD); nothing was changed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False, dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None) or 1
        raise HelpglotError(f"{shown}:{line}: not well-formed XML ({exc.msg}); nothing was changed") from None
    if root is None:
        raise HelpglotError(f"{shown}: empty XML document; nothing was changed")
    if any(isinstance(node, etree._Entity) for node in root.iter()):  # (the scan above refused declarations)
        raise HelpglotError(f"{shown}: the file uses an entity reference that is not XML's own; nothing was changed")
    return root
