"""The log file's handler, filter and formatter (loaded with the first record, see logs.py:
importing `logging.handlers` costs start-up time nobody needs before then)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from logging.handlers import RotatingFileHandler

from .logs import scrub

Secrets = Callable[[], Iterable[str]]


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose every file (the first and each after a rotation) is
    created 0600 by `os.open`: readable by nobody else from the first byte, whatever the
    umask, with no window before a chmod."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class ScrubbingFilter(logging.Filter):
    """Renders each record's message (and traceback) and blanks secrets in it, before any
    formatter or handler sees the arguments."""

    def __init__(self, secrets: Secrets) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = tuple(self.secrets())
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  a bad format string: keep the raw text
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = scrub(message, secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, secrets)
        return True


class ScrubbingFormatter(logging.Formatter):
    """The final line scrubbed once more (whatever a future field might carry)."""

    def __init__(self, fmt: str, secrets: Secrets) -> None:
        super().__init__(fmt)
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record), tuple(self.secrets()))
