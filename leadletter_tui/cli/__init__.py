"""`leadletter`: the headless CLI (same services as the TUI). No subcommand opens the TUI.

Exit codes: 0 ok, 1 partial failure, 2 bad input / usage / unusable database.
Commands load lazily, one module per family (contacts.py, export.py, generate.py,
imports.py, misc.py, replies.py): `list` imports neither Textual nor anthropic nor the
import machinery.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ..config import ConfigError, Paths
from ..errors import UserError, log_crash
from .context import Context, require_values

# name -> "module:attribute", imported only when the command runs (or --help lists it).
COMMANDS = {
    "list": "contacts:list_cmd",
    "show": "contacts:show",
    "status": "contacts:status",
    "import": "imports:import_cmd",
    "export": "export:export",
    "generate": "generate:generate",
    "follow-up": "generate:follow_up",
    "demo": "misc:demo",
    "locate": "misc:locate",
    "views": "misc:views",
    "reply": "replies:reply",
    "classify": "replies:classify",
    "stats": "analytics:stats",
    "backup": "backup:backup",
    "restore": "backup:restore",
}


class _PipeClosed(Exception):
    """stdout was closed by the reader (`leadletter list --json | head`)."""


class _Group(click.Group):
    """Loads each command's module on first use; turns a hung-up stdout into _PipeClosed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str):
        where = COMMANDS.get(name)
        if where is None:
            return None
        module, _, attr = where.partition(":")
        return require_values(getattr(importlib.import_module(f"{__name__}.{module}"), attr))

    def invoke(self, ctx: click.Context):
        # click turns EPIPE into a bare exit code 1; hand it to `main` instead.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _PipeClosed() from None
        except (UserError, ConfigError, click.ClickException, click.exceptions.Exit,
                click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # the database itself failed (locked, corrupt...)? say so
            message = ctx.obj.failure_message(exc) if isinstance(ctx.obj, Context) else None
            if message is None:
                raise
            raise UserError(message) from None


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="URL", envvar=None,
              help="Database: sqlite:///path/file.db, a file path, or postgresql://user@host/db.")
@click.version_option(package_name=None, version=__import__("leadletter_tui").__version__,
                      prog_name="leadletter")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """LeadLetter: a keyboard-driven outreach CRM. Run without a command to open the TUI."""
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:  # `leadletter [--db X]` alone skips click: launch.py
        from ..launch import start_tui

        start_tui(ctx.obj.services, ctx.obj.paths)


require_values(cli)  # --db "" is an error, not the default database


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every failure to one stderr line and an exit code."""
    from .process import Terminated, pin_std_streams, watch_signals

    pin_std_streams()
    restore_signals = watch_signals()  # SIGTERM/SIGHUP: a clean abort (process.py)
    try:
        result = cli.main(args=argv, prog_name="leadletter", standalone_mode=False)
        code = result if isinstance(result, int) else 0
        sys.stdout.flush()  # a reader that hung up shows here at the latest
    except (Exception, KeyboardInterrupt, Terminated) as failure:
        code = exit_code(failure)
    finally:
        restore_signals()
    sys.exit(code)


def exit_code(failure: BaseException) -> int:
    """Report a failure (one stderr line) and return the exit code for it. Also used by
    `launch.main`, which opens the TUI without loading click."""
    from .output import error

    try:
        raise failure
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:
        hint = f" (see 'leadletter {exc.ctx.info_name if exc.ctx and exc.ctx.parent else ''} --help')"
        error(exc.format_message() + hint.replace("leadletter  ", "leadletter "))
        code = 2
    except click.ClickException as exc:
        error(exc.format_message())
        code = exc.exit_code
    except (UserError, ConfigError) as exc:
        error(str(exc))
        code = 2
    except click.exceptions.Abort:
        error("aborted")
        code = 130
    except KeyboardInterrupt:
        error("interrupted")
        code = 130
    except (BrokenPipeError, _PipeClosed):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    except BaseException as exc:
        from ..store.db import failure_message
        from .process import Terminated, output_failure, silence_stdout

        if isinstance(exc, Terminated):
            error(f"stopped by {exc.name}; nothing half-written was left behind")
            return 128 + exc.signum
        if not isinstance(exc, Exception):
            raise
        message = failure_message(exc)  # the database itself failed: locked, corrupt, ...
        unwritable = output_failure(exc)  # stdout full (>/dev/full)
        if unwritable is not None:
            silence_stdout()
            error(unwritable)
            code = 2
        elif message is not None:
            error(message)
            code = 2
        else:
            error(f"unexpected {type(exc).__name__}: {exc}{log_crash(Paths.from_platform().log_dir)}")
            code = 1
    return code

