"""Stage 3: the term base (glossary files, exchange formats, matching terms in inflected running text)."""
