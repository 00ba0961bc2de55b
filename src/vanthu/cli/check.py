"""`vanthu check`: judge .docx files against Decree 30, rule by rule and clause by clause."""

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run, say, warn


def _codes(text: str | None) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()] if text else []


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"),
                 help=_("Judge .docx files against Decree 30, rule by rule and clause by clause."))
    def check(
        paths: Annotated[list[Path] | None, typer.Argument(metavar=_("DOCX"), show_default=False,
                                                           help=_(".docx files or folders of them."))] = None,
        output_format: Annotated[str, typer.Option("--format", metavar="text|json", help=_("text or json."))]
        = "text",
        select: Annotated[str | None, typer.Option("--select", metavar=_("RULES"), help=_(
            "Rule codes, names or globs, comma-separated."))] = None,
        ignore: Annotated[str | None, typer.Option("--ignore", metavar=_("RULES"), help=_(
            "Rules to leave out, comma-separated."))] = None,
        list_rules: Annotated[bool, typer.Option("--list-rules", help=_("Print the rule registry and stop."))]
        = False,
        fix: Annotated[bool, typer.Option("--fix", help=_("Write a repaired copy (with -o); never the input."))]
        = False,
        fixed_output: Annotated[Path | None, typer.Option("-o", "--output", metavar=_("FILE.docx"),
                                                          help=_("Where --fix writes."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            if output_format not in ("text", "json"):
                raise ConfigurationError(_("--format is text or json"))
            chosen = api.rules(_codes(select), _codes(ignore))
            if list_rules:
                for r in chosen:
                    severity = _("error") if r.severity == "error" else _("warning")
                    say(f"{r.code}  {r.name:<28} {severity:<8} {_('fix') if r.fixable else '   '}  {r.title} "
                        f"({r.clause})")
                return EXIT_OK
            if not paths:
                raise ConfigurationError(_("name the .docx files or folders to check"))
            if fix:
                if len(paths) != 1 or fixed_output is None:
                    raise ConfigurationError(_("--fix takes one input .docx and -o OUT.docx"))
                fixed = api.fix(paths[0], fixed_output, select=_codes(select), ignore=_codes(ignore))
                for line in fixed.done:
                    say(line)
                say(_("written: {path}").format(path=fixed.target))
                report = fixed.check
            else:
                report = api.check(paths, select=_codes(select), ignore=_codes(ignore))
            if output_format == "json":
                say(json.dumps([r.to_json() for r in report.files], ensure_ascii=False, indent=1))
            else:
                for file_report in report.files:
                    print_check_report(file_report)
            if report.unreadable:
                return EXIT_USAGE
            return EXIT_FAILED if report.errors else EXIT_OK

        raise typer.Exit(run(action, verbose))


def print_check_report(report) -> None:
    say(str(report.path))
    if report.unreadable:
        warn(f"  {report.unreadable}")
        return
    if report.draft:
        say("  " + _("a draft ('{mark}'): số and the date are given when it is issued").format(mark=report.draft))
    mark = {"error": _("error"), "warning": _("warning")}
    not_evaluated = []
    for result in report.results:
        if result.status == "not_evaluated":
            not_evaluated.append(result.rule.code)
            if result.note:
                warn(f"  {result.rule.code} {result.rule.name}: {result.note}")
        for finding in result.findings:
            fix_note = f" [{_('fix')}: {finding.fix}]" if finding.fix and result.rule.fixable else ""
            say(f"  {result.rule.code} {mark[result.rule.severity]} {result.rule.name} "
                f"({result.rule.clause}) — {finding.location}: {finding.message}{fix_note}")
    passed = sum(1 for r in report.results if r.status == "pass")
    say("  " + _("{errors} errors, {warnings} warnings; {passed} rules passed, {skipped} not evaluated").format(
        errors=report.errors, warnings=report.warnings, passed=passed, skipped=len(not_evaluated))
        + (f" ({', '.join(not_evaluated)})" if not_evaluated else ""))
