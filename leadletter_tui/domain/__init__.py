"""Pure product rules: no Textual, no Peewee, no anthropic."""
