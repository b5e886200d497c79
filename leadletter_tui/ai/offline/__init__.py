"""Offline AI implementations: no network, no anthropic import."""
