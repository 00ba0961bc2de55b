"""Lines the commands print about documents (no typer here: `generate`'s own parser uses them)."""

from __future__ import annotations

from .. import api
from ..i18n import _
from .runtime import say, warn


def print_pdf_outcome(outcome) -> None:
    for note in outcome.notes:
        warn(f"{outcome.source}: {_('warning')}: {note}")
    for problem in outcome.problems:
        warn(f"{outcome.source}: {_('error')}: {problem}")
    if outcome.ok:
        for path in [outcome.output, *outcome.appendices]:
            say(_("written: {path}").format(path=path))


def print_pdf_event(event: api.ProgressEvent) -> None:
    """A PDF stage's progress: its font warning once, then each document's outcome."""
    if event.note:
        warn(f"{_('warning')}: {event.note}")
    if event.outcome is not None:
        print_pdf_outcome(event.outcome)
