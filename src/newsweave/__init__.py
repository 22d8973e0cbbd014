"""newsweave: read the news across outlets.

Turns a pile of articles about one event into what a careful editor would write after
reading all of them: cleaned sources, and a summary whose every sentence is cited.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsweave")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
