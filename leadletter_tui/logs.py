"""The app's log: `leadletter.log` in the platform log dir (`Paths.log_dir`).

- Private and bounded: created 0600 (rotated files too: every file is opened with
  `os.open(..., 0o600)`, never chmod-ed afterwards) in a 0700 directory; at most MAX_BYTES
  per file, BACKUPS older files beside it (`leadletter.log.1` …), so 4 MB in all.
- Never a secret: every record passes a filter that blanks anything shaped like an
  Anthropic key (`sk-ant-…`), the password of a URL (`scheme://user:PASSWORD@`),
  `password=…`, and the exact secrets handed to `configure` (the configured API key).
- Never reply text (or any text a contact wrote) at info level: that goes to `debug`,
  which is off unless LEADLETTER_LOG_LEVEL=debug.
- Cheap: `configure()` only records where the log goes; the handler (and the import of
  `logging.handlers`) comes with the first record. `list` writes none, so it never pays,
  and the TUI logs its start after the first paint. Crash reports land here too
  (errors.log_crash), with their tracebacks.

Use the module functions (`logs.info("import: %d rows", n)`): nothing is written before
`configure` (the CLI's context and the TUI's entry point call it), so tests and library
use stay silent. Several processes may share the file; a rotation in one of them is seen
by the others at their own next rotation (the total stays bounded).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

LOG_NAME = "leadletter.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
MIN_SECRET = 8  # shorter exact secrets are not blanked (they would blank ordinary words)

# (pattern, replacement): an Anthropic key, a URL's password, a password=value pair.
# Compiled on first use: importing this module must cost nothing measurable.
_SCRUBS = (
    (r"sk-ant-[A-Za-z0-9_\-]+", "sk-ant-***"),
    (r"([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]*):[^@\s]*@", r"\1:***@"),
    (r"(?i)\b(password|passwd|pwd)(\s*[=:]\s*)\S+", r"\1\2***"),
)
_compiled: list = []

_lock = threading.Lock()
_log_dir: Path | None = None
_secrets: frozenset[str] = frozenset()
_handler = None  # the installed PrivateRotatingFileHandler


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with API keys, URL passwords, `password=` values and `secrets` blanked."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET and secret in text:
            text = text.replace(secret, "***")
    if not _compiled:
        import re

        _compiled.extend((re.compile(pattern), repl) for pattern, repl in _SCRUBS)
    for pattern, repl in _compiled:
        text = pattern.sub(repl, text)
    return text


def log_file(log_dir: os.PathLike | str) -> Path:
    return Path(log_dir) / LOG_NAME


def configure(log_dir: os.PathLike | str, *, secrets: Iterable[str] = ()) -> Path:
    """Say where the log goes (cheap: nothing is opened or imported until the first
    record). Returns the log file's path."""
    global _log_dir, _secrets
    with _lock:
        _log_dir = Path(log_dir)
        _secrets = frozenset(s for s in secrets if s and len(s) >= MIN_SECRET)
    return log_file(_log_dir)


def current_file() -> Path | None:
    """Where records go now (None: not configured)."""
    return log_file(_log_dir) if _log_dir is not None else None


def _logger():
    """The `leadletter` logger with the file handler for the configured directory, or None
    when no directory is configured (or it cannot be written: logging never fails a
    command)."""
    global _handler
    if _log_dir is None:
        return None
    import logging

    with _lock:
        path = log_file(_log_dir)
        if _handler is None or _handler.baseFilename != os.path.abspath(path):
            _install(logging, path)
        return logging.getLogger("leadletter") if _handler is not None else None


def _install(logging, path: Path) -> None:
    global _handler
    from .log_handler import PrivateRotatingFileHandler, ScrubbingFilter, ScrubbingFormatter

    logger = logging.getLogger("leadletter")
    logger.propagate = False  # never to the root logger (or stderr's last-resort handler)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                             encoding="utf-8")
    except OSError:
        return
    handler.addFilter(ScrubbingFilter(lambda: _secrets))
    handler.setFormatter(ScrubbingFormatter(
        "%(asctime)s %(levelname)s [%(process)d] %(message)s", lambda: _secrets))
    level = os.environ.get("LEADLETTER_LOG_LEVEL", "").strip().upper()
    logger.setLevel(level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO")
    logger.addHandler(handler)
    _handler = handler


def shutdown() -> None:
    """Close the log file and forget the configuration (tests; a second configure)."""
    global _handler, _log_dir
    with _lock:
        if _handler is not None:
            import logging

            logging.getLogger("leadletter").removeHandler(_handler)
            _handler.close()
            _handler = None
        _log_dir = None


def debug(msg: str, *args) -> None:
    """For text people wrote (replies, messages): off unless LEADLETTER_LOG_LEVEL=debug."""
    if (logger := _logger()) is not None:
        logger.debug(msg, *args)


def info(msg: str, *args) -> None:
    if (logger := _logger()) is not None:
        logger.info(msg, *args)


def warning(msg: str, *args) -> None:
    if (logger := _logger()) is not None:
        logger.warning(msg, *args)


def error(msg: str, *args, exc: BaseException | None = None) -> Path | None:
    """Log an error (with `exc`'s traceback); returns the file it went to, or None."""
    logger = _logger()
    if logger is None:
        return None
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    logger.error(msg, *args, exc_info=exc_info)
    handler = _handler
    if handler is None:
        return None
    handler.flush()
    return Path(handler.baseFilename)
