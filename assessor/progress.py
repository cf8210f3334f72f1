"""Progress bars for batches (fetching, reviewing, auditing): tqdm's own on a terminal, a widget in a notebook,
none in logs, pipes and cron mail, where a bar's carriage returns are noise."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tqdm import tqdm

Progress = Literal["auto", "terminal", "off"]


def command_progress() -> Progress:
    """What a command shows: a bar when its stderr is a terminal, nothing when it goes to a file or a log."""
    return "terminal" if sys.stderr.isatty() else "off"


def progress_bar(total: int, progress: Progress, what: str, unit: str) -> tqdm:
    """A bar over `total` items (none for fewer than two): tqdm's text bar on stderr ("terminal"), tqdm's choice
    of a notebook widget or text ("auto"), or none ("off")."""
    if progress == "terminal":
        from tqdm import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm(total=total, desc=what, unit=unit, file=sys.stderr, leave=False,
                disable=progress == "off" or total < 2)
