"""The sender's profile: who is writing, what they offer, how they sound."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SenderProfile:
    name: str = ""
    company: str = ""
    offer: str = ""  # one or two sentences: what you do for clients
    writing_sample: str = ""  # a short sample of how you write
    signature: str = ""  # appended under the body ("Sam\nAcme Studio")

    @property
    def is_complete(self) -> bool:
        """The minimum a first generation needs."""
        return bool(self.name.strip() and self.offer.strip())
