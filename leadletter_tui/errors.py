"""The error every layer may raise for the user: light to import (no database driver), so a
command can report one before it has opened anything."""


class UserError(Exception):
    """Bad input or an unusable database: one line for the user, exit code 2."""
