"""Offline implementations of the AI interfaces (no anthropic import, no network)."""
