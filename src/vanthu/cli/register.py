"""`vanthu register list|show|void|export|import|sequences`: the outgoing-documents register."""

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import N_, _
from . import options
from .runtime import EXIT_FAILED, EXIT_OK, run, say, warn


def _agency():
    return Annotated[str | None, typer.Option("--agency", metavar=_("AGENCY"), help=_(
        "The agency, by abbreviation (SCT) or name; needed when the register holds several."))]


def _year():
    return Annotated[int | None, typer.Option("--year", metavar=_("YEAR"), help=_("The year (this year by default)."))]


def _format():
    return Annotated[str, typer.Option("--format", metavar="text|json", help=_("text or json."))]


STATUS_WORDS = {"allocated": N_("allocated"), "written": N_("written"), "void": N_("void"),
                "imported": N_("imported")}


def _line(entry) -> str:
    date = entry.ngay.strftime("%d/%m/%Y") if entry.ngay else "-"
    status = _(STATUS_WORDS[entry.status]) if entry.status in STATUS_WORDS else entry.status
    text = f"{entry.so_ky_hieu:<18} {date:<10} {entry.ten_loai} {entry.trich_yeu}".rstrip()
    note = f" — {entry.note}" if entry.note else ""
    return f"{text} | {entry.nguoi_ky or '-'} | {status}{note}"


def _as_json(entry) -> dict:
    data = dict(entry.__dict__)
    data["ngay"] = entry.ngay.isoformat() if entry.ngay else None
    return data


def _check_format(value: str) -> None:
    if value not in ("text", "json"):
        raise ConfigurationError(_("--format is text or json"))


