"""The block segmenter: fixtures in the markdown-it-py style, the byte-for-byte round trip on the
sample help center, errors that name file and line, hash stability, and a property test over
generated documents.

Fixtures live in tests/fixtures/segment/: NAME.md and the expected NAME.blocks, one line per
block: ``line<TAB>kind<TAB>detail<TAB>context joined by '/'<TAB>text`` (a newline, carriage
return or tab inside the text written as ``\\n``, ``\\r``, ``\\t``). To regenerate after an
intended change, run with HELPGLOT_UPDATE_FIXTURES=1 and review the diff line by line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpglot.errors import ContentError
from helpglot.markdown.segment import Document, block_hash, outline, parse, parse_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "segment"
UPDATE = os.environ.get("HELPGLOT_UPDATE_FIXTURES") == "1"
CORPUS = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "translations").rglob("*.md"))


def dump(doc: Document) -> str:
    def esc(text: str) -> str:
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")

    return "".join(
        f"{b.line}\t{b.kind}\t{b.detail}\t{'/'.join(b.context)}\t{esc(b.text)}\n"
        for b in doc.blocks
    )


def check_spans(doc: Document) -> None:
    """Blocks are in order, do not overlap, and are exactly the text they claim to be."""
    assert doc.render() == doc.text
    pos = 0
    for index, block in enumerate(doc.blocks):
        assert block.index == index
        assert pos <= block.start <= block.end <= len(doc.text), block
        # empty only as the title place of an untitled /// admonition (blockrules.generic_block)
        assert block.start < block.end or block.kind == "admonition_title" \
            and doc.text[doc.text.rfind("\n", 0, block.start) + 1 : block.start].lstrip().startswith("///"), block
        assert doc.text[block.start : block.end] == block.text
        assert block.text == block.text.strip(), block
        assert block.line == doc.line_of(block.start)
        pos = block.end


# --- fixtures --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_fixture(source: Path) -> None:
    doc = parse_file(str(source))
    check_spans(doc)
    expected = source.with_suffix(".blocks")
    if UPDATE:
        expected.write_text(dump(doc), encoding="utf-8")
    assert dump(doc) == expected.read_text(encoding="utf-8")


def test_every_fixture_has_expectations() -> None:
    sources = {p.stem for p in FIXTURES.glob("*.md")}
    assert sources == {p.stem for p in FIXTURES.glob("*.blocks")}
    assert len(sources) >= 12


# --- the sample help center ------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_round_trip_and_single_block_replacement(path: Path) -> None:
    doc = parse_file(str(path))
    assert doc.render().encode("utf-8") == path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    assert doc.blocks, "every article has something to translate"
    check_spans(doc)
    for block in doc.blocks:
        new = f"«{block.index}»"
        out = doc.render({block.index: new})
        assert out == doc.text[: block.start] + new + doc.text[block.end :]
    # all at once, bracketed like the pseudo engine's drafts: the same blocks come back
    new = {b.index: f"«{b.index}»" if b.kind == "meta" else f"[«{b.index}»]" for b in doc.blocks}
    again = parse(doc.render(new))
    assert [b.text for b in again.blocks] == [new[b.index] for b in doc.blocks]
    assert [b.signature for b in again.blocks] == [b.signature for b in doc.blocks]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_whitespace_only_edit_keeps_every_hash(path: Path) -> None:
    doc = parse_file(str(path))
    edited = parse(whitespace_edit(doc.text))
    assert edited.text != doc.text
    assert [(b.kind, b.hash) for b in edited.blocks] == [(b.kind, b.hash) for b in doc.blocks]


def whitespace_edit(text: str) -> str:
    """Trailing spaces on every line, doubled spaces inside prose, CRLF line endings."""
    out = []
    fence = False
    for line in text.split("\n"):
        if re.match(r"\s*(```|~~~)", line):
            fence = not fence
        elif not fence and re.match(r"\s*[\w*]", line) and not line.lstrip().startswith("*["):
            lead = len(line) - len(line.lstrip())
            line = line[:lead] + re.sub(r"(?<=\S) (?=\S)", "  ", line[lead:])
        out.append(line + "  " if line.strip() else line)
    return "\r\n".join(out)


def test_block_hash_folds_whitespace() -> None:
    assert block_hash("Click  **Save**\n  now.") == block_hash("Click **Save** now.")
    assert block_hash("Click Save") != block_hash("Click save")
    assert len(block_hash("x")) == 12


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, hint",
    [
        ("# Title\n\nText.\n\n```python\nprint(1)\n", 5, "add a closing ``` line"),
        ("Intro.\n\n- item\n\n    ~~~~\n    code\n", 5, "add a closing ~~~~ line"),
        ("!!! note\n    ```\n    code\n\nAfter.\n", 2, "closing ``` line"),
        ("---\ntitle: Open\n\n# Heading\n", 1, "add a '---' line"),
        ("---\ntitle: A\ndescription: [unclosed\n---\n\nText\n", 3, "fix the YAML"),
        ('---\ntitle: "unclosed\ndescription: x\n---\n', 2, "fix the YAML"),
        ("---\ntitle: A\n  bad: indent\n---\n", 3, "fix the YAML"),
        ("---\n- a list\n---\n", 2, "mapping"),
        ("Text.\r\n\r\n```\r\ncode\r\n", 3, "add a closing"),
        ("<div markdown>\n\nText\n", 1, "add </div>"),
    ],
)
def test_broken_content_names_file_and_line(text: str, line: int, hint: str) -> None:
    with pytest.raises(ContentError) as info:
        parse(text, "docs/guide.md")
    message = info.value.message
    assert message.startswith(f"docs/guide.md:{line}: "), message
    assert hint in message


def test_non_utf8_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Título\n\nTexto.\n\nAñadir\n".encode("latin-1"))
    with pytest.raises(ContentError) as info:
        parse_file(str(path), "translations/es/latin1.md")
    message = info.value.message
    assert message.startswith("translations/es/latin1.md:1: "), message
    assert "UTF-8" in message
    path.write_bytes("# Title\n\nText.\n\nA\xf1adir\n".encode("latin-1"))
    with pytest.raises(ContentError, match=r"^\S+:5: not UTF-8 \(byte 0xf1\)"):
        parse_file(str(path))


def test_utf8_bom_is_not_part_of_the_first_block(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# Title\n".encode())
    assert [b.text for b in parse_file(str(path)).blocks] == ["Title"]


# --- line breaks -----------------------------------------------------------------------------


def test_only_cr_and_lf_break_lines() -> None:
    # \u2028, \x85 and \x0c come in with text pasted from word processors
    doc = parse("First\u2028still first\x85and\x0cstill\n\n## Heading\n")
    assert [(b.line, b.kind) for b in doc.blocks] == [(1, "paragraph"), (3, "heading")]
    assert doc.blocks[0].text == "First\u2028still first\x85and\x0cstill"


def test_crlf_and_lf_give_the_same_blocks() -> None:
    text = (FIXTURES / "mixed_article.md").read_text(encoding="utf-8")
    lf, crlf = parse(text), parse(text.replace("\n", "\r\n"))
    assert [(b.line, b.kind, b.detail, b.context, b.text.replace("\r\n", "\n"))
            for b in crlf.blocks] == [(b.line, b.kind, b.detail, b.context, b.text)
                                      for b in lf.blocks]
    assert crlf.hashes == lf.hashes


# --- property test over generated documents --------------------------------------------------

WORDS = st.sampled_from([
    "Click", "Save", "invoice", "İıŞğ", "ąčęėįšųūž", "ёжщ", "**bold**", "*em*", "`a|b`",
    "[link](../x.md)", "€1,250.00", "x", "—", "\u00a0", "ok.", "«quoted»", "[^1]", "50%",
    "a\u2028b",
])
CODE_MARK = "zzcode"


@st.composite
def prose(draw: st.DrawFn, max_words: int = 6) -> str:
    """A line of text that starts with a letter, so it never opens a construct by itself."""
    head = draw(st.sampled_from(["Go", "Tallybird", "Şimdi", "Įjunkite", "Нажмите"]))
    return " ".join([head, *draw(st.lists(WORDS, max_size=max_words))])


Lines = list[tuple[str, bool]]  # (line, is it part of a fenced code block)


def indent(lines: Lines, by: str = "    ") -> Lines:
    return [(by + text if text else text, code) for text, code in lines]


@st.composite
def fence(draw: st.DrawFn) -> Lines:
    char = draw(st.sampled_from(["```", "~~~", "````"]))
    lang = draw(st.sampled_from(["", "bash", "python title=\"a.py\"", "{ .json }"]))
    body = draw(st.lists(st.sampled_from([
        f"{CODE_MARK} # not a heading", f"- {CODE_MARK}", f"!!! note \"{CODE_MARK}\"",
        f"| {CODE_MARK} | b |", "", f"    {CODE_MARK}", f"=== \"{CODE_MARK}\"",
    ]), max_size=3))
    return [(char + lang, True), *((line, True) for line in body), (char, True)]


def leaf() -> st.SearchStrategy[Lines]:
    p = prose()
    return st.one_of(
        st.lists(p, min_size=1, max_size=3).map(lambda ls: [(t, False) for t in ls]),
        st.tuples(st.sampled_from(["#", "##", "###"]), p, st.sampled_from(["", " {#id}", " ##"]))
        .map(lambda t: [(f"{t[0]} {t[1]}{t[2]}", False)]),
        st.tuples(p, st.sampled_from(["===", "---", "-"]))
        .map(lambda t: [(t[0], False), (t[1], False)]),
        fence(),
        st.lists(st.tuples(p, p), min_size=1, max_size=3).map(
            lambda rows: [("| A | `x|y` |", False), ("| --- | :-: |", False)]
            + [(f"| {a} | {b} \\| c |", False) for a, b in rows]),
        p.map(lambda t: [(f"![{t}](../assets/a.svg)", False)]),
        st.tuples(p, p).map(lambda t: [(t[0], False), (f":   {t[1]}", False)]),
        p.map(lambda t: [(f"[^1]: {t}", False)]),
        st.tuples(st.sampled_from(["- ", "1.  "]), p, p).map(
            lambda t: [(t[0] + t[1], False), ("    " + t[2], False)]),
        p.map(lambda t: [(f"<kbd>Ctrl</kbd> {t}", False)]),
        p.map(lambda t: [('<div class="raw">', False), ("", False), (t, False), ("", False),
                         ("</div>", False)]),
        st.sampled_from([
            [("<!-- a comment -->", False)], [('--8<-- "includes/a.md"', False)],
            [("[ref]: https://example.com", False)], [("*[VAT]: Value-added tax", False)],
            [("{: .cls }", False)], [("---", False)], [("    indented code", False)],
        ]),
    )


def documents() -> st.SearchStrategy[Lines]:
    def containers(children: st.SearchStrategy[Lines]) -> st.SearchStrategy[Lines]:
        body = st.lists(spaced(children), min_size=1, max_size=3).map(join_blocks)
        p = prose(3)
        return st.one_of(
            body.map(lambda b: [(f"> {t}" if t else ">", c) for t, c in b]),
            st.tuples(st.sampled_from(["!!! note", '!!! tip "Tip"', "??? faq", '???+ faq "Q"']),
                      body, st.sampled_from(["    ", "\t"]))
            .map(lambda t: [(t[0], False), *indent(t[1], t[2])]),
            st.tuples(p, body).map(lambda t: [(f'=== "{t[0]}"', False), ("", False),
                                              *indent(t[1])]),
            st.tuples(st.sampled_from(["- ", "1. ", "- [ ] ", "* "]), p, st.booleans(), body)
            .map(lambda t: [(t[0] + t[1], False), *([("", False)] if t[2] else []),
                            *indent(t[3])]),
            st.tuples(p, p, body).map(lambda t: [(t[0], False), (f":   {t[1]}", False),
                                                 ("", False), *indent(t[2])]),
            body.map(lambda b: [("<div markdown>", False), ("", False), *b, ("", False),
                                ("</div>", False)]),
        )

    block = st.recursive(leaf(), containers, max_leaves=8)
    return st.lists(spaced(block), min_size=1, max_size=6).map(join_blocks)


def join_blocks(blocks: list[tuple[Lines, int]]) -> Lines:
    out: Lines = []
    for lines, blanks in blocks:
        if out:
            out.extend([("", False)] * blanks)
        out.extend(lines)
    return out


def spaced(block: st.SearchStrategy[Lines]) -> st.SearchStrategy[tuple[Lines, int]]:
    """A block and how many blank lines go before it (sometimes none: constructs touch)."""
    return st.tuples(block, st.sampled_from([1, 1, 1, 2, 0]))


@st.composite
def document_text(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """The text of a generated document and the spans of its fenced code lines."""
    lines = draw(documents())
    if draw(st.booleans()) or lines[0][0] == "---":  # a leading rule would open front matter
        title = draw(prose(3)).replace("\u2028", " ")  # YAML takes U+2028 for a line break
        lines = [("---", False), (f"title: {title}", False),
                 (f'description: "{title}"', False), ("---", False), ("", False), *lines]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text, spans, pos = [], [], 0
    for line, code in lines:
        if not code and line.strip() and draw(st.integers(0, 4)) == 0:
            line += draw(st.sampled_from(["  ", " ", "\t"]))
        if not line and draw(st.integers(0, 5)) == 0:
            line = "   "
        if code:
            spans.append((pos, pos + len(line)))
        text.append(line + newline)
        pos += len(line) + len(newline)
    return "".join(text), spans


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_text())
def test_generated_documents(generated: tuple[str, list[tuple[int, int]]]) -> None:
    text, code_spans = generated
    doc = parse(text)
    check_spans(doc)
    for block in doc.blocks:
        assert CODE_MARK not in block.text, block
        assert not any(a < block.end and block.start < b for a, b in code_spans), block
    # every block replaced, keeping its line breaks and indentation: the same structure, with
    # the new texts in the same places
    new = {b.index: re.sub(r"(?m)^([ \t>]*).*?([ \t]*\r?)$", r"\1X\2", b.text) for b in doc.blocks}
    replaced = parse(doc.render(new))
    assert [(b.kind, b.detail, b.context, b.text) for b in replaced.blocks] == [
        (b.kind, b.detail, b.context, new[b.index]) for b in doc.blocks
    ]
    # every block replaced by one line, bracketed like a pseudo-translation ("![[x]](y)" is still
    # an image): the same too, unless a line that could underline a setext heading follows a
    # block (a two-line paragraph above "---" becomes a heading). Meta values stay YAML-safe.
    if not re.search(r"(?m)\S.*\r?\n[ \t>]*(=+|-+)[ \t]*\r?$", text):
        one = {b.index: "X" if b.kind == "meta" else "[X Y]" for b in doc.blocks}
        replaced = parse(doc.render(one))
        assert [(b.kind, b.detail, b.context, b.text) for b in replaced.blocks] == [
            (b.kind, b.detail, b.context, one[b.index]) for b in doc.blocks
        ]
    # whitespace-only edits change no hash
    trailing = re.sub(r"(?<!\r)(?=\r?\n)", "  ", text)
    assert parse(trailing).hashes == doc.hashes
    other = text.replace("\r\n", "\n") if "\r\n" in text else text.replace("\n", "\r\n")
    assert parse(other).hashes == doc.hashes


# --- outline: the signatures alone, as `status` reads translations ---------------------------


def same_outline(text: str) -> None:
    """outline() finds what parse() finds: the same signatures, front matter and errors."""
    try:
        doc = parse(text, "x.md")
    except ContentError as exc:
        with pytest.raises(ContentError) as caught:
            outline(text, "x.md")
        assert caught.value.message == exc.message
        return
    out = outline(text, "x.md")
    assert out.signatures == [b.signature for b in doc.blocks]
    assert (out.front_matter, out.meta, out.text, out.path) == (doc.front_matter, doc.meta, text, "x.md")
    assert [out.line_of(b.start) for b in doc.blocks] == [b.line for b in doc.blocks]


@pytest.mark.parametrize("path", CORPUS + sorted(FIXTURES.glob("*.md")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_outline_matches_parse_on_samples(path: Path) -> None:
    same_outline(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "", "\n", "---\ntitle: x\n", "---\n: [\n---\n", "```\ncode\n", "# \u2028\n\n- \x0c\n", "a\rb\r\n\r\n# c\r",
    "| a | b |\n| - | - |\n|  | \u3000 |\n", '---\ntitle: "\u2003"\ndescription: " "\n---\n',
])
def test_outline_matches_parse_on_edge_cases(text: str) -> None:
    same_outline(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_text())
def test_outline_matches_parse_on_generated_documents(generated: tuple[str, list[tuple[int, int]]]) -> None:
    same_outline(generated[0])
