"""The one exception commands raise for failures a user can fix."""


class CommandError(Exception):
    """A failure the user can fix: printed without a traceback, exit status 2."""
