"""Stage 4: machine drafts: sync only what changed, engines behind one interface, the cache, skeleton changes."""
