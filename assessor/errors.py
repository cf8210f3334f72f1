"""The one base class of the errors a user can cause; the CLI prints them as one line, without a traceback."""


class AssessorError(Exception):
    """An expected failure: bad input, an unreachable document, a missing file."""
