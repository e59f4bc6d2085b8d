"""`helpglot translate` drafts pymdownx.blocks admonitions and options-only fences without breaking
them: the real deepl client against the fake DeepL server (it upper-cases what it translates), on an
article cut from FastAPI's docs."""

from __future__ import annotations

from helpglot.markdown.segment import parse_file
from test_sync_deepl import fake, fast_client, project, run  # noqa: F401  (pytest fixtures)

ARTICLE = '''# Run the server

/// tip
Compact tip: the server reloads on every change.
///

/// note | Technical Details

The command `fastapi dev` reads the `main.py` file.

///

In the output, there's a line with something like:

```hl_lines="4"
INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)
```

That line shows the URL where your app is being served.

//// tab | Windows PowerShell

Activate the environment first.

////
'''


def test_blocks_and_options_only_fences_are_drafted_intact(tmp_path, fake):  # noqa: F811
    root = project(tmp_path, fake, drop_es=False)
    (root / "docs" / "run-the-server.md").write_text(ARTICLE, encoding="utf-8")
    result = run(root, "--lang", "es", "docs/run-the-server.md")
    assert result.exit_code == 0, result.output
    draft = (root / "translations" / "es" / "run-the-server.md").read_text(encoding="utf-8")
    body = draft.split("---\n", 2)[2]
    lines = body.splitlines()
    # the block skeleton is kept line for line: types, slashes, the fence and its code
    for kept in ("/// tip", "/// note | ", "///", "////", "//// tab | ", '```hl_lines="4"',
                 "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)", "```"):
        assert any(line.startswith(kept) for line in lines), kept
    assert "/// tip\n[ES] COMPACT TIP" in body or "/// tip\nCOMPACT TIP" in body.upper()
    assert "/// note | [ES] TECHNICAL DETAILS" in body
    assert "//// tab | [ES] WINDOWS POWERSHELL" in body
    assert "THAT LINE SHOWS THE URL" in body, "the prose after an options-only fence is translated"
    assert "UVICORN RUNNING" not in body, "code inside the fence never reaches the engine"
    assert "`fastapi dev`" in body and "`main.py`" in body
    source = parse_file(str(root / "docs" / "run-the-server.md"))
    translated = parse_file(str(root / "translations" / "es" / "run-the-server.md"))
    assert [b.signature for b in translated.blocks] == [b.signature for b in source.blocks]


def test_a_translators_title_on_an_untitled_block_survives_syncs(tmp_path, fake):  # noqa: F811
    """``/// tip`` has an empty title place (nothing is sent to the engine for it); the translator's
    ``/// tip | Consejo`` is kept when the tip's body changes, and a title the writer adds later is
    drafted into the place with the ``|`` it needs."""
    root = project(tmp_path, fake, drop_es=False)
    article = root / "docs" / "run-the-server.md"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run(root, "--lang", "es", "docs/run-the-server.md").exit_code == 0
    draft = root / "translations" / "es" / "run-the-server.md"
    text = draft.read_text(encoding="utf-8")
    assert "/// tip\n" in text and "/// tip |" not in text, "no title is invented for the empty place"
    draft.write_text(text.replace("/// tip\n", "/// tip | Consejo\n"), encoding="utf-8")
    article.write_text(ARTICLE.replace("reloads on every change", "reloads on each saved change"), encoding="utf-8")
    result = run(root, "--lang", "es", "docs/run-the-server.md")
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "/// tip | Consejo\n" in text and "EACH SAVED CHANGE" in text
    draft.write_text(text.replace("/// tip | Consejo\n", "/// tip\n"), encoding="utf-8")  # the place empty again
    article.write_text(ARTICLE.replace("/// tip\n", "/// tip | Hot reload\n"), encoding="utf-8")
    result = run(root, "--lang", "es", "docs/run-the-server.md")
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "/// tip | [ES] HOT RELOAD\n" in text or "/// tip | HOT RELOAD\n" in text.upper(), text
    source = parse_file(str(article))
    translated = parse_file(str(draft))
    assert [b.signature for b in translated.blocks] == [b.signature for b in source.blocks]
