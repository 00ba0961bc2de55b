"""Turn a raw record into a VanBan, or into every problem it has, each with its origin."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..i18n import N_, _
from ..model import VanBan
from .hygiene import clean_record
from .source import RawRecord, dotted

# Messages for pydantic's own error types; ours carry their message id themselves.
_PYDANTIC_MESSAGES = {
    "missing": N_("required field is missing"),
    "string_type": N_("expected text, got {got}"),
    "string_too_short": N_("must not be empty"),
    "string_pattern_mismatch": N_("'{value}' is not allowed: use letters and digits only, without spaces"),
    "int_type": N_("expected a whole number, got {got}"),
    "int_parsing": N_("expected a whole number, got {got}"),
    "int_from_float": N_("expected a whole number, got {got}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "bool_type": N_("expected yes or no (true/false), got {got}"),
    "bool_parsing": N_("expected yes or no (true/false), got {got}"),
    "float_type": N_("expected a number, got {got}"),
    "float_parsing": N_("expected a number, got {got}"),
    "list_type": N_("expected a list, got {got}"),
    "dict_type": N_("expected a mapping of fields, got {got}"),
    "model_type": N_("expected a mapping of fields, got {got}"),
    "model_attributes_type": N_("expected a mapping of fields, got {got}"),
    "too_short": N_("expected at least {min_length} item(s)"),
    "too_long": N_("expected at most {max_length} item(s)"),
    "datetime_type": N_("expected a date and time, got {got}"),
    "date_type": N_("expected a date, got {got}"),
}
N_("unknown field '{name}'")
N_("unknown field '{name}'; did you mean '{suggestion}'?")


def _model_at(path: tuple, model: type[BaseModel] = VanBan) -> type[BaseModel] | None:
    """The model class that owns the field at path, to suggest the right field name."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = [c for c in candidates for c in (c, *getattr(c, "__args__", ()))
                  if isinstance(c, type) and issubclass(c, BaseModel)]
        current = nested[0] if nested else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return repr(value)


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    loc = error["loc"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        owner = _model_at(tuple(loc[:-1]))
        close = difflib.get_close_matches(name, list(owner.model_fields) if owner else [], n=1)
        if close:
            return _("unknown field '{name}'; did you mean '{suggestion}'?").format(name=name, suggestion=close[0])
        return _("unknown field '{name}'").format(name=name)
    if kind in _PYDANTIC_MESSAGES:
        ctx.setdefault("got", _describe(error.get("input")))
        ctx.setdefault("value", error.get("input"))
        try:
            return _(_PYDANTIC_MESSAGES[kind]).format(**ctx)
        except (KeyError, IndexError):
            return _(_PYDANTIC_MESSAGES[kind])
    template = ctx.pop("msgid", None) or error["msg"]
    try:
        return _(template).format(**ctx)
    except (KeyError, IndexError):
        return error["msg"]


def _loc(error: dict) -> tuple:
    # Drop the function-validator and union-branch names pydantic adds to locations.
    return tuple(p for p in error["loc"] if isinstance(p, int) or not str(p).startswith("function-"))


def _repair_authorities(raw: RawRecord, data: dict) -> list[Problem]:
    """'KT', 'kt.', 'TM' → 'KT.', 'TM.': the decree's form, repaired in place and said."""
    from ..nd30.authority import normalise_authority

    out: list[Problem] = []
    signers = data.get("nguoi_ky")
    for i, signer in enumerate(signers if isinstance(signers, list) else [signers]):
        if not isinstance(signer, dict):
            continue
        written_forms = signer.get("quyen_han")
        several = isinstance(written_forms, list)
        for j, written in enumerate(written_forms if several else [written_forms]):
            if not isinstance(written, str):
                continue
            form = normalise_authority(written)
            if not form or form == written.strip():
                continue
            if several:
                written_forms[j] = form
            else:
                signer["quyen_han"] = form
            path = ("nguoi_ky", i) if isinstance(signers, list) else ("nguoi_ky",)
            path = (*path, "quyen_han", j) if several else (*path, "quyen_han")
            out.append(Problem(raw.origin(path), dotted(path), _(
                "'{written}' written as the decree writes it: '{form}'").format(written=written, form=form),
                "warning"))
    return out


def _type_requirements(raw: RawRecord, data: dict) -> list[Problem]:
    """The fields the record's type needs that it does not give, each at the place it would go."""
    from ..model import _REQUIRED_BY_TYPE
    from ..nd30.doc_types import find_doc_type

    loai = data.get("loai")
    spec = find_doc_type(str(loai)) if isinstance(loai, str) else None
    if spec is None:
        return []
    out = []
    for name in spec.required:
        if not data.get(name):
            _code, message = _REQUIRED_BY_TYPE[name]
            out.append(Problem(raw.origin((name,)), name, _(message).format(type=spec.name.lower())))
    return out


def _clerks_words(problem: Problem) -> Problem:
    """In a workbook, a field is named by its column header, as the clerk sees it."""
    header = problem.origin.header
    if not header or not problem.field:
        return problem
    name = problem.field.rsplit(".", 1)[-1].split("[")[0]
    message = problem.message.replace(problem.field, f"'{header}'").replace(name, f"'{header}'")
    return Problem(problem.origin, problem.field, message, problem.severity)


def validate_record(raw: RawRecord) -> tuple[VanBan | None, list[Problem]]:
    """All problems of a record at once; the document when there is no error."""
    problems = list(raw.problems)
    if not isinstance(raw.data, dict):
        problems.append(Problem(raw.origin(()), "", _("a record must be a mapping of fields")))
        return None, problems
    data, hygiene = clean_record(raw)
    problems += hygiene
    problems += _repair_authorities(raw, data)
    # what is already said of a field (a profile key it does not have) is not said again by the model
    said = {p.field for p in problems if p.severity == "error" and p.field}
    try:
        document = VanBan.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = _loc(error)
            field_name = dotted(loc)
            if any(field_name == s or field_name.startswith((f"{s}.", f"{s}[")) for s in said):
                continue
            problems.append(_clerks_words(Problem(raw.origin(loc), field_name, _message(error))))
        # the type's own requirements are checked only once every field reads: say them now too,
        # so that one run names every error of the record
        named = {p.field for p in problems}
        problems += [_clerks_words(p) for p in _type_requirements(raw, data) if p.field not in named]
        return None, problems
    if any(p.severity == "error" for p in problems):
        return None, problems
    return document, problems
