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
            fh.write(hide_secrets(text) + "\n")
        return f" (details in {log})"
    except OSError:
        return ""
