"""LeadLetter TUI: a keyboard-driven terminal CRM for cold outreach."""

__version__ = "0.1.0"
