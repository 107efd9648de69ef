"""A progress bar on stderr for the large files of a load."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.progress import Progress, TaskID

from service.load.reader import count_lines
from service.progress import progress_bar

# Smaller files load in a few seconds; a bar would only flicker.
PROGRESS_MIN_ROWS = 100_000


class FileProgress:
    """Rows read of one file, then its checking and merging phases; silent when not wanted."""

    def __init__(self, path: Path, *, enabled: bool) -> None:
        self._name = path.name
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if enabled:
            rows = count_lines(path) - 1
            if rows > PROGRESS_MIN_ROWS:
                self._bar = progress_bar()
                self._task = self._bar.add_task(f"{self._name}: reading", total=rows)

    def __enter__(self) -> FileProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, rows: int) -> None:
        """Count ``rows`` more rows read."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, rows)

    def phase(self, name: str) -> None:
        """Show that the file moved on to ``name`` (checking, merging)."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=f"{self._name}: {name}")
