"""Offline implementations of the AI interfaces: what a user without an API key gets.

Pure Python, no anthropic import. `writer.OfflineWriter` composes first messages and
follow-ups from homepage facts (`domain.facts`) and sentence banks (`phrasebook`,
`angles_bank`, `frames`, `followup`), and returns only drafts that pass
`domain.validation.validate`.
"""
