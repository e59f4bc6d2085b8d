"""``helpglot serve``: preview the help center while writing or translating it.

Like ``mkdocs serve`` it rebuilds on every save and reloads the browser, but each rebuild is
incremental (only the pages whose inputs changed are rendered) and covers only the languages
being previewed: by default the source language and the languages whose translations have
uncommitted changes, plus any language whose translations are saved while it runs.
"""

from __future__ import annotations

import click

from helpglot.cli.options import CONFIG_OPTION, lang_option
from helpglot.config import load_settings
from helpglot.errors import ConfigError


@click.command()
@CONFIG_OPTION
@lang_option("Preview this language too (repeatable) [default: the source language and the languages "
             "whose translations changed].")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Where to serve the preview.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Languages built at the same time [default: the machine's cores].")
@click.option("--no-follow", is_flag=True, help="Do not add a language when its translations are saved.")
def serve(config_file: str, langs: tuple[str, ...], dev_addr: str, jobs: int | None, no_follow: bool) -> None:
    """Preview the site with live reload, rebuilding only what changed and only some languages."""
    import hashlib
    import logging
    import tempfile
    from pathlib import Path

    from helpglot.cli.build import _jobs_default
    from helpglot.site import preview

    settings = load_settings(config_file)
    for code in langs:
        if code not in settings.codes:
            raise ConfigError(f"--lang {code}: not a language of this site ({', '.join(settings.codes)}).")
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--dev-addr {dev_addr}: give IP:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8000.")
    _can_listen(dev_addr, host.strip("[]"), int(port))  # before the first build: a busy port changes nothing
    chosen = list(langs) or preview.changed_languages(settings)
    # outside the project (an output folder may not lie in the sources or the cache), the same for
    # every session of this project, so a new session starts from the last one's pages
    ident = hashlib.sha256(str(settings.root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"helpglot-serve-{ident}"
    view = preview.Preview(settings, config_file, chosen, folder, jobs or _jobs_default(), not no_follow)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    click.echo(f"==> previewing {', '.join(view.langs)}: first build...", err=True)
    if not view.build():
        view.close()
        raise click.ClickException("the first build failed (messages above)")
    server = preview.PreviewServer(view, host, int(port))
    for path in view.watched:
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except OSError as exc:
        raise ConfigError(f"--dev-addr {dev_addr}: cannot listen there ({exc.strerror}); pick another port") \
            from None
    except KeyboardInterrupt:
        click.echo("==> stopped", err=True)
    finally:
        server.shutdown()
        view.close()


def _can_listen(dev_addr: str, host: str, port: int) -> None:
    """Bind and release the address once, so a taken port or an unknown host is one clear line."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"--dev-addr {dev_addr}: cannot listen there ({reason}); pick another address or "
                          "port") from None
