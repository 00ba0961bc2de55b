"""`vanthu init [FOLDER]`: write the agency profile (vanthu.toml) beside the records."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import api
from ..errors import ConfigurationError
from ..i18n import _
from . import options
from .runtime import EXIT_OK, run, say


def _ask(label: str, value: str | None, required: bool = True) -> str | None:
    """A value from its option, else asked for on a terminal; off a terminal a missing one is an error."""
    if value:
        return value
    if sys.stdin.isatty():
        answer = typer.prompt(label, default="" if not required else None, show_default=False)
        return answer.strip() or None
    if required:
        raise ConfigurationError(_("give {label} (there is no terminal to ask on)").format(label=label))
    return None


def register(app: typer.Typer) -> None:
    @app.command(options_metavar=_("[OPTIONS]"), help=_(
        "Write the agency profile vanthu.toml beside the records: the agency, its signers by key, its drafting "
        "units, its default Nơi nhận and Lưu. Asks for what the options leave out when run on a terminal."))
    def init(
        folder: Annotated[Path, typer.Argument(metavar=_("FOLDER"), help=_("Where vanthu.toml goes."))] = Path("."),
        key: Annotated[str | None, typer.Option("--key", metavar=_("KEY"), help=_(
            "The agency's key in records (co_quan: KEY), e.g. sct."))] = None,
        ten: Annotated[str | None, typer.Option("--ten", metavar=_("NAME"), help=_(
            "The agency's official name, e.g. SỞ CÔNG THƯƠNG."))] = None,
        viet_tat: Annotated[str | None, typer.Option("--viet-tat", metavar=_("ABBR"), help=_(
            "Its abbreviation in the ký hiệu, e.g. SCT."))] = None,
        chu_quan: Annotated[str | None, typer.Option("--chu-quan", metavar=_("NAME"), help=_(
            "The parent agency, e.g. UBND TỈNH LẠNG SƠN."))] = None,
        ten_goi: Annotated[str | None, typer.Option("--ten-goi", metavar=_("NAME"), help=_(
            "The name in running text, e.g. Sở Công Thương tỉnh Lạng Sơn."))] = None,
        dia_danh: Annotated[str | None, typer.Option("--dia-danh", metavar=_("PLACE"), help=_(
            "The place in the date line, e.g. Lạng Sơn."))] = None,
        ma_dinh_danh: Annotated[str | None, typer.Option("--ma-dinh-danh", metavar=_("ID"), help=_(
            "The agency's identifier for edXML, e.g. 000.00.00.H41."))] = None,
        nguoi_ky: Annotated[list[str] | None, typer.Option(
            "--nguoi-ky", metavar=_("KEY=[AUTHORITY/]TITLE/NAME"), help=_(
            "A signer, e.g. pho-giam-doc=KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC/Nguyễn Văn An (repeatable)."))] = None,
        don_vi: Annotated[list[str] | None, typer.Option("--don-vi", metavar=_("KEY=ABBR"), help=_(
            "A drafting unit, e.g. van-phong=VP (repeatable)."))] = None,
        noi_nhan: Annotated[list[str] | None, typer.Option("--noi-nhan", metavar=_("RECIPIENT"), help=_(
            "A default recipient (repeatable)."))] = None,
        luu: Annotated[list[str] | None, typer.Option("--luu", metavar=_("UNIT"), help=_(
            "A default unit keeping a copy, after VT (repeatable)."))] = None,
        dia_chi: Annotated[str | None, typer.Option("--dia-chi", metavar=_("ADDRESS"), help=_(
            "The address in page 1's footer (ô 13)."))] = None,
        dien_thoai: Annotated[str | None, typer.Option("--dien-thoai", metavar=_("PHONE"), help=_(
            "The telephone in page 1's footer."))] = None,
        email: Annotated[str | None, typer.Option("--email", metavar=_("EMAIL"), help=_(
            "The e-mail in page 1's footer."))] = None,
        website: Annotated[str | None, typer.Option("--website", metavar=_("WEBSITE"), help=_(
            "The website in page 1's footer."))] = None,
        force: Annotated[bool, typer.Option("--force", help=_("Replace an existing vanthu.toml."))] = False,
        lang: options.lang() = None,
        verbose: options.verbose() = False,
    ) -> None:
        def action() -> int:
            signers = dict(api.parse_signer(s) for s in nguoi_ky or [])
            if not signers and sys.stdin.isatty():
                spec = _ask(_("a signer (KEY=[AUTHORITY/]TITLE/NAME, blank for none)"), None, required=False)
                if spec:
                    signers = dict([api.parse_signer(spec)])
            units = {}
            for spec in don_vi or []:
                unit_key, sep, abbreviation = spec.partition("=")
                if not sep or not unit_key.strip() or not abbreviation.strip():
                    raise ConfigurationError(_("--don-vi '{spec}': write KEY=ABBR, e.g. van-phong=VP").format(
                        spec=spec))
                units[unit_key.strip()] = abbreviation.strip()
            path = api.init_profile(
                folder, key=_ask("--key", key), ten=_ask("--ten", ten), viet_tat=_ask("--viet-tat", viet_tat),
                chu_quan=_ask("--chu-quan", chu_quan, required=False), ten_goi=ten_goi,
                dia_danh=_ask("--dia-danh", dia_danh), ma_dinh_danh=ma_dinh_danh, signers=signers, units=units,
                noi_nhan=noi_nhan or [], luu=luu or [], force=force,
                contacts={k: v for k, v in (("dia_chi", dia_chi), ("dien_thoai", dien_thoai), ("email", email),
                                             ("website", website)) if v})
            say(_("written: {path}").format(path=path))
            return EXIT_OK

        raise typer.Exit(run(action, verbose))
