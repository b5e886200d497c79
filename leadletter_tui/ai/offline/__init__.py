"""Offline implementations of the AI interfaces (writer, categoriser, reply classifier):
no network, no anthropic import."""
