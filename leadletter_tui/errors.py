"""The error every layer may raise for the user: light to import (no database driver), so a
command can report one before it has opened anything."""


import re

_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*):[^\s@/]*@")
_KEY_PASSWORD = re.compile(r"(?P<key>\bpassword\s*=\s*)(?:'[^']*'|\"[^\"]*\"|[^\s,;)]+)",
                           re.IGNORECASE)


def hide_secrets(text: str, *secrets: str | None) -> str:
    """`text` with passwords blanked: in URLs (`postgresql://ll:s3cret@host` becomes
    `postgresql://ll@host`), in `password=...` settings (a libpq DSN a driver echoes), and
    every literal `secret` given (3 characters or more). Used on every error line the CLI
    prints and on the crash log."""
    if "://" in text:
        text = _URL_PASSWORD.sub(r"\g<head>@", text)
    if "assword" in text or "ASSWORD" in text:
        text = _KEY_PASSWORD.sub(r"\g<key>***", text)
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


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
    except Exception:
        return ""
    return f" (details in {where})" if where is not None else ""
