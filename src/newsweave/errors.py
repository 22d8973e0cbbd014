"""newsweave's exceptions, one tree so callers can catch at the level they need.

NewsweaveError
├── InputError          an input file cannot be used (reported, then skipped)
│   ├── UnreadableInput     the OS refused to read it (permissions, a directory, ...)
│   ├── TooLarge            over the size limit for one article
│   ├── BinaryInput         not text
│   ├── EmptyInput          nothing in it, or no article text after extraction
│   └── UnsupportedFormat   a format newsweave does not read yet (WARC, feeds)
├── StoreError          the SQLite store cannot be opened or migrated
└── UsageError          the command line asks for something impossible
"""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base of every error newsweave raises on purpose."""


def describe(exc: BaseException) -> str:
    """An exception as one short line: its type and the start of its message."""
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:297] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class InputError(NewsweaveError):
    """An input that cannot become an article; the message says why."""


class UnreadableInput(InputError):
    """The file exists but cannot be read."""


class TooLarge(InputError):
    """The file is larger than the limit for a single article."""


class BinaryInput(InputError):
    """The file holds binary data, not text."""


class EmptyInput(InputError):
    """The file is empty, or holds no article text."""


class UnsupportedFormat(InputError):
    """The file is in a format that is not read yet."""


class StoreError(NewsweaveError):
    """The store cannot be opened, migrated or written."""


class UsageError(NewsweaveError):
    """The command line asks for something that cannot be done."""
