"""Inline markup protection: the exact XML engines receive for each construct, the byte-for-byte
round trip on every block of the sample help center, what restore() tolerates from engines (moved
tags, quoting variants, whitespace, entities) and what it refuses (MarkupLost), and a property
test over generated inline Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpglot.errors import HelpglotError
from helpglot.markdown.inline import MarkupLost, Protected, Span, protect, restore
from helpglot.markdown.segment import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "translations").rglob("*.md"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "segment").glob("*.md"))


def roles(p: Protected) -> list[tuple[str, str, str, str]]:
    return [(s.kind, s.role, s.markup, s.close) for s in p.spans]


# ---------------------------------------------------------------- the round trip on real content


@pytest.mark.parametrize("path", CORPUS + FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_round_trips(path: Path) -> None:
    blocks = parse_file(str(path)).blocks
    assert blocks
    for block in blocks:
        protected = protect(block.text)
        assert restore(protected, protected.text) == block.text
        # ids are numbered from 1 in order of appearance
        assert [s.id for s in protected.spans] == list(range(1, len(protected.spans) + 1))
        assert re.findall(r'<[xg] id="(\d+)"', protected.text) == [str(s.id) for s in protected.spans]


def test_the_corpus_exercises_the_protection() -> None:
    """The round trip above is not vacuous: the sample content has tags of many kinds."""
    found = {s.role for path in CORPUS for b in parse_file(str(path)).blocks for s in protect(b.text).spans}
    assert {"strong", "code", "link", "email", "footnote"} <= found


# ---------------------------------------------------------------- what engines receive

CASES = [
    ("Go to **Settings > Team** and run `tally sync`",
     'Go to <g id="1">Settings &gt; Team</g> and run <x id="2"/>',
     [("g", "strong", "**", "**"), ("x", "code", "`tally sync`", "")]),
    ("Use ``a ` b`` and ```x``` here", 'Use <x id="1"/> and <x id="2"/> here',
     [("x", "code", "``a ` b``", ""), ("x", "code", "```x```", "")]),
    ("An unclosed `tick is text", "An unclosed `tick is text", []),
    ("See [the guide](guide.md#setup).", 'See <g id="1">the guide</g>.', [("g", "link", "[", "](guide.md#setup)")]),
    ('A [titled](https://x.io/a_(b) "The title") link', 'A <g id="1">titled</g> link',
     [("g", "link", "[", '](https://x.io/a_(b) "The title")')]),
    ("A [spaced](<my file.md>) link", 'A <g id="1">spaced</g> link', [("g", "link", "[", "](<my file.md>)")]),
    ("A [reference][ref] and [collapsed][] link", 'A <g id="1">reference</g> and <x id="2"/> link',
     [("g", "link", "[", "][ref]"), ("x", "reflink", "[collapsed][]", "")]),
    ("[Note] is not a link here", "[Note] is not a link here", []),
    ("Click ![the gear](../gear.svg){: .icon} now", 'Click <g id="1">the gear</g><x id="2"/> now',
     [("g", "image", "![", "](../gear.svg)"), ("x", "attr", "{: .icon}", "")]),
    ("An ![](empty-alt.png) image", 'An <x id="1"/> image', [("x", "image", "![](empty-alt.png)", "")]),
    ("[**Save** the `file`](save.md)", '<g id="1"><g id="2">Save</g> the <x id="3"/></g>',
     [("g", "link", "[", "](save.md)"), ("g", "strong", "**", "**"), ("x", "code", "`file`", "")]),
    ("[a [nested] text](u) and [![logo](l.png)](home.md)",
     '<g id="1">a [nested] text</g> and <g id="2"><g id="3">logo</g></g>',
     [("g", "link", "[", "](u)"), ("g", "link", "[", "](home.md)"), ("g", "image", "![", "](l.png)")]),
    ("Open <https://status.tallybird.com> or https://tallybird.com/help. Mail support@tallybird.com.",
     'Open <x id="1"/> or <x id="2"/>. Mail <x id="3"/>.',
     [("x", "url", "<https://status.tallybird.com>", ""), ("x", "url", "https://tallybird.com/help", ""),
      ("x", "email", "support@tallybird.com", "")]),
    ("(see www.example.com/a_b)", '(see <x id="1"/>)', [("x", "url", "www.example.com/a_b", "")]),
    ('Press <kbd>Ctrl</kbd>+<kbd>K</kbd>,<br> <span class="a>b">then</span>',
     'Press <x id="1"/>+<x id="2"/>,<x id="3"/> <x id="4"/>then<x id="5"/>',
     [("x", "keys", "<kbd>Ctrl</kbd>", ""), ("x", "keys", "<kbd>K</kbd>", "")]
     + [("x", "html", m, "") for m in ("<br>", '<span class="a>b">', "</span>")]),
    # code inside HTML is never sent to an engine ("get" must not become "coger")
    ("Use the <code>get</code> method or <pre>x = 1</pre> and <b>read</b>",
     'Use the <x id="1"/> method or <x id="2"/> and <x id="3"/>read<x id="4"/>',
     [("x", "code", "<code>get</code>", ""), ("x", "code", "<pre>x = 1</pre>", ""), ("x", "html", "<b>", ""),
      ("x", "html", "</b>", "")]),
    ("Text <!-- a comment --> and a < b > c", 'Text <x id="1"/> and a &lt; b &gt; c',
     [("x", "html", "<!-- a comment -->", "")]),
    ("*em* __strong__ _em_ ~~del~~ ==mark== ^^ins^^",
     '<g id="1">em</g> <g id="2">strong</g> <g id="3">em</g> <g id="4">del</g> <g id="5">mark</g> <g id="6">ins</g>',
     [("g", "em", "*", "*"), ("g", "strong", "__", "__"), ("g", "em", "_", "_"), ("g", "del", "~~", "~~"),
      ("g", "mark", "==", "=="), ("g", "ins", "^^", "^^")]),
    ("***both*** and **bold *and em***", '<g id="1"><g id="2">both</g></g> and <g id="3">bold <g id="4">and em</g></g>',
     [("g", "strong", "**", "**"), ("g", "em", "*", "*"), ("g", "strong", "**", "**"), ("g", "em", "*", "*")]),
    ("Set snake_case_name, file_name_ here, 2 * 3 * 4, a == b and x_y_z", None, []),
    ("Press ++ctrl+alt+del++ to restart", 'Press <x id="1"/> to restart', [("x", "keys", "++ctrl+alt+del++", "")]),
    ("Prices exclude VAT[^1] and tax[^note].", 'Prices exclude VAT<x id="1"/> and tax<x id="2"/>.',
     [("x", "footnote", "[^1]", ""), ("x", "footnote", "[^note]", "")]),
    ("Welcome to {{ product }} {% if pro %}Pro{% endif %}", 'Welcome to <x id="1"/> <x id="2"/>Pro<x id="3"/>',
     [("x", "placeholder", m, "") for m in ("{{ product }}", "{% if pro %}", "{% endif %}")]),
    ("Heading text {#custom-id}", 'Heading text <x id="1"/>', [("x", "attr", "{#custom-id}", "")]),
    ("Use {customer} in the template", "Use {customer} in the template", []),
    (r"Not \*emphasis\* and a \\`backslash`", 'Not <x id="1"/>emphasis<x id="2"/> and a <x id="3"/><x id="4"/>',
     [("x", "escape", "\\*", ""), ("x", "escape", "\\*", ""), ("x", "escape", "\\\\", ""),
      ("x", "code", "`backslash`", "")]),
    ("A step that wraps\n    onto a second line", 'A step that wraps <x id="1"/>onto a second line',
     [("x", "break", "\n    ", "")]),
    ("Hard break  \r\nnext\n> quoted", 'Hard break <x id="1"/>next <x id="2"/>quoted',
     [("x", "break", "  \r\n", ""), ("x", "break", "\n> ", "")]),
    ("Vertical\x0btab", 'Vertical<x id="1"/>tab', [("x", "char", "\x0b", "")]),
    ("Q&A &amp; more", "Q&amp;A &amp;amp; more", []),
]


@pytest.mark.parametrize(("markdown", "text", "spans"), CASES, ids=[c[0][:40] for c in CASES])
def test_protect_constructs(markdown: str, text: str | None, spans: list) -> None:
    protected = protect(markdown)
    assert protected.text == (markdown if text is None else text)
    assert roles(protected) == spans
    assert restore(protected, protected.text) == markdown


def test_billable_counts_text_only() -> None:
    protected = protect("Go to **Settings > Team** and run `tally sync` or see [docs](https://x.io/a).")
    assert protected.billable() == len("Go to Settings > Team and run  or see docs.")
    assert protect("`only code`").billable() == 0
    assert protect("a & b").billable() == 5  # &amp; is one character


# ---------------------------------------------------------------- what restore tolerates

SOURCE = "Go to **Settings > Team** and run `tally sync`, then see [roles](roles.md \"Roles\")."


def test_restore_moved_tags_quoting_and_entities() -> None:
    protected = protect(SOURCE)
    assert protected.text == ('Go to <g id="1">Settings &gt; Team</g> and run <x id="2"/>, then see '
                              '<g id="3">roles</g>.')
    translated = ("Consulta <g id='3' >los roles</g> después de ejecutar <x id='2' /> en "
                  '<g id="1">Ajustes &gt; Equipo &amp; &quot;más&quot;</g>.')
    assert restore(protected, translated) == (
        'Consulta [los roles](roles.md "Roles") después de ejecutar `tally sync` en **Ajustes > Equipo & "más"**.')


def test_restore_variants_engines_produce() -> None:
    protected = protect("Run `a` and **b**")
    assert restore(protected, '<x id = "1"></x> y <g id=2>b</g>') == "`a` y **b**"
    assert restore(protected, 'Ejecuta <X ID="1"/> y <g id="2"/>') == "Ejecuta `a` y ****"


def test_restore_moves_whitespace_out_of_emphasis_only() -> None:
    protected = protect("Click **Save** or [here](h.md)")
    assert restore(protected, 'Haz clic en<g id="1"> Guardar </g>o <g id="2"> aquí</g>') == \
        "Haz clic en **Guardar** o [ aquí](h.md)"


def test_restore_line_break_takes_spaces_around_it() -> None:
    protected = protect("A step that wraps\n    onto a second line")
    assert restore(protected, 'Un paso que <x id="1"/> continúa') == "Un paso que\n    continúa"
    assert restore(protected, 'Un paso<x id="1"/>que') == "Un paso\n    que"


def test_restore_whitespace_changes_in_text_are_kept() -> None:
    protected = protect("Go to **Settings**")
    assert restore(protected, '  Ve   a\t<g id="1">Ajustes</g>  ') == "  Ve   a\t**Ajustes**  "


# ---------------------------------------------------------------- what restore refuses


@pytest.mark.parametrize(("translated", "attribute", "value", "words"), [
    ('Ve a <g id="1">Ajustes</g> y ejecuta', "lost", (2,), "lost tag id 2"),
    ('Ve a Ajustes y ejecuta <x id="2"/>', "lost", (1,), "lost tag id 1"),
    ('Ve a <g id="1">Ajustes</g> y <x id="2"/> <x id="2"/>', "duplicated", (2,), "duplicated tag id 2"),
    ('Ve a <g id="1">Ajustes</g> y <x id="2"/> <x id="7"/>', "invented", (7,), "invented tag id 7"),
    ('Ve a <x id="1"/>Ajustes y <x id="2"/>', "invented", (1,), "invented tag id 1"),
    ('Ve a <g id="1">Ajustes <x id="2"/>', "unbalanced", ("tag id 1 is never closed",), "never closed"),
    ('Ve a <g id="1">Ajustes</g></g> <x id="2"/>', "unbalanced", ("</g> closes no open tag",), "closes no"),
    ('Ve a <b>Ajustes</b> <g id="1">x</g><x id="2"/>', "unbalanced",
     ("unexpected tag <b>", "unexpected tag </b>"), "unexpected tag <b>"),
])
def test_markup_lost(translated: str, attribute: str, value: tuple, words: str) -> None:
    protected = protect("Go to **Settings** and run `tally sync`")
    with pytest.raises(MarkupLost) as caught:
        restore(protected, translated)
    assert getattr(caught.value, attribute) == value
    assert words in caught.value.message
    assert isinstance(caught.value, HelpglotError)


def test_closing_the_wrong_id() -> None:
    protected = protect("**bold [link](u.md)**")
    assert protected.text == '<g id="1">bold <g id="2">link</g></g>'
    with pytest.raises(MarkupLost, match=r"</g> of tag id 1 closes tag id 2"):
        restore(protected, '<g id="1">negrita <g id="2">enlace</g id="1"></g id="2">')
    # an anonymous </g> always closes the innermost open tag
    assert restore(protected, '<g id="1">negrita <g id="2">enlace</g></g>') == "**negrita [enlace](u.md)**"


def test_span_kinds() -> None:
    spans = protect("**a** `b`").spans
    assert spans == (Span(1, "g", "strong", "**", "**"), Span(2, "x", "code", "`b`"))


# ---------------------------------------------------------------- property test

WORDS = st.text(alphabet="abcXYZ İıŞğ ąčęėįšųūž ёжщ 123.,:;!?'\"()-/", min_size=1, max_size=12)
TOKEN = st.one_of(
    WORDS,
    st.builds(lambda t, n: "`" * n + t.replace("`", "") + "`" * n, WORDS, st.integers(1, 3)),
    st.sampled_from(["**", "*", "__", "_", "~~", "==", "^^", "[", "]", "(", ")", "![", "](x.md)", "<", ">", "&",
                     "\\", "\\*", "\\_", "{", "}", "{#id}", "{: .c}", "{{ product }}", "{% if x %}", "[^1]",
                     "++ctrl+k++", "<br>", "<kbd>", "</kbd>", "<https://a.io/x>", "https://a.io/b_c).",
                     "ana@silvadesign.pt", "snake_case", "\n", "  \n", "\n    ", "\n> ", "\r\n", "&amp;", "\x0b"]),
    st.builds(lambda t, u: f"[{t}]({u})", WORDS, st.sampled_from(["a.md", "<a b.md>", 'u "T"', "u#x"])),
    st.builds(lambda t, r: f"[{t}][{r}]", WORDS, st.sampled_from(["", "ref"])),
    st.builds(lambda t, d: f"{d}{t.strip() or 'w'}{d}", WORDS, st.sampled_from(["**", "*", "_", "__", "~~", "=="])),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKEN, min_size=1, max_size=25).map("".join))
def test_round_trip_property(markdown: str) -> None:
    protected = protect(markdown)
    assert restore(protected, protected.text) == markdown
    # only our tags appear in the fragment, and billable() counts none of their characters
    assert re.fullmatch(r'(?:[^<>]|<x id="\d+"/>|</?g(?: id="\d+")?>)*', protected.text)
    assert protected.billable() == len(re.sub(r"<[^>]*>", "", protected.text).replace("&lt;", "<")
                                       .replace("&gt;", ">").replace("&amp;", "&"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab İ*_~=^`[]()!<>{}#:.\\+@/\n &\"'")), max_size=40))
def test_round_trip_property_on_punctuation_soup(markdown: str) -> None:
    protected = protect(markdown)
    assert restore(protected, protected.text) == markdown
