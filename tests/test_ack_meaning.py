"""``ack`` accepts spelling, punctuation, white space and capitals, and refuses every edit that
changes what a sentence says (issue 19, 4): a translation must never stay "up to date" while
saying the opposite of its English."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import block_no, edit, helpglot
from helpglot.review.ack import why_not_cosmetic
from helpglot.terms import dictionary
from test_tracking_cli import SOURCE, TODAY, commit, sample_repo, snapshot, stamp

REFUSED = [
    ("You can delete a user.", "You cannot delete a user.", "a negation"),
    ("Invoices are kept for 30 days.", "Invoices are kept for 30 hours.", "the word next to a number"),
    ("This applies to all users.", "This applies to no users.", "was added, removed or replaced ('all' → 'no')"),
    ("Export lets you delete your data.", "Export lets you keep your data.", "another word"),
    ("We keep records for 10 years.", "We keep records for 10 months.", "the word next to a number"),
    ("Refunds are always possible.", "Refunds are never possible.", "a negation"),
    ("You can sign in here.", "You can't sign in here.", "a negation"),
    ("Click Save.", "Click Save now.", "words were added or removed ('now' added)"),
    ("Click Save now.", "Click Save.", "words were added or removed ('now' removed)"),
    ("Some reports are shared.", "Most reports are shared.", "a quantifier"),
    ("Put the file there.", "Put the file their.", "another word"),
    ("Owners can invite people.", "Admins can invite people.", "another word"),
]

ACCEPTED = [
    ("This table summarizes the most common permissions:", "This table summarises the most common permissions:"),
    ("You will recieve an email.", "You will receive an email."),
    ("Each person gets their own login", "Each person gets their own log-in"),
    ("If the invitation email got lost", "If the invitation e-mail got lost"),
    ("Click the menu next to the name.", "Click the menu, next to the name."),
    ("Open the Settings page", "Open the settings page"),
    ("Choose  a plan", "Choose a plan"),
    ("Your business name as it should appear.", "Your business name, as it should appear."),
    ("the acount page", "the account page"),
]


@pytest.mark.parametrize("old, new, reason", REFUSED)
def test_a_change_of_meaning_is_refused_with_its_reason(old: str, new: str, reason: str) -> None:
    found = why_not_cosmetic(old, new, [], "en")
    assert found is not None and reason in found, found


@pytest.mark.parametrize("old, new", ACCEPTED)
def test_spelling_punctuation_spacing_and_capitals_are_cosmetic(old: str, new: str) -> None:
    assert why_not_cosmetic(old, new, [], "en") is None


def test_the_dictionary_that_tells_words_apart_is_installed() -> None:
    """"there" → "their" is refused because Hunspell knows both words: scripts/test installs
    hunspell-en-us, so the rule runs in CI as it does for users."""
    assert dictionary.dictionary("en") is not None


def test_ack_refuses_cannot_in_a_real_repository_and_changes_nothing(tmp_path: Path) -> None:
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "The invitation is valid for 7 days.", "The invitation is not valid for 7 days.")
    commit(root, "a negation", stamp(TODAY))
    before = snapshot(root)
    n = block_no(root, SOURCE, "The person receives an email")
    proc = helpglot("ack", SOURCE, cwd=root, check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert f"block {n} (docs/getting-started/invite-your-team.md:" in proc.stderr
    assert "a negation was added, removed or replaced ('-' → 'not')" in proc.stderr
    assert snapshot(root) == before