def register(app: typer.Typer) -> None:
    book = typer.Typer(no_args_is_help=True, options_metavar=_("[OPTIONS]"), subcommand_metavar=_("COMMAND [ARGS]..."),
                       help=_("The outgoing-documents register (sổ đăng ký văn bản đi): list, show, void, export, "
                              "import, sequences."))
    app.add_typer(book, name="register")

    @book.command("list", options_metavar=_("[OPTIONS]"), help=_("List the register's numbers."))
    def list_(
        register_url: options.register_url() = None,
        agency: _agency() = None,
        year: _year() = None,
        sequence: Annotated[str | None, typer.Option("--sequence", metavar=_("SEQUENCE"), help=_(
            "Only this sequence (chung, mat, tu-van or a type group)."))] = None,
        status: Annotated[str | None, typer.Option("--status", metavar=_("STATUS"), help=_(
            "Only numbers in this state: allocated, written, void, imported."))] = None,
        output_format: _format() = "text",
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            _check_format(output_format)
            lines = api.register_entries(register_url, agency=agency, year=year, sequence=sequence, status=status)
            if output_format == "json":
                say(json.dumps([_as_json(x) for x in lines], ensure_ascii=False, indent=1))
                return EXIT_OK
            heading = None
            for entry in lines:
                if (entry.agency_ten, entry.year, entry.sequence) != heading:
                    heading = (entry.agency_ten, entry.year, entry.sequence)
                    say(f"# {entry.agency_ten} — {entry.year} — {entry.sequence}")
                say(_line(entry))
            if not lines:
                warn(_("the register holds no such number"))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @book.command("show", options_metavar=_("[OPTIONS]"), help=_("Show one number (05/TB-SCT) and what holds it."))
    def show(
        number: Annotated[str, typer.Argument(metavar=_("NUMBER"), show_default=False, help=_(
            "The số/ký hiệu as printed: 05/TB-SCT."))],
        register_url: options.register_url() = None,
        agency: _agency() = None,
        year: _year() = None,
        output_format: _format() = "text",
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            _check_format(output_format)
            entry = api.register_entry(register_url, number, agency=agency, year=year)
            if output_format == "json":
                say(json.dumps(_as_json(entry), ensure_ascii=False, indent=1))
                return EXIT_OK
            rows = [
                (_("number"), entry.so_ky_hieu), (_("agency"), entry.agency_ten), (_("year"), str(entry.year)),
                (_("sequence"), entry.sequence),
                (_("date"), entry.ngay.strftime("%d/%m/%Y") if entry.ngay else "-"),
                (_("type and summary"), f"{entry.ten_loai} {entry.trich_yeu}".strip()),
                (_("signer"), entry.nguoi_ky or "-"), (_("recipients"), entry.noi_nhan or "-"),
                (_("status"), _(STATUS_WORDS.get(entry.status, entry.status))),
                (_("record"), entry.source or "-"), (_("note"), entry.note or "-"),
            ]
            for label, value in rows:
                say(f"{label + ':':<20} {value}")
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @book.command("void", options_metavar=_("[OPTIONS]"), help=_(
        "Void a number, with the reason: it is never given again and stays in the register."))
    def void(
        number: Annotated[str, typer.Argument(metavar=_("NUMBER"), show_default=False, help=_(
            "The số/ký hiệu as printed: 05/TB-SCT."))],
        reason: Annotated[str, typer.Option("--reason", metavar=_("TEXT"), help=_("Why the number is voided."))],
        register_url: options.register_url() = None,
        agency: _agency() = None,
        year: _year() = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            entry = api.register_void(register_url, number, reason, agency=agency, year=year)
            say(_("void: {number} ({year}) — {reason}").format(number=entry.so_ky_hieu, year=entry.year,
                                                               reason=entry.note))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @book.command("export", options_metavar=_("[OPTIONS]"), help=_(
        "Write the register in the Phụ lục IV layout (cover, ten columns, A4 landscape) to a workbook."))
    def export(
        xlsx: Annotated[Path, typer.Option("--xlsx", metavar=_("FILE.xlsx"), help=_("The workbook to write."))],
        register_url: options.register_url() = None,
        agency: _agency() = None,
        year: _year() = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            done = api.register_export(register_url, xlsx, agency=agency, year=year)
            say(_("written: {path} ({lines} numbers of {agency}, {year})").format(
                path=done.path, lines=done.lines, agency=done.agency.viet_tat, year=done.year))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))

    @book.command("import", options_metavar=_("[OPTIONS]"), help=_(
        "Read a register workbook (Phụ lục IV columns) so numbering continues from it; taken numbers are refused "
        "by row."))
    def import_(
        xlsx: Annotated[Path, typer.Option("--xlsx", metavar=_("FILE.xlsx"), help=_("The workbook to read."))],
        register_url: options.register_url() = None,
        agency_name: Annotated[str | None, typer.Option("--agency-name", metavar=_("NAME"), help=_(
            "The agency's name, when the workbook has no cover that says it."))] = None,
        viet_tat: Annotated[str | None, typer.Option("--viet-tat", metavar=_("ABBREVIATION"), help=_(
            "The agency's abbreviation (SCT), when the workbook does not say it."))] = None,
        chu_quan: Annotated[str | None, typer.Option("--chu-quan", metavar=_("NAME"), help=_(
            "The agency's parent (cơ quan chủ quản), when the workbook does not say it."))] = None,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            report = api.register_import(register_url, xlsx, agency_name=agency_name, viet_tat=viet_tat,
                                         chu_quan=chu_quan)
            for refusal in report.refused:
                warn(f"{_('refused')}: {refusal}")
            say(_("imported {count} numbers from {path}; {refused} refused").format(
                count=report.imported, path=xlsx, refused=len(report.refused)))
            return EXIT_FAILED if report.refused else EXIT_OK

        raise typer.Exit(run(action, verbose))

    @book.command("sequences", options_metavar=_("[OPTIONS]"), help=_(
        "Show or set the agency's number sequences: one shared (the default) or one per type group (Điều 15)."))
    def sequences(
        register_url: options.register_url() = None,
        agency: _agency() = None,
        group: Annotated[list[str] | None, typer.Option("--group", metavar=_("NAME=TYPE,TYPE"), help=_(
            "A sequence of its own for these types: QĐ=quyet_dinh. Repeat for each group; replaces the "
            "groups there were."))] = None,
        shared: Annotated[bool, typer.Option("--shared", help=_(
            "One shared sequence for every administrative document (removes the groups)."))] = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            groups: dict[str, list[str]] | None = None
            if shared and group:
                raise ConfigurationError(_("--shared and --group exclude each other"))
            if shared:
                groups = {}
            elif group:
                groups = {}
                for text in group:
                    name, sep, types = text.partition("=")
                    if not sep or not types.strip():
                        raise ConfigurationError(_("--group is NAME=TYPE,TYPE, not {value}").format(value=text))
                    groups.setdefault(name.strip(), []).extend(t for t in types.split(",") if t.strip())
            mapping = api.register_sequences(register_url, agency=agency, groups=groups)
            if not mapping:
                say(_("one shared sequence for every administrative document"))
            for doc_type, seq in sorted(mapping.items(), key=lambda kv: (kv[1], kv[0])):
                say(f"{seq}: {doc_type}")
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
