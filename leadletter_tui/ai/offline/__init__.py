"""Offline implementations of the AI interfaces: no network, no anthropic import."""
