"""The error every layer may raise for the user: light to import (no database driver), so a
command can report one before it has opened anything."""


class UserError(Exception):
    """Bad input or an unusable database: one line for the user, exit code 2."""


class ChangedElsewhere(UserError):
    """A write refused because the contact(s) changed since the user saw them (another
    session, the CLI): nothing of theirs was overwritten. The TUI reloads what it shows."""

    def __init__(self, count: int = 1, domain: str = "") -> None:
        self.count = count
        self.domain = domain
        super().__init__(f"{domain} was changed by someone else meanwhile; nothing was written"
                         if domain else f"{count:,} changed by someone else")

    def screen_text(self, done: str = "") -> str:
        """What the TUI says (it reloads what it shows): "N changed by someone else, reloaded"."""
        lead = f"{done}; " if done else ""
        return f"{lead}{self.count:,} changed by someone else, reloaded"


def log_crash(log_dir, exc: BaseException | None = None) -> str:
    """Write a bug's traceback to the app's log (logs.py: 0600, rotated, secrets blanked)
    in `log_dir`; returns " (details in PATH)" for the one-line message, or "" if the log
    cannot be written."""
    import sys

    from . import logs

    if exc is None:
        exc = sys.exc_info()[1]
    if logs.current_file() != logs.log_file(log_dir):
        logs.configure(log_dir)
    try:
        where = logs.error("crash: unexpected %s", type(exc).__name__ if exc else "error", exc=exc)
    except Exception:  # noqa: BLE001  reporting a crash must never crash
        return ""
    return f" (details in {where})" if where is not None else ""
