"""A written message before it is stored: what every writer (offline or Claude) returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draft:
    subject: str  # one line
    body: str  # greeting, paragraphs, sign-off and signature, separated by blank lines

    @property
    def text(self) -> str:
        """Subject and body as one text (for comparisons such as the follow-up rule)."""
        return f"{self.subject}\n\n{self.body}"


class DraftError(ValueError):
    """No valid draft could be written (the message says which rules kept failing)."""
