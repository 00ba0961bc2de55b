"""The CLI's runtime: the output lines, the message language, the one boundary where errors become
messages and exit codes, and the progress display. typer and rich are imported only in cli/.

Exit codes: 0 all written; 1 some records failed (the others written); 2 usage or
configuration error. No traceback reaches the user unless --verbose is given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import VanthuError
from ..i18n import N_, _, set_language

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


# Lines are written as they are: no markup, no emoji codes, no wrapping. While a progress bar is
# on the screen, rich has put itself in place of sys.stdout and sys.stderr, and the lines go
# above the bar. (rich is imported only for the bar: it is a tenth of a one-document run.)
def say(text: str) -> None:
    print(text, file=sys.stdout)


def warn(text: str) -> None:
    print(text, file=sys.stderr)


def language_from_args(args: list[str]) -> str | None:
    """The --lang value of the command line, read before the commands (and their help) are built."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


# typer's own words in a help page, for the catalog (typer.core looks them up through `_`).
TYPER_WORDS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("required"), N_("default: {default}"),
               N_("env var: {var}"), N_("Missing command."), N_("No such command {name!r}."), N_("Usage: "),
               N_("Show this message and exit."))
_typer_localised = False


def choose_language(lang: str | None) -> str:
    """Messages and help in lang (Vietnamese unless English is asked for), typer's own words too."""
    chosen = set_language(lang)
    import typer.core

    # typer translates its section titles through gettext's global domain, which follows the
    # environment, not --lang: hand it vanthu's catalog instead.
    typer.core._ = _  # type: ignore[attr-defined]
    # An argument's help line names its value by the metavar given (RECORDS, PDF …); typer would
    # add the Python type (<list[Path]>), which says nothing to a clerk.
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    _localise_usage_and_help_option()
    return chosen


def _localise_usage_and_help_option() -> None:
    """The 'Usage:' prefix and the --help option's own help, which typer writes in English."""
    global _typer_localised
    if _typer_localised:
        return
    _typer_localised = True
    from typer._click.core import Command
    from typer._click.formatting import HelpFormatter

    write_usage, get_help_option = HelpFormatter.write_usage, Command.get_help_option

    def usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    def help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    Command.get_help_option = help_option  # type: ignore[method-assign]


def run(action: Callable[[], int], verbose: bool) -> int:
    """The one boundary where errors become messages and exit codes."""
    try:
        return action()
    except VanthuError as exc:
        warn(f"vanthu: {exc}")
        for problem in exc.problems:
            warn(f"  {problem}")
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # last resort: say what happened, keep the traceback for --verbose
        warn(_("vanthu: unexpected error: {detail}").format(detail=f"{type(exc).__name__}: {exc}"))
        if verbose:
            import traceback

            traceback.print_exc()
        else:
            warn(_("(run again with --verbose for details)"))
        return EXIT_FAILED


@contextmanager
def progress_display() -> Iterator[Callable[[int, int | None, str | None], None]]:
    """A progress bar on a terminal; plain lines (one per finished input) otherwise.

    Yields update(done, total, line): the bar moves to done/total; line, when given, is what a
    log shows for that step.
    """
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TimeRemainingColumn(), console=Console(stderr=True, highlight=False, soft_wrap=True),
                      transient=True) as bar:
            task = bar.add_task("vanthu", total=None)

            def advance(done: int, total: int | None, line: str | None, stage: str | None = None) -> None:
                if stage:  # a new stage (the PDFs after the documents): a bar of its own, its own time left
                    bar.update(task, description=stage, completed=done, total=total)
                    bar.reset(task, total=total, completed=done, description=stage)
                else:
                    bar.update(task, completed=done, total=total)

            yield advance
        return

    def plain(done: int, total: int | None, line: str | None, stage: str | None = None) -> None:
        if line:
            warn(line)

    yield plain


def secret(environment: str, prompt: str, file=None) -> str:
    """A passphrase or PIN: from a file, the environment, or a prompt on a terminal."""
    import getpass
    import os

    from ..errors import ConfigurationError

    if file is not None:
        try:
            return file.read_text(encoding="utf-8").rstrip("\n")
        except OSError as exc:
            raise ConfigurationError(_("cannot read {path}: {detail}").format(path=file, detail=exc.strerror)) from None
    if environment in os.environ:
        return os.environ[environment]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise ConfigurationError(_("no secret given: set {variable} or run on a terminal").format(variable=environment))
