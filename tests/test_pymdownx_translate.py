"""`helpglot translate` drafts pymdownx.blocks admonitions and options-only fences without breaking
them: the real deepl client against the fake DeepL server (it upper-cases what it translates), on an
article cut from FastAPI's docs."""

from __future__ import annotations

from helpglot.segment import parse_file
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
