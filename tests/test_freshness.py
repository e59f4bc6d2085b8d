"""Unit tests of the freshness core: aligning hash lists (changed / inserted / deleted /
moved), the adopt-style structure check, stale-since dates, and provenance bookkeeping
that must touch only provenance lines."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helpglot.errors import ContentError
from helpglot.markdown.segment import parse
from helpglot.tracking import provenance
from helpglot.tracking.freshness import Change, align, first_mismatch
from helpglot.tracking.provenance import BlockRecord, Provenance
from helpglot.tracking.status import stale_since


def kinds(changes: tuple[Change, ...]) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.new, c.old) for c in changes]


# ---- align ---------------------------------------------------------------------------


def test_identical_lists_align_one_to_one():
    result = align(list("abcd"), list("abcd"))
    assert result.changes == ()
    assert result.pairs == ((0, 0), (1, 1), (2, 2), (3, 3))
    assert result.stale_new == [] and not result.structural


def test_one_changed_block_is_exactly_that_block():
    result = align(list("abcde"), list("abXde"))
    assert kinds(result.changes) == [("changed", 2, 2)]
    assert result.stale_new == [2]
    assert result.pairs == ((0, 0), (1, 1), (3, 3), (4, 4))
    assert not result.structural


def test_an_insertion_is_one_new_block_and_shifts_nothing_else():
    result = align(list("abcde"), list("abXcde"))
    assert kinds(result.changes) == [("inserted", 2, None)]
    assert result.stale_new == [2]
    assert result.pairs == ((0, 0), (1, 1), (2, 3), (3, 4), (4, 5))
    assert result.structural


def test_insertion_at_the_start_and_the_end():
    assert kinds(align(list("abc"), list("Xabc")).changes) == [("inserted", 0, None)]
    assert kinds(align(list("abc"), list("abcX")).changes) == [("inserted", 3, None)]
    assert kinds(align([], list("ab")).changes) == [("inserted", 0, None), ("inserted", 1, None)]


def test_a_deletion_needs_no_translation():
    result = align(list("abcde"), list("abde"))
    assert kinds(result.changes) == [("deleted", None, 2)]
    assert result.stale_new == []
    assert result.pairs == ((0, 0), (1, 1), (3, 2), (4, 3))
    assert result.structural


def test_a_moved_block_is_a_move_not_a_delete_and_an_insert():
    result = align(list("abcdef"), list("acdebf"))
    assert kinds(result.changes) == [("moved", 4, 1)]
    assert result.stale_new == []
    assert (1, 4) in result.pairs and len(result.pairs) == 6
    assert result.structural


def test_a_move_next_to_an_edit_is_still_a_move():
    # b moved to the end (where f was deleted) and X is new where b was: difflib sees two
    # "replace" runs (b->X, f->b), but b's text is unchanged, so b was moved, not edited
    result = align(list("abcdef"), list("aXcdeb"))
    assert kinds(result.changes) == [("deleted", None, 5), ("inserted", 1, None),
                                     ("moved", 5, 1)]
    assert result.stale_new == [1]


def test_duplicate_hashes_such_as_repeated_table_cells():
    old = ["h", "yes", "yes", "no", "yes"]
    new = ["h", "yes", "yes", "yes", "no", "yes"]
    result = align(old, new)
    assert len(result.changes) == 1 and result.changes[0].kind == "inserted"
    assert result.stale_new == [result.changes[0].new]


def test_a_run_of_edits_pairs_by_position_without_kinds():
    result = align(list("aBCd"), list("aXYZd"))
    assert kinds(result.changes) == [("changed", 1, 1), ("changed", 2, 2), ("inserted", 3, None)]


def test_kinds_pair_an_edited_paragraph_with_the_old_paragraph_not_a_new_heading():
    old = ["h1", "p1", "p2"]
    new = ["h1", "p1", "H2", "p2x"]
    old_kinds = ["heading:2", "paragraph", "paragraph"]
    new_kinds = ["heading:2", "paragraph", "heading:2", "paragraph"]
    with_kinds = align(old, new, old_kinds, new_kinds)
    assert kinds(with_kinds.changes) == [("inserted", 2, None), ("changed", 3, 2)]
    assert with_kinds.stale_new == [2, 3]
    # hashes alone cannot tell: by position the heading would replace the paragraph
    assert kinds(align(old, new).changes) == [("changed", 2, 2), ("inserted", 3, None)]


def test_kinds_turn_a_paragraph_replaced_by_a_list_item_into_delete_plus_insert():
    result = align(["a", "p"], ["a", "li"], ["paragraph", "paragraph"], ["paragraph", "list_item"])
    assert kinds(result.changes) == [("deleted", None, 1), ("inserted", 1, None)]


def test_a_move_needs_the_same_kind_when_kinds_are_given():
    # "Yes" as a paragraph deleted and "Yes" as a table cell inserted is not a move
    result = align(["a", "yes", "b", "c"], ["a", "b", "c", "yes"],
                   ["paragraph"] * 4, ["paragraph"] * 3 + ["table_cell:0.0"])
    assert kinds(result.changes) == [("deleted", None, 1), ("inserted", 3, None)]
    same_kind = align(["a", "yes", "b", "c"], ["a", "b", "c", "yes"], ["paragraph"] * 4,
                      ["paragraph"] * 4)
    assert kinds(same_kind.changes) == [("moved", 3, 1)]


def test_kinds_must_match_their_hash_lists():
    with pytest.raises(ValueError):
        align(["a", "b"], ["a"], ["paragraph"], ["paragraph"])


# ---- first_mismatch ------------------------------------------------------------------

SOURCE = "---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n\nThen that.\n"


def test_adopt_check_names_file_line_and_kinds():
    source = parse(SOURCE, "docs/guide.md")
    translation = parse("---\ntitle: Guía\n---\n\n# Configurar\n\nHaz esto.\n\nY aquello.\n",
                        "translations/es/guide.md")
    message = first_mismatch(source, translation)
    assert message is not None
    assert message.startswith("translations/es/guide.md:5: block 2 is a level-1 heading")
    assert "docs/guide.md:5) is a level-2 heading" in message


def test_adopt_check_names_where_a_shorter_translation_ends():
    source = parse(SOURCE, "docs/guide.md")
    translation = parse("---\ntitle: Guía\n---\n\n## Configurar\n\nHaz esto.\n",
                        "translations/es/guide.md")
    message = first_mismatch(source, translation)
    assert message is not None
    assert message.startswith("translations/es/guide.md:7: the source's block 4, a paragraph")
    assert "docs/guide.md:9" in message and "has no translation here" in message


def test_adopt_check_names_a_lost_block_in_the_middle_not_the_end():
    source = parse(SOURCE + "\n## Check\n\nIt works.\n", "docs/guide.md")
    translation = parse("---\ntitle: Guía\n---\n\n## Configurar\n\nHaz esto primero, con calma.\n\n"
                        "## Comprobar\n\nFunciona.\n", "translations/es/guide.md")
    message = first_mismatch(source, translation)
    assert message is not None
    # one of the two paragraphs under the first heading is lost (which one, only a reader can say);
    # the second section is intact, so the divergence is named there and not at the end of the file
    assert re.match(r"translations/es/guide.md:(7|9): the source's block [34], a paragraph "
                    r"\(docs/guide.md:[79]: ", message), message


def test_with_alignment_pairs_a_different_block_count_is_not_a_mismatch():
    source = parse(SOURCE, "docs/guide.md")
    translation = parse("---\ntitle: Guía\n---\n\n## Configurar\n\nHaz esto.\n",
                        "translations/es/guide.md")
    result = align(translation.hashes[:2] + [source.hashes[2]], source.hashes)
    assert first_mismatch(source, translation, result.pairs) is None


# ---- stale since ---------------------------------------------------------------------


def test_stale_since_is_the_first_change_after_the_sync():
    day = dt.date
    history = (day(2026, 11, 20), day(2026, 9, 1), day(2026, 3, 1))  # newest first
    assert stale_since(history, day(2026, 6, 1), day(2026, 11, 20)) == day(2026, 9, 1)
    # no change after the sync (e.g. same day): the last change
    assert stale_since(history, day(2026, 11, 20), day(2026, 11, 20)) == day(2026, 11, 20)
    # no sync date: the last change
    assert stale_since(history, None, day(2026, 11, 20)) == day(2026, 11, 20)
    assert stale_since((), day(2026, 6, 1), None) == day(2026, 6, 1)


# ---- provenance ----------------------------------------------------------------------

HAND_EDITED = """\
---
title: Guía
helpglot:
  # edited by hand: no reviewer, a comment, keys in another order
  blocks:
  - 8dd65d0952ed reviewed
  - 4da10f1fbb17 machine deepl

  - 14b508827745 reviewed
  source: guide.md
