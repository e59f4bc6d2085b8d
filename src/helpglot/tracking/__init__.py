"""Stage 2: what each translation was made from, and whether it still matches (provenance,
alignment, freshness, status, renames).
"""
