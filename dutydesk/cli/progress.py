"""A progress bar for long work (issue 19): verify, restore, export --full, reindex. The services
take a callback (done, total); this shows it with rich.progress on the terminal's stderr, with
the count and the time left, and nothing when the output is piped or --json is given."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[[int, int], None]


def _terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def progress_bar(label: str, *, quiet: bool = False) -> Iterator[Update | None]:
    """Yields the callback to give the service, or None when nothing is to be shown."""
    if quiet or not _terminal():
        yield None
        return
    with terminal_bar(label) as update:
        yield update


@contextmanager
def terminal_bar(label: str) -> Iterator[Update]:
    """The bar itself on stderr, whatever stdout is (the benchmark's build: its figures go to
    stdout, its log to stderr). Gone from the screen once the work is done."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update