---

## Configuración

Haz esto.
"""


def test_entry_lines_are_found_in_the_text_not_assumed():
    doc = parse(HAND_EDITED, "translations/es/guide.md")
    assert provenance.entry_lines(doc) == [6, 7, 9]
    prov = provenance.read(doc)
    assert prov is not None and prov.machine == [1] and prov.blocks[1].engine == "deepl"


def test_a_malformed_entry_names_its_own_line():
    doc = parse(HAND_EDITED.replace("14b508827745", "14b5088277zz"), "translations/es/guide.md")
    with pytest.raises(ContentError) as info:
        provenance.read(doc)
    assert info.value.message.startswith("translations/es/guide.md:9: helpglot.blocks entry 3")


def test_write_changes_only_the_provenance_section():
    text = ("---\ntitle: Guía\nhelpglot:\n  source: guide.md\n  synced: 2026-01-01\n"
            "  blocks:\n  - 8dd65d0952ed reviewed\n  - 4da10f1fbb17 reviewed\n"
            "  - 14b508827745 reviewed\nicon: material/book\n---\n\n## Configuración\n\n"
            "Haz esto.\n")
    doc = parse(text, "t.md")
    prov = provenance.read(doc)
    assert prov is not None
    records = list(prov.blocks)
    records[1] = BlockRecord("0123456789ab", "reviewed")
    new = provenance.write(doc, prov.with_blocks(records, synced=dt.date(2026, 2, 2)))
    old_lines, new_lines = text.split("\n"), new.split("\n")
    fingerprint = [line for line in new_lines if line.startswith("  fingerprint: ")]
    assert len(fingerprint) == 1  # the file had none: one line more, before the entries
    assert new_lines.index(fingerprint[0]) == new_lines.index("  blocks:") - 1
    new_lines.remove(fingerprint[0])
    assert len(old_lines) == len(new_lines)
    assert [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b] == [
        ("  synced: 2026-01-01", "  synced: 2026-02-02"),
        ("  - 4da10f1fbb17 reviewed", "  - 0123456789ab reviewed"),
    ]
    again = provenance.write(parse(new, "t.md"), provenance.read(parse(new, "t.md")))
    assert again == new  # rewriting an unchanged file changes nothing, the fingerprint included


def test_write_keeps_windows_line_endings():
    text = "---\r\ntitle: Guía\r\n---\r\n\r\n## Configuración\r\n\r\nHaz esto.\r\n"
    doc = parse(text, "t.md")
    prov = Provenance(source="guide.md", blocks=tuple(BlockRecord(h, "reviewed")
                                                      for h in doc.hashes))
    new = provenance.write(doc, prov)
    assert "\n" not in new.replace("\r\n", "")
    assert new.endswith("---\r\n\r\n## Configuración\r\n\r\nHaz esto.\r\n")
    again = provenance.read(parse(new, "t.md"))
    assert again is not None and again.hashes == doc.hashes


def test_a_provenance_key_twice_is_refused_naming_its_line() -> None:
    """"Accept both" in a conflict editor leaves two `synced:` (or two `pending:`) lines; YAML would
    keep the last without a word and silently drop one side's bookkeeping."""
    import pytest

    from helpglot.errors import ContentError
    from helpglot.markdown.segment import parse
    from helpglot.tracking import provenance

    text = ("---\ntitle: Guía\nhelpglot:\n  source: guide.md\n  synced: 2026-01-02\n  synced: 2026-01-05\n"
            "  blocks:\n  - 0123456789ab reviewed\n---\n")
    with pytest.raises(ContentError) as info:
        provenance.read(parse(text, "translations/es/guide.md"))
    assert info.value.message.startswith("translations/es/guide.md:6: 'helpglot.synced' appears twice")


def test_two_pending_entries_for_one_block_are_refused() -> None:
    import pytest

    from helpglot.errors import ContentError
    from helpglot.markdown.segment import parse
    from helpglot.tracking import provenance

    entry = '  - {block: "0123456789ab", was: "ba9876543210", previous: "%s"}\n'
    text = ("---\ntitle: Guía\nhelpglot:\n  source: guide.md\n  blocks:\n  - 0123456789ab machine\n"
            "  pending:\n" + entry % "Uno" + entry % "Dos" + "---\n")
    with pytest.raises(ContentError) as info:
        provenance.read(parse(text, "translations/es/guide.md"))
    assert "pending has two entries for block 0123456789ab" in info.value.message
