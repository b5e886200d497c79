"""The learning loop's public entry point (DESIGN.md "Learning loop API").

`from leadletter_tui.learning import ANGLES, AngleLearner` imports only pure domain code."""

from leadletter_tui.domain.angles import ANGLES
from leadletter_tui.domain.learning import (
    AngleEstimate,
    AngleLearner,
    outcome_reward,
)

__all__ = ["ANGLES", "AngleEstimate", "AngleLearner", "outcome_reward"]
