"""The eight message frameworks a message is written in (how it is built, not what it
offers: that is the angle, see `angles`)."""

from __future__ import annotations

from enum import StrEnum


class Framework(StrEnum):
    PATTERN_INTERRUPT = "pattern_interrupt"
    DIRECT_VALUE = "direct_value"  # direct value first
    MISSION_BASED = "mission_based"
    LOOM_VIDEO = "loom_video"
    QUESTION_LED = "question_led"
    PROBLEM_AGITATE_SOLVE = "problem_agitate_solve"
    SOCIAL_PROOF = "social_proof"
    COMPLIMENT_BRIDGE = "compliment_bridge"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Framework.PATTERN_INTERRUPT: "Pattern interrupt",
    Framework.DIRECT_VALUE: "Direct value first",
    Framework.MISSION_BASED: "Mission based",
    Framework.LOOM_VIDEO: "Loom video",
    Framework.QUESTION_LED: "Question led",
    Framework.PROBLEM_AGITATE_SOLVE: "Problem-agitate-solve",
    Framework.SOCIAL_PROOF: "Social proof",
    Framework.COMPLIMENT_BRIDGE: "Compliment bridge",
}

FRAMEWORKS: tuple[str, ...] = tuple(f.value for f in Framework)
