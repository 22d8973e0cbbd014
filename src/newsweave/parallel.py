"""Worker processes for work that splits into independent pieces (term vectors, parsing,
stories)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

MAX_JOBS = 4  # more workers than this seldom pay for their start-up here


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(jobs: int | None = None) -> int:
    """``jobs`` if given (at least 1), else the available cores, at most ``MAX_JOBS``."""
    return max(1, jobs if jobs is not None else min(MAX_JOBS, available_cores()))


def can_fork() -> bool:
    """Whether worker processes can be forked here (they then share the parent's memory
    as it was, so inputs need not be pickled)."""
    return "fork" in multiprocessing.get_all_start_methods()


_shared: Any = None  # what the parent handed its forked workers; never set in the parent


def _share(value: Any) -> None:
    global _shared
    _shared = value


def _forked_pool(jobs: int, shared: Any) -> ProcessPoolExecutor:
    """``jobs`` workers forked from this process, each handed ``shared`` by the fork."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_share, initargs=(shared,))


def _call(task: tuple[Callable[[Any, int, int], list[T]], int, int]) -> list[T]:
    fn, start, stop = task
    return fn(_shared, start, stop)


def forked_ranges(
    fn: Callable[[Any, int, int], list[T]], shared: Any, n: int, jobs: int
) -> list[T] | None:
    """``fn(shared, start, stop)`` over ranges covering ``0..n``, in ``jobs`` forked
    workers, concatenated in order; ``None`` when no worker could be started (the caller
    then does the work itself). ``shared`` reaches the workers through the fork, not a pickle;
    only the ranges and the results are pickled."""
    if jobs < 2 or n < 2 or not can_fork():
        return None
    size = max(1, -(-n // (4 * jobs)))  # four ranges per worker: even loads
    tasks = [(fn, k, min(n, k + size)) for k in range(0, n, size)]
    try:
        with _forked_pool(jobs, shared) as pool:
            parts: Sequence[list[T]] = list(pool.map(_call, tasks))
    except (OSError, BrokenProcessPool):
        return None
    return [x for part in parts for x in part]


def _call_one(task: tuple[Callable[[Any, int], T], int]) -> T:
    fn, index = task
    return fn(_shared, index)


def forked_map(fn: Callable[[Any, int], T], shared: Any, n: int, jobs: int) -> Iterator[T]:
    """``fn(shared, i)`` for each ``i`` in ``0..n``, in order, computed by ``jobs`` forked
    workers (one task each, handed out as workers free up, so put the largest first).

    ``shared`` reaches the workers through the fork; only the indices and the results are
    pickled. Where workers cannot be started, or one dies, what is left is computed here."""
    done = 0
    if jobs >= 2 and n >= 2 and can_fork():
        try:
            with _forked_pool(min(jobs, n), shared) as pool:
                for result in pool.map(_call_one, [(fn, i) for i in range(n)]):
                    yield result
                    done += 1
        except (OSError, BrokenProcessPool):
            pass  # the rest is done here, below
    for i in range(done, n):
        yield fn(shared, i)
