"""Stage 1: Markdown as helpglot reads it: blocks, byte-exact segmenting, inline markup, front matter."""
