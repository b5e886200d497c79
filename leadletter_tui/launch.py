"""The `leadletter` entry point. Opening the TUI (`leadletter` or `leadletter --db URL`,
nothing else) takes a short path that never loads click: click and the command
definitions cost 10-15 ms of a start-up measured against an empty Textual app. Any other
arguments go to the click CLI (`cli.main`) unchanged, and failures of the short path are
reported by the CLI's own mapping (`cli.exit_code`), so both paths fail alike.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Paths
    from .services import Services

NOT_THE_TUI = object()


def tui_database(args: Sequence[str]) -> object:
    """The --db value when `args` only open the TUI (None: the default database), else
    NOT_THE_TUI (a command, --help, --version, anything click should parse)."""
    if not args:
        return None
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return args[0][5:]
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return args[1]
    return NOT_THE_TUI


def start_tui(open_services: Callable[[], Services], paths: Paths) -> None:
    """Open the database, start reading the first page, load Textual, run the app."""
    # No garbage collection until the first screen is up (LeadLetterApp turns it back on
    # after the first paint, freezing what start-up built): importing Textual and building
    # the screen would otherwise run full collections over every object loaded so far
    # (10-15 ms each, all before the first paint).
    gc.disable()
    try:
        services = open_services()
        first_page = services.prefetch_first_page()  # overlaps a server's query with Textual's import
        from .app import run_tui

        run_tui(services, paths, first_page)
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    db = tui_database(args)
    if db is NOT_THE_TUI:
        from .cli import main as cli_main

        cli_main(argv)
        return
    gc.disable()  # from the first import on (see start_tui)
    services = None
    try:
        from .config import Paths, load_settings
        from .services import open_for_tui

        paths = Paths.from_platform()
        settings = load_settings(paths)
        from . import logs  # cheap: the file opens after the first paint (app.py)

        logs.configure(paths.log_dir, secrets=(settings.anthropic_api_key,))

        def opened() -> Services:
            nonlocal services
            services = open_for_tui(settings, paths, db)
            return services

        start_tui(opened, paths)
        code = 0
    except (Exception, KeyboardInterrupt) as failure:
        from .cli import exit_code

        code = exit_code(failure)
    finally:
        if services is not None:
            services.close()
    sys.exit(code)
