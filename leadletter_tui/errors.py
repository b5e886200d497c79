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
