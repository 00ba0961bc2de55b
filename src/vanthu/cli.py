"""Command line: parses arguments, composes the stages, turns problems into exit codes.

Exit codes: 0 all written; 1 some records failed (the others written); 2 usage or
configuration error. No traceback reaches the user unless --verbose is given.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__
from .batch import generate as generate_batch
from .errors import VanthuError
from .i18n import _, set_language
from .nd30.doc_types import DOC_TYPES, template_for
from .render.engine import CompiledTemplate

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

LangOption = Annotated[str | None, typer.Option("--lang", help="Message language: vi (default) or en.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", help="Show tracebacks of unexpected errors.")]


def _run(action, verbose: bool) -> int:
    """The one boundary where errors become messages and exit codes."""
    try:
        return action()
    except VanthuError as exc:
        err.print(f"vanthu: {exc.message}", markup=False)
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: say what happened, keep the traceback for --verbose
        err.print(_("vanthu: unexpected error: {detail}").format(detail=f"{type(exc).__name__}: {exc}"),
                  markup=False)
        if verbose:
            traceback.print_exc()
        else:
            err.print(_("(run again with --verbose for details)"), markup=False)
        return EXIT_FAILED


@app.command()
def generate(
    paths: Annotated[list[Path], typer.Argument(help="Record files (.yaml) or folders of them.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("out"),
    template: Annotated[Path | None, typer.Option("--template", help="Your own docxtpl .docx template.")] = None,
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Render records into Decree 30 documents (.docx)."""
    set_language(lang)

    def action() -> int:
        written = failed = 0
        for result in generate_batch(list(paths), output, template):
            for problem in result.problems:
                err.print(str(problem), markup=False)
            if result.ok:
                written += 1
                out.print(_("written: {path}").format(path=result.output), markup=False)
            else:
                failed += 1
                err.print(_("failed: {source}").format(source=result.source), markup=False)
        out.print(_("{written} written, {failed} failed").format(written=written, failed=failed), markup=False)
        return EXIT_FAILED if failed else EXIT_OK

    raise typer.Exit(_run(action, verbose))


@app.command()
def types(lang: LangOption = None) -> None:
    """List the document types of Decree 30, their abbreviations and templates."""
    set_language(lang)
    for t in DOC_TYPES.values():
        template = template_for(t) or "-"
        out.print(f"{t.key:<16} {t.abbreviation or '-':<5} {t.name:<16} Mẫu {t.model or '-':<5} {template}",
                  markup=False)


@app.command("template-vars")
def template_vars(
    template: Annotated[Path, typer.Argument(help="A docxtpl .docx template.")],
    lang: LangOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the variables a template reads."""
    set_language(lang)

    def action() -> int:
        compiled = CompiledTemplate.load(template)
        for name in sorted(compiled.variable_paths):
            out.print(name, markup=False)
        return EXIT_OK

    raise typer.Exit(_run(action, verbose))


def version_callback(value: bool) -> None:
    if value:
        out.print(f"vanthu {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True)] = False,
) -> None:
    """vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP."""


def main(argv: list[str] | None = None) -> int:
    """Console entry; usage errors exit 2 (click's convention)."""
    try:
        app(args=argv, prog_name="vanthu", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
