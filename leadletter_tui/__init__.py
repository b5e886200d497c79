"""LeadLetter TUI: a keyboard-driven terminal CRM for cold outreach."""

__version__ = "0.1.0"

import os as _os

# Repaint up to 120 times a second (Textual's default is 60): a filter's new rows reach the
# screen one frame sooner. Only changed lines are sent, so SSH traffic does not grow. Textual
# reads this once, when it is first imported, hence here, before any module can import it.
# An explicit TEXTUAL_FPS wins.
_os.environ.setdefault("TEXTUAL_FPS", "120")
