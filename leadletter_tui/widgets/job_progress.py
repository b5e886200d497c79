"""A one-line progress bar for a long job on a screen (bulk status change, export): what is
running, how far it got, and how to stop it. Mounted when the job starts, removed when it
ends; the job's numbers arrive from its worker through `deliver` (workers.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar


class JobProgress(Horizontal):
    DEFAULT_CSS = """
    JobProgress { height: 1; background: $panel; padding: 0 1; }
    JobProgress > #job-label { width: auto; max-width: 60%; margin-right: 1; }
    JobProgress > ProgressBar { width: 1fr; }
    JobProgress > #job-hint { width: auto; color: $text-muted; margin-left: 1; }
    """

    def __init__(self, label: str, hint: str = "q quits and asks to cancel") -> None:
        super().__init__(id="job-progress")
        self.label_text = label
        self._label = Label(Content(label), id="job-label")
        self._bar = ProgressBar(total=None, show_eta=False, id="job-bar")
        self._hint = Label(Content(hint), id="job-hint")
        self.done = 0
        self.total: int | None = None

    def compose(self) -> ComposeResult:
        yield self._label
        yield self._bar
        yield self._hint

    def advance_to(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self._bar.update(total=max(total, 1), progress=done)

    def describe(self) -> str:
        """What is running and how far, for the quit question."""
        if self.total:
            return f"{self.label_text} ({self.done:,} of {self.total:,})"
        return self.label_text
