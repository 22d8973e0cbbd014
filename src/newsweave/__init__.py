"""newsweave: read the news across outlets.

Turns a pile of articles about one event into what a careful editor would write after
reading all of them: cleaned sources, and a summary whose every sentence is cited.

From Python::

    import newsweave

    report = newsweave.digest("saved-pages/")          # a path, a string or a list of them
    data = report.to_dict()                            # the JSON report as plain data
    html = report.render("html")                       # or "md", "json"

``newsweave.DigestOptions`` holds every stage's settings; the stages themselves live in
their own modules (``newsweave.pipeline`` strings them together).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("newsweave")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from newsweave.model import Report
    from newsweave.pipeline import DigestOptions

__all__ = ["DigestOptions", "__version__", "digest"]


def digest(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: DigestOptions | None = None,
    *,
    db: str | os.PathLike[str] | None = None,
) -> Report:
    """Digest articles (files, folders; one path or several) into a cited report.

    ``options`` defaults to ``DigestOptions()``: grouping into stories, entities, quotes and
    sentence embeddings on. With ``db`` the articles and finished stories are kept in that
    SQLite store (as ``newsweave digest --db`` does), so a second call resumes or reuses
    them; without it nothing is written. Bad inputs never raise: they are listed in
    ``Report.skipped`` with the reason."""
    from newsweave.pipeline import RunStats
    from newsweave.pipeline import digest as run
    from newsweave.store import Store

    if db is None:
        return run(paths, options=options)
    stats = RunStats()
    with Store(os.fspath(db)) as store:
        store.start_run("digest (python)")
        report = run(paths, options=options, store=store, stats=stats)
        store.finish_run(stats.articles, stats.stored)
        return report


def __getattr__(name: str) -> Any:
    """``newsweave.DigestOptions`` without importing the pipeline at ``import newsweave``."""
    if name == "DigestOptions":
        from newsweave.pipeline import DigestOptions

        return DigestOptions
    raise AttributeError(f"module 'newsweave' has no attribute {name!r}")
