"""Stage 7: the published help center: the MkDocs adapter and the MkDocs-free pieces it delegates to."""
