"""A command's parameters as data, read by two parsers: typer's (options.typed builds each into
the command's signature, with its help) and, for `vanthu generate`, a small one of the CLI's own
that needs no typer at all (a tenth of a one-document run is typer building its parser).

The small parser accepts only a command line it understands exactly as typer would; anything
else — --help, an unknown option, a value it would have to judge — it leaves to typer, which
then says what is wrong in its own words.
"""

from __future__ import annotations

import os
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_


@dataclass(frozen=True)
class Param:
    name: str  # the Python name of the value
    decls: tuple[str, ...]  # ("-o", "--output"); () for the command's argument
    annotation: object  # the value's type as typer sees it: Path, int | None, list[Path] …
    help: str  # a message id, translated when the help is built
    metavar: str | None = None  # a message id (FOLDER), or a literal (vi|en) with literal_metavar
    default: object = None
    envvar: str | None = None  # read when the option is not given
    at_least_one: bool = False  # a number refused below 1
    show_default: bool = True
    literal_metavar: bool = False  # the metavar as it is written (URL, N), not translated


def base_type(annotation: object) -> tuple[type, bool]:
    """(the type of one value, whether the parameter takes a list of them)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0], True
    return annotation, False  # type: ignore[return-value]


# Shared options (cli/options.py gives typer their Annotated forms).
LANG = Param("lang", ("--lang",), str | None, N_("Message language: vi (default) or en."), metavar="vi|en",
             literal_metavar=True)
VERBOSE = Param("verbose", ("--verbose",), bool, N_("Show tracebacks of unexpected errors."), default=False)
TIMEOUT = Param("timeout", ("--timeout",), float, N_("Seconds LibreOffice may take per document."),
                metavar=N_("SECONDS"), default=60.0, at_least_one=True)
NO_SERVICE = Param("no_service", ("--no-service",), bool, N_(
    "Convert with LibreOffice listeners of this command's own, not the PDF service that outlives it."), default=False)
REGISTER_URL = Param("register_url", ("--register",), str | None, N_(
    "The outgoing-documents register: an SQLAlchemy URL (sqlite:///FILE, postgresql://…) or a file; also "
    "VANTHU_REGISTER. generate uses vanthu.db beside the records when a record asks for so: auto."),
    metavar="URL", envvar="VANTHU_REGISTER", literal_metavar=True)


def jobs(help_text: str) -> Param:
    return Param("jobs", ("-j", "--jobs"), int | None, help_text, metavar=N_("N"), at_least_one=True)


def at_least_one(value: float | None) -> bool:
    """What --jobs and --timeout take: nothing given, or 1 or more."""
    return value is None or value >= 1


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _value(param: Param, raw: str) -> object:
    """One value as typer would make it; None when the small parser should not judge it."""
    kind, _many = base_type(param.annotation)
    if raw == "" or "\x00" in raw:
        return None
    if kind is int:
        value: object = int(raw) if _INTEGER.fullmatch(raw) else None
    elif kind is float:
        value = float(raw) if _DECIMAL.fullmatch(raw) else None
    elif kind is Path:
        value = Path(raw)
    elif kind is str:
        value = raw
    else:
        return None
    if param.at_least_one and not at_least_one(value):  # type: ignore[arg-type]
        return None  # typer says why
    return value


def parse(params: Sequence[Param], args: Sequence[str], environ: Mapping[str, str] | None = None) -> dict | None:
    """The values of a command line, or None for one the small parser leaves to typer."""
    environ = os.environ if environ is None else environ
    by_flag = {flag: p for p in params for flag in p.decls}
    (argument,) = [p for p in params if not p.decls]
    values: dict[str, object] = {}
    positional: list[str] = []
    rest = False
    queue = list(args)
    while queue:
        arg = queue.pop(0)
        if rest or arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg == "--":
            rest = True
            continue
        if arg.startswith("--"):
            flag, given, inline = arg.partition("=")
        else:  # -o DIR, or -oDIR
            flag, given, inline = arg[:2], "=" if len(arg) > 2 else "", arg[2:]
        param = by_flag.get(flag)
        if param is None:
            return None  # --help, or an option typer will name
        if param.annotation is bool:
            if given:
                return None
            values[param.name] = True
            continue
        if not given:
            if not queue or (queue[0].startswith("-") and queue[0] != "-"):
                return None  # a value that looks like an option: typer's to judge
            inline = queue.pop(0)
        value = _value(param, inline)
        if value is None:
            return None
        values[param.name] = value  # given twice: the last one counts, as in click
    if not positional:
        return None
    kind, _many = base_type(argument.annotation)
    if kind is not Path or any(p == "" for p in positional):
        return None
    values[argument.name] = [Path(p) for p in positional]
    for param in params:
        if param.name in values:
            continue
        if param.envvar and param.envvar in environ:
            found = _value(param, environ[param.envvar]) if environ[param.envvar] else None
            if found is None:
                return None
            values[param.name] = found
        else:
            values[param.name] = param.default
    return values
