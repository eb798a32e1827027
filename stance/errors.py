"""The one exception family for expected failures.

The CLI's ``main`` turns a :class:`StanceError` into ``error: <message>`` on
stderr and its ``exit_status``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class StanceError(Exception):
    """An expected failure: bad input, missing file, refused model."""

    exit_status = 1


class InputError(StanceError):
    """A document or data file that cannot be read as expected."""


class ActorDictionaryError(StanceError):
    """A malformed actor dictionary."""


class UsageError(StanceError):
    """A command-line usage the parser cannot catch by itself."""

    exit_status = 2
