"""A warm ``helpglot build`` for ``helpglot serve``: imports once, forks once per build.

Starting Python and importing MkDocs, Material, static-i18n and helpglot takes about a second,
as long as an incremental build of a small change. ``helpglot serve`` therefore starts this
process once; it imports everything, then for each request (one JSON line on stdin: the
arguments of ``helpglot build``) forks a child that runs the command and answers with one JSON
line (exit code and messages). The process has a single thread, so forking it is safe, and
each build starts from the same clean state (nothing of one build stays for the next).

After answering, it compiles the site's templates and reads the caches the build wrote
(:func:`helpglot.site.parallel.warm_between_builds`), which each build would otherwise compile and
parse again in its fork (a third of a second at every save, at 1,000 articles): Jinja checks each
template's source before using it, and a cache is taken only while its file's stat is the one read.

What is worth keeping between builds lives in one long-lived worker per language built
(:mod:`helpglot.site.langworker`), forked from here once: the command forked for each build
hands its languages to them.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile


def main() -> None:
    from helpglot.site import langworker, parallel, warmstate

    parallel._preload()
    import helpglot.cli  # noqa: F401 - the command itself, imported before forking

    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the protocol's stream
    for line in sys.stdin:
        args = json.loads(line)
        if os.environ.get("HELPGLOT_LANG_WORKERS", "1") != "0":  # 0: a forked worker per build, as before
            langworker.start(_languages(args), parallel.run_logged)
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
            pid = os.fork()
            if pid == 0:  # the child: one build
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
                code = 1
                try:
                    from helpglot.cli import main as cli

                    cli(args, standalone_mode=False)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                except BaseException as exc:  # noqa: BLE001 - reported to the server, not raised there
                    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                    print(f"Error: {message}", file=sys.stderr)
                    code = getattr(exc, "exit_code", 1) or 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            _pid, status = os.waitpid(pid, 0)
            log.seek(0)
            answer = {"code": os.waitstatus_to_exitcode(status), "output": log.read()}
        out.write(json.dumps(answer) + "\n")
        out.flush()
        if args and args[0] == "build":  # while the writer types: the next build's fork starts with them
            parallel.warm_between_builds(_config_file(args))
            langworker.settle()  # (and the builds forked from here never scan what it holds)
    langworker.stop()
    warmstate.save()  # (patched between builds, the file facts were kept in memory only)


def _config_file(args: list[str]) -> str:
    for i, arg in enumerate(args[:-1]):
        if arg in ("-f", "--config-file"):
            return args[i + 1]
    return "mkdocs.yml"


def _languages(args: list[str]) -> list[str]:
    """The languages a ``helpglot build`` request builds: its ``--lang`` ones, else every one."""
    if not args or args[0] != "build":
        return []
    langs = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("--lang", "-l")]
    if langs:
        return langs
    try:
        from helpglot.config import load_settings

        return list(load_settings(_config_file(args)).codes)
    except Exception:  # noqa: BLE001 - the build itself reports a config it cannot read
        return []


if __name__ == "__main__":
    main()
