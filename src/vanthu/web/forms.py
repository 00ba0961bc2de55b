"""The drafting form of a document type, made from the document model: which fields a type
has comes from its Decree 30 spec (nd30.doc_types), what kind of input each is from the record
model's own annotations (model.VanBan). The form posts a record exactly like a YAML file's, and
the batch validates it: the same messages, put next to the field they name."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, _
from ..model import SuKien, VanBan
from ..nd30.doc_types import DOC_TYPES, KINH_GUI_BLOCK, DocType

# the types the form offers (each has a built-in template); any other comes as a YAML file or workbook
FORM_TYPES = ("thong_bao", "giay_moi", "cong_van", "ke_hoach", "bao_cao", "to_trinh", "quyet_dinh")

LABELS = {
    "trich_yeu": N_("Summary (trích yếu)"),
    "don_vi_soan_thao": N_("Drafting unit (in the ký hiệu)"),
    "tham_quyen": N_("Issuing authority (thẩm quyền ban hành)"),
    "can_cu": N_("Legal bases (căn cứ), one per line"),
    "kinh_gui": N_("To (kính gửi), one per line"),
    "su_kien.ten": N_("Event"),
    "su_kien.bat_dau": N_("Starts (dd/mm/yyyy hh:mm)"),
    "su_kien.dia_diem": N_("Place"),
    "su_kien.thanh_phan": N_("Participants, one per line"),
    "noi_dung": N_("Content"),
    # a draft prints no date (the văn thư dates it on issuing): this is the date it is meant for
    "ngay": N_("Intended date of issue (dd/mm/yyyy; the văn thư dates it on issuing)"),
    "dia_danh": N_("Place name of the date line (blank: the profile's)"),
    "noi_nhan": N_("Recipients (nơi nhận), one per line (blank: the profile's)"),
    "luu": N_("Kept by (Lưu), after VT, one per line"),
}
LONG_TEXT = {"noi_dung"}
PROFILE_FIELDS = {"dia_danh", "noi_nhan", "luu"}


@dataclass(frozen=True)
class FormField:
    name: str  # dotted, as the record and its problems name it: 'su_kien.bat_dau'
    label: str
    kind: str  # text, lines, textarea, datetime, date
    required: bool

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _kind(model: type, attribute: str) -> str:
    annotation = model.model_fields[attribute].annotation
    inner = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    if any(typing.get_origin(a) is list for a in inner):
        return "lines"
    if dt.datetime in inner:
        return "datetime"
    if dt.date in inner:
        return "date"
    return "textarea" if attribute in LONG_TEXT else "text"


def _field(name: str, required: bool) -> FormField:
    model, attribute = (SuKien, name.split(".", 1)[1]) if name.startswith("su_kien.") else (VanBan, name)
    field_required = required or (model.model_fields[attribute].is_required() and name not in PROFILE_FIELDS)
    return FormField(name, _(LABELS[name]), _kind(model, attribute), field_required)


def form_fields(spec: DocType) -> list[FormField]:
    names: list[tuple[str, bool]] = []
    if spec.has_trich_yeu or "trich_yeu" in spec.required:
        names.append(("trich_yeu", "trich_yeu" in spec.required))
    for name in ("don_vi_soan_thao", "tham_quyen"):
        if name in spec.required:
            names.append((name, True))
    if spec.decision:
        names.append(("can_cu", False))
    if spec.kinh_gui == KINH_GUI_BLOCK and not spec.decision:
        names.append(("kinh_gui", False))
    if spec.event:  # a giấy mời prints its event's lines (Mẫu 1.7); other types write it in the body
        event_required = "su_kien" in spec.required
        names += [("su_kien.ten", event_required), ("su_kien.bat_dau", event_required),
                  ("su_kien.dia_diem", event_required), ("su_kien.thanh_phan", False)]
    names += [("noi_dung", False), ("ngay", False), ("dia_danh", False), ("noi_nhan", False), ("luu", False)]
    # what the agency profile fills in is not required of the form
    return [_field(name, required and name not in PROFILE_FIELDS) for name, required in names]


def form_types() -> list[DocType]:
    return [DOC_TYPES[key] for key in FORM_TYPES]


def type_of(value: str | None) -> DocType | None:
    from ..nd30.doc_types import find_doc_type

    return find_doc_type(value) if value else None


def values_of(record: dict[str, Any], fields: list[FormField]) -> dict[str, str]:
    """A record's values as the form shows them (lists one per line)."""
    out: dict[str, str] = {}
    for f in fields:
        value: Any = record
        for part in f.name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, list):
            out[f.name] = "\n".join(str(v) for v in value if not isinstance(v, dict))
        elif value is not None:
            out[f.name] = str(value)
    return out


def record_from_form(form: dict[str, str], spec: DocType, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record the form describes; `base` (the version being edited) keeps what the form does
    not show (appendix tables of an uploaded record …). An emptied field is removed."""
    record: dict[str, Any] = dict(base or {})
    record["loai"] = spec.abbreviation or spec.name
    for key in ("co_quan", "nguoi_ky"):
        if form.get(key, "").strip():
            record[key] = form[key].strip()
    event = dict(record.get("su_kien") or {}) if isinstance(record.get("su_kien"), dict) else {}
    for f in form_fields(spec):
        text = form.get(f.name, "")
        value: Any = [line.strip() for line in text.splitlines() if line.strip()] if f.kind == "lines" \
            else text.strip()
        target, attribute = (event, f.name.split(".", 1)[1]) if f.name.startswith("su_kien.") else (record, f.name)
        if value:
            target[attribute] = value
        else:
            target.pop(attribute, None)
    if event:
        record["su_kien"] = event
    else:
        record.pop("su_kien", None)
    return record


def field_of_problem(problem_field: str, fields: list[FormField]) -> str:
    """The form field a problem belongs beside ('' for the whole form): 'noi_nhan[2]' → 'noi_nhan',
    'nguoi_ky[0].ho_ten' → 'nguoi_ky', 'su_kien' → 'su_kien.ten'."""
    names = {f.name for f in fields}
    plain = problem_field.split("[")[0]
    for candidate in (plain, ".".join(plain.split(".")[:2]), plain.split(".")[0]):
        if candidate in names:
            return candidate
    top = plain.split(".")[0]
    if top in ("co_quan", "nguoi_ky"):
        return top
    if top == "su_kien" and "su_kien.ten" in names:
        return "su_kien.ten"
    return ""
