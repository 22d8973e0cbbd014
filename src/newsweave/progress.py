"""Signs of life for long runs, on stderr.

The pipeline reports ``(stage, done, total)`` through a callback (:data:`Progress` in
:mod:`newsweave.pipeline`); these classes show it to a person. On a terminal a ``rich``
progress display shows articles read, stories grouped and stories analysed with a rate and
an ETA; anywhere else (a log file, CI) a plain line is printed at most every
``interval`` seconds and when a stage ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

STAGES = {
    "read": "reading articles",
    "group": "grouping into stories",
    "analyse": "analysing stories",
}
UNITS = {"read": "articles", "group": "stories", "analyse": "stories"}


class PlainProgress:
    """Periodic plain lines (``newsweave: analysing stories: 40/741, 3.2/s, about 3m left``)."""

    def __init__(
        self,
        stream: TextIO,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.started: dict[str, float] = {}
        self.last_line = clock()
        self.pending: tuple[str, int, int | None] | None = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = self.clock()
        if stage not in self.started:
            self._flush_other(stage)
            self.started[stage] = now
        finished = total is not None and done >= total
        if finished or now - self.last_line >= self.interval:
            self._line(stage, done, total, now)
            self.pending = None
        else:
            self.pending = (stage, done, total)

    def close(self) -> None:
        """Print the last count of a stage that ended between two lines."""
        self._flush_other(None)

    def _flush_other(self, stage: str | None) -> None:
        if self.pending is not None and self.pending[0] != stage:
            self._line(*self.pending, self.clock())
            self.pending = None

    def _line(self, stage: str, done: int, total: int | None, now: float) -> None:
        self.last_line = now
        elapsed = max(now - self.started.get(stage, now), 1e-9)
        rate = done / elapsed
        count = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
        parts = [f"{STAGES.get(stage, stage)}: {count} {UNITS.get(stage, '')}".rstrip()]
        if elapsed >= 1 and done:
            parts.append(f"{rate:.1f}/s")
            if total is not None and done < total:
                parts.append(f"about {_duration((total - done) / rate)} left")
        print("newsweave: " + ", ".join(parts), file=self.stream, flush=True)


class RichProgress:
    """A live ``rich`` display with a bar per stage, a rate and an ETA (for terminals)."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.display = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TaskProgressColumn(show_speed=True),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )
        self.tasks: dict[str, Any] = {}
        self.display.start()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        task = self.tasks.get(stage)
        if task is None:
            description = STAGES.get(stage, stage)
            task = self.display.add_task(description, total=total, unit=UNITS.get(stage, ""))
            self.tasks[stage] = task
        self.display.update(task, completed=done, total=total)

    def close(self) -> None:
        """Stop the live display, leaving its last state on screen."""
        self.display.stop()


def _duration(seconds: float) -> str:
    """``45s``, ``3m``, ``1h 20m``: an ETA a person reads at a glance."""
    if seconds < 60:
        return f"{max(seconds, 1):.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    return f"{seconds // 3600:.0f}h {seconds % 3600 / 60:.0f}m"


def reporter(stream: TextIO, quiet: bool) -> PlainProgress | RichProgress | None:
    """The progress display that fits ``stream``: none when quiet, live on a terminal,
    plain periodic lines elsewhere."""
    if quiet:
        return None
    if stream.isatty():
        return RichProgress(stream)
    return PlainProgress(stream)
