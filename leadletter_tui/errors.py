"""The error every layer may raise for the user: light to import (no database driver), so a
command can report one before it has opened anything."""


class UserError(Exception):
    """Bad input or an unusable database: one line for the user, exit code 2."""


def log_crash(log_dir, exc: BaseException | None = None) -> str:
    """Append a bug's traceback to crash.log in `log_dir`; returns " (details in PATH)" for
    the one-line message, or "" if the log cannot be written."""
    import traceback
    from pathlib import Path

    try:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        log = Path(log_dir) / "crash.log"
        text = ("".join(traceback.format_exception(exc)) if exc is not None
                else traceback.format_exc())
        with log.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        return f" (details in {log})"
    except OSError:
        return ""
