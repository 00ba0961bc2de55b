"""The document model: what a record says, typed and checked, free of layout and XML.

Field names are the Vietnamese words clerks use (trich_yeu, noi_nhan, nguoi_ky …); the
record format is documented in docs/records.md.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .i18n import N_
from .nd30 import texts
from .nd30.authority import normalise_authority
from .nd30.dates import ImpossibleDate, date_line_condense_pt, parse_record_date, parse_record_datetime
from .nd30.doc_types import DOC_TYPES, SIGNATURE_SIDE_BY_SIDE, DocType, closest_doc_types, find_doc_type
from .nd30.numbering import NORMATIVE_TYPES, ky_hieu, so_ky_hieu


def _err(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A validation error whose English message id is translated when reported."""
    # The message id travels in the context, so the report can translate it.
    return PydanticCustomError(code, message, {**ctx, "msgid": message})


def _impossible(value: Any, exc: ImpossibleDate) -> PydanticCustomError:
    """Written as a date, but not one: say which part cannot be."""
    if not 1 <= exc.month <= 12:
        return _err("date", N_("'{value}' is not a date: there is no month {month}"), value=value, month=exc.month)
    return _err("date", N_("'{value}' is not a date: month {month} of {year} has no day {day}"), value=value,
                month=exc.month, year=exc.year, day=exc.day)


def _as_list(value: Any) -> Any:
    """Accept one item where a list is expected ('kinh_gui: Bộ Nội vụ')."""
    if value is None:
        return []
    if isinstance(value, (str, dict, int)):
        return [value]
    return value


def _text(value: Any) -> Any:
    """Numbers typed where text is meant ('viet_tat: 115') are text; text is NFC and trimmed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


# `so: auto`: the register gives the number (Điều 15: by the system, in order of issue).
AUTO_NUMBER = "auto"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class CoQuan(_Model):
    """Issuing agency (ô 2) and its parent (tên cơ quan chủ quản)."""

    ten: str = Field(min_length=1)
    viet_tat: str = Field(min_length=1, pattern=r"^[0-9A-Za-zĐđ]+$")
    chu_quan: str | None = None
    ten_goi: str | None = None  # the name in running text: 'Sở Công Thương'

    _norm = field_validator("ten", "viet_tat", "chu_quan", "ten_goi", mode="before")(_text)

    @property
    def name_in_text(self) -> str:
        if self.ten_goi:
            return self.ten_goi
        return " ".join(w[:1].upper() + w[1:].lower() for w in self.ten.split())


class NguoiKy(_Model):
    """One signer (ô 7a/7b). Authority may stand on two levels (Phụ lục I, Mục II, khoản 7):
    quyen_han [TM., KT.] with thay_mat [ỦY BAN NHÂN DÂN, CHỦ TỊCH] prints 'TM. ỦY BAN NHÂN DÂN' over
    'KT. CHỦ TỊCH' over the signer's own title; a single form may be written as a plain value."""

    quyen_han: list[str] = Field(default_factory=list)  # TM. KT. TL. TUQ. Q., outermost first
    thay_mat: list[str] = Field(default_factory=list)  # the collective or head each form stands before
    chuc_vu: str = Field("", validate_default=True)
    ho_ten: str = Field(min_length=1)

    _norm = field_validator("chuc_vu", "ho_ten", mode="before")(_text)

    @field_validator("quyen_han", mode="before")
    @classmethod
    def _authority(cls, value: Any) -> Any:
        forms = []
        for item in _as_list(value):
            if item in (None, ""):
                continue
            form = normalise_authority(str(item))
            if form is None:
                raise _err("authority", N_("'{value}' is not a signing authority; expected one of TM., KT., TL., "
                                           "TUQ., Q."), value=item)
            forms.append(form)
        return forms

    @field_validator("thay_mat", mode="before")
    @classmethod
    def _targets(cls, value: Any) -> Any:
        return [_text(item) for item in _as_list(value) if item not in (None, "")]

    @model_validator(mode="after")
    def _complete(self) -> NguoiKy:
        targeted = [f for f in self.quyen_han if f != "Q."]
        if len(self.thay_mat) < len(targeted):
            form = targeted[len(self.thay_mat)]
            raise _err("authority_target", N_("'{form}' needs thay_mat: the collective or the head's title it "
                                              "signs for (e.g. GIÁM ĐỐC)"), form=form)
        if not self.quyen_han and not self.chuc_vu:
            raise _err("missing_title", N_("a signer needs chuc_vu (the title printed above the name)"))
        return self

    @field_validator("chuc_vu", mode="after")
    @classmethod
    def _own_title(cls, value: str, info: ValidationInfo) -> str:
        # 'KT. GIÁM ĐỐC' straight above the name is wrong: the signer's own title goes under it
        forms = info.data.get("quyen_han") or []
        authority = forms[-1] if forms else None
        if authority and authority != "Q." and not value.strip():
            raise _err("missing_title", N_("'{form}' needs chuc_vu: the signer's own title, printed under "
                                           "'{form} …' (e.g. PHÓ GIÁM ĐỐC)"), form=authority)
        return value


class Bang(_Model):
    """A table: header, rows, optionally rows grouped by one column and merged vertically."""

    cot: list[str] = Field(min_length=1)
    dong: list[list[Any]] = Field(default_factory=list)
    nhom_theo: str | None = None
    do_rong: list[float] | None = None

    @field_validator("dong", mode="before")
    @classmethod
    def _rows(cls, value: Any) -> Any:
        return [[_text(c) if c is not None else "" for c in row] if isinstance(row, list) else row
                for row in (value or [])]

    @model_validator(mode="after")
    def _shape(self) -> Bang:
        for i, row in enumerate(self.dong):
            if len(row) != len(self.cot):
                raise _err("row_width", N_("row {row} has {got} cells; the header has {want} columns"),
                           row=i + 1, got=len(row), want=len(self.cot))
        if self.nhom_theo and self.nhom_theo not in self.cot:
            raise _err("group_column", N_("nhom_theo '{name}' is not one of the columns: {columns}"),
                       name=self.nhom_theo, columns=", ".join(self.cot))
        if self.do_rong and len(self.do_rong) != len(self.cot):
            raise _err("widths", N_("do_rong gives {got} widths for {want} columns"),
                       got=len(self.do_rong), want=len(self.cot))
        return self


class VanBanKemTheo(_Model):
    """A text issued with a Quyết định (a Quy chế, Quy định …): its own title, summary and body,
    on pages of its own after the decision, "(Ban hành kèm theo Quyết định số …)"."""

    loai: DocType
    trich_yeu: str = Field(min_length=1)
    noi_dung: str = Field(min_length=1)
    kem_theo: str | None = None  # the line under the summary, when the agency words it otherwise

    _norm = field_validator("trich_yeu", "noi_dung", "kem_theo", mode="before")(_text)

    @field_validator("loai", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, DocType):
            return value
        found = find_doc_type(str(value or ""))
        if found is None:
            raise _err("doc_type", N_("'{value}' is not a document type of Decree 30; `vanthu types` lists them"),
                       value=value)
        return found


class PhuLuc(_Model):
    """An appendix: its own page(s) and page numbering."""

    tieu_de: str = Field(min_length=1)
    kem_theo: str | None = None  # overrides the composed "(Kèm theo …)" line
    noi_dung: str = ""
    bang: Bang | None = None
    ngang: bool = False  # landscape

    _norm = field_validator("tieu_de", "kem_theo", "noi_dung", mode="before")(_text)


class LienHe(_Model):
    """Ô 13: contacts at the foot of page 1."""

    dia_chi: str | None = None
    dien_thoai: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None

    _norm = field_validator("*", mode="before")(_text)


class NhomNoiNhan(_Model):
    """Recipients that one note covers, printed once to the right of their lines:
    '- Thường trực Tỉnh ủy;' '- Thường trực HĐND tỉnh;  } (để b/c)'."""

    nhom: list[str] = Field(min_length=2)
    ghi_chu: str = Field(min_length=1)

    _norm = field_validator("ghi_chu", mode="before")(_text)


def _record_datetime(value: Any) -> Any:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return parse_record_datetime(str(value))
    except ImpossibleDate as exc:
        raise _impossible(value, exc) from None
    except ValueError:
        raise _err("datetime", N_("'{value}' is not a date and time; expected dd/mm/yyyy hh:mm"),
                   value=value) from None


def _record_date(value: Any) -> Any:
    if value in (None, "") or isinstance(value, dt.date):
        return value or None
    try:
        return parse_record_date(str(value))
    except ImpossibleDate as exc:
        raise _impossible(value, exc) from None
    except ValueError:
        raise _err("date", N_("'{value}' is not a valid date; expected dd/mm/yyyy"), value=value) from None


class GioiThieu(_Model):
    """A Giấy giới thiệu's lines (Mẫu 1.8): who is introduced, to whom, for what, until when."""

    ho_ten: str = Field(min_length=1)
    chuc_vu: str = ""
    don_vi: str = ""  # the unit they work in
    noi_den: str = Field(min_length=1)  # Được cử đến
    ve_viec: str = Field(min_length=1)
    hieu_luc_den: dt.date | None = None  # Giấy này có giá trị đến hết ngày …

    _norm = field_validator("ho_ten", "chuc_vu", "don_vi", "noi_den", "ve_viec", mode="before")(_text)
    _date = field_validator("hieu_luc_den", mode="before")(_record_date)


class NghiPhep(_Model):
    """A Giấy nghỉ phép's lines (Mẫu 1.10): the request, who, how long, where, counted as what."""

    ho_ten: str = Field(min_length=1)
    chuc_vu: str = ""
    don_vi: str = ""
    ngay_don: dt.date | None = None  # Xét Đơn đề nghị nghỉ phép ngày …
    tu_ngay: dt.date
    den_ngay: dt.date
    noi_nghi: str = Field(min_length=1)
    tinh_vao: str = Field(min_length=1)  # "nghỉ hằng năm năm 2021" (the leave the law counts it as)

    _norm = field_validator("ho_ten", "chuc_vu", "don_vi", "noi_nghi", "tinh_vao", mode="before")(_text)
    _dates = field_validator("ngay_don", "tu_ngay", "den_ngay", mode="before")(_record_date)

    @model_validator(mode="after")
    def _order(self) -> NghiPhep:
        if self.den_ngay < self.tu_ngay:
            raise _err("leave_order", N_("den_ngay is before tu_ngay"))
        return self


class BienBan(_Model):
    """A Biên bản's lines (Mẫu 1.9): when it began, where, who took part, who chaired and who wrote
    it, and when it ended; the proceedings are the record's noi_dung."""

    bat_dau: dt.datetime
    dia_diem: str = Field(min_length=1)
    thanh_phan: list[str] = Field(default_factory=list)
    chu_tri: str = Field(min_length=1)
    thu_ky: str = Field(min_length=1)
    ket_thuc: dt.datetime

    _lists = field_validator("thanh_phan", mode="before")(_as_list)
    _norm = field_validator("dia_diem", "chu_tri", "thu_ky", mode="before")(_text)
    _moments = field_validator("bat_dau", "ket_thuc", mode="before")(_record_datetime)

    @model_validator(mode="after")
    def _order(self) -> BienBan:
        if self.ket_thuc < self.bat_dau:
            raise _err("event_order", N_("ket_thuc is before bat_dau"))
        return self


class SuKien(_Model):
    """The event of a notice or an invitation."""

    ten: str = Field(min_length=1)
    bat_dau: dt.datetime
    ket_thuc: dt.datetime | None = None
    dia_diem: str = Field(min_length=1)
    chu_tri: str | None = None
    thanh_phan: list[str] = Field(default_factory=list)
    ghi_chu: str = ""
    # the time as the invitation words it ('14 giờ 00, thứ Sáu, ngày 20/9/2021', '½ ngày');
    # bat_dau stays the machine-readable start
    thoi_gian: str | None = None
    loi_dan: str | None = None  # a giấy mời's lead-in paragraph, before its invitation

    _norm = field_validator("ten", "dia_diem", "chu_tri", "ghi_chu", "thoi_gian", "loi_dan", mode="before")(_text)
    _list = field_validator("thanh_phan", mode="before")(_as_list)
    _moments = field_validator("bat_dau", "ket_thuc", mode="before")(_record_datetime)

    @model_validator(mode="after")
    def _order(self) -> SuKien:
        if self.ket_thuc and self.ket_thuc < self.bat_dau:
            raise _err("event_order", N_("ket_thuc is before bat_dau"))
        return self


class VanBan(_Model):
    """One administrative document."""

    loai: DocType
    # the record's own key in the register (mã): a number stays with it wherever the record moves
    ma: str | None = Field(default=None, min_length=1, max_length=200)
    co_quan: list[CoQuan] = Field(min_length=1, max_length=2)
    so: int | None = Field(default=None, ge=1)
    don_vi_soan_thao: str | None = Field(default=None, pattern=r"^[0-9A-Za-zĐđ]+$")
    dia_danh: str = Field(min_length=1)
    ngay: dt.date | None = None
    nam: int | None = Field(default=None, ge=1945, le=2999)  # year printed when ngay is blank
    trich_yeu: str = ""
    kinh_gui: list[str] = Field(default_factory=list)
    do_khan: str | None = None
    do_mat: str | None = None
    luu_hanh: str | None = None
    tham_quyen: str | None = None
    can_cu: list[str] = Field(default_factory=list)
    theo_de_nghi: str | None = None
    noi_dung: str = ""
    nguoi_ky: list[NguoiKy] = Field(min_length=1, max_length=2)
    noi_nhan: list[str | NhomNoiNhan] = Field(default_factory=list)
    luu: list[str] = Field(default_factory=list)
    so_ban_luu: int | None = Field(default=None, ge=1)
    nguoi_soan: str | None = Field(default=None, pattern=r"^[A-ZĐ]+$")
    # what an agency writes after the Lưu line, where the decree's initials form does not fit:
    # the drafter's name and the copies ('- Lưu: VT, KGVX. Cương (3b)')
    luu_ghi_chu: str | None = None
    so_ban_phat_hanh: int | None = Field(default=None, ge=1)
    phu_luc: list[PhuLuc] = Field(default_factory=list)
    lien_he: LienHe | None = None
    su_kien: SuKien | None = None
    gioi_thieu: GioiThieu | None = None  # a Giấy giới thiệu's lines
    nghi_phep: NghiPhep | None = None  # a Giấy nghỉ phép's lines
    bien_ban: BienBan | None = None  # a Biên bản's lines
    van_ban_kem_theo: VanBanKemTheo | None = None  # a Quy chế, Quy định … issued with a Quyết định
    du_lieu: dict[str, Any] = Field(default_factory=dict)
    # a legal-normative document (văn bản quy phạm pháp luật): its number carries the year
    quy_pham_phap_luat: bool = False
    # which draft this is (generate --draft prints "Dự thảo lần N"); ignored when issuing
    du_thao: int | None = Field(default=None, ge=1, le=99)

    _lists = field_validator("co_quan", "kinh_gui", "nguoi_ky", "noi_nhan", "luu", "can_cu", "phu_luc",
                             mode="before")(_as_list)
    _norm = field_validator("dia_danh", "trich_yeu", "tham_quyen", "theo_de_nghi", "noi_dung",
                            "don_vi_soan_thao", "luu_ghi_chu", "ma", mode="before")(_text)

    @property
    def ky_hieu(self) -> str:
        """The ký hiệu after the '/': 'TB-SCT'."""
        return ky_hieu(self.loai, [a.viet_tat for a in self.co_quan], self.don_vi_soan_thao)

    @property
    def number_year(self) -> int | None:
        """The year a legal-normative document's number carries; None for any other."""
        return (self.ngay.year if self.ngay else self.nam) if self.quy_pham_phap_luat else None

    @property
    def so_ky_hieu(self) -> str:
        """Số and ký hiệu as printed: '05/TB-SCT', '12/2026/QĐ-UBND'."""
        return so_ky_hieu(self.so, self.ky_hieu, self.number_year)

    @field_validator("dia_danh", mode="after")
    @classmethod
    def _place_fits(cls, value: str) -> str:
        if value and date_line_condense_pt(value) is None:
            raise _err("place_too_long", N_("the place name '{place}' is too long for the date line to stay on one "
                                            "line under the Tiêu ngữ, even set closer: shorten it (e.g. 'TP. Hồ Chí "
                                            "Minh')"), place=value)
        return value

    @field_validator("loai", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, DocType):
            return value
        if value is None or str(value).strip() == "":
            raise _err("missing", N_("required field is missing"))
        found = find_doc_type(str(value))
        if found is None:
            close = closest_doc_types(str(value))
            if close:
                raise _err("doc_type", N_("'{value}' is not a document type of Decree 30; did you mean {close}? "
                                          "(`vanthu types` lists them all)"), value=value, close=", ".join(close))
            raise _err("doc_type", N_("'{value}' is not a document type of Decree 30; `vanthu types` lists them"),
                       value=value)
        return found

    @field_validator("so", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().casefold() == AUTO_NUMBER:
            raise _err("number_auto", N_("'so: auto' takes its number from the register: run vanthu generate "
                                         "(with --register URL, or the vanthu.db beside the records)"))
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise _err("number", N_("'{value}' is not a document number; expected a whole number, or nothing "
                                    "to leave it blank for e-office stamping"), value=value)
        return value

    @field_validator("ngay", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_record_date(str(value))
        except ImpossibleDate as exc:
            raise _impossible(value, exc) from None
        except ValueError:
            raise _err("date", N_("'{value}' is not a valid date; expected dd/mm/yyyy"), value=value) from None

    @field_validator("do_khan", mode="before")
    @classmethod
    def _urgency(cls, value: Any) -> Any:
        return _choice(value, tuple(texts.DO_KHAN), texts.DO_KHAN_ALIASES)

    @field_validator("do_mat", mode="before")
    @classmethod
    def _secrecy(cls, value: Any) -> Any:
        return _choice(value, texts.DO_MAT)

    @field_validator("luu_hanh", mode="before")
    @classmethod
    def _circulation(cls, value: Any) -> Any:
        return _choice(value, texts.PHAM_VI_LUU_HANH)

    @model_validator(mode="after")
    def _by_type(self) -> VanBan:
        for name in self.loai.required:  # the type's spec says which fields it needs
            if not getattr(self, name):
                code, message = _REQUIRED_BY_TYPE[name]
                raise _err(code, message, type=self.loai.name.lower())
        if self.quy_pham_phap_luat and self.loai.key not in NORMATIVE_TYPES:
            raise _err("normative_type", N_("a {type} is not issued as a legal-normative document: "
                                            "quy_pham_phap_luat is for {types}"), type=self.loai.name.lower(),
                       types=", ".join(DOC_TYPES[k].name for k in NORMATIVE_TYPES if k in DOC_TYPES))
        if self.quy_pham_phap_luat and self.ngay is None and self.nam is None:
            raise _err("normative_year", N_("a legal-normative document's number carries its year: give ngay or nam"))
        if self.ngay is not None and self.nam is not None and self.nam != self.ngay.year:
            raise _err("year", N_("nam {year} differs from the year of ngay"), year=self.nam)
        if self.van_ban_kem_theo is not None and not self.loai.decision:
            raise _err("attached_text", N_("van_ban_kem_theo is a text issued with a decision: a {type} has none"),
                       type=self.loai.name.lower())
        side_by_side = self.loai.signature == SIGNATURE_SIDE_BY_SIDE  # a Biên bản: the chair and the secretary
        if len(self.nguoi_ky) > len(self.co_quan) and not side_by_side:
            raise _err("signers", N_("{signers} signers for {agencies} agency: a second signer belongs to a "
                                     "joint document of two agencies"),
                       signers=len(self.nguoi_ky), agencies=len(self.co_quan))
        return self


# What to say when a type's required field is missing (nd30.doc_types.DocType.required).
_REQUIRED_BY_TYPE = {
    "don_vi_soan_thao": ("cong_van_unit", N_("a công văn needs don_vi_soan_thao: its ký hiệu is AGENCY-UNIT "
                                             "(e.g. SCT-VP), never CV")),
    "su_kien": ("invitation_event", N_("a giấy mời needs su_kien: the event's name, start and place")),
    "gioi_thieu": ("introduction", N_("a giấy giới thiệu needs gioi_thieu: ho_ten, noi_den, ve_viec (and chuc_vu, "
                                      "hieu_luc_den)")),
    "bien_ban": ("minutes", N_("a biên bản needs bien_ban: bat_dau, dia_diem, chu_tri, thu_ky, ket_thuc (and "
                               "thanh_phan)")),
    "nghi_phep": ("leave", N_("a giấy nghỉ phép needs nghi_phep: ho_ten, tu_ngay, den_ngay, noi_nghi, tinh_vao")),
    "tham_quyen": ("decision_authority", N_("a {type} needs tham_quyen: the issuing authority line "
                                            "(e.g. GIÁM ĐỐC SỞ CÔNG THƯƠNG)")),
    "trich_yeu": ("trich_yeu", N_("a {type} needs trich_yeu: the summary under its title")),
}


def _choice(value: Any, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> Any:
    if value in (None, ""):
        return None
    text = unicodedata.normalize("NFC", str(value)).strip().upper()
    text = (aliases or {}).get(text, text)
    if text not in allowed:
        raise _err("choice", N_("'{value}' is not allowed here; expected one of: {allowed}"),
                   value=value, allowed=", ".join(allowed))
    return text


class BanSao(_Model):
    """The copying agency's part of a copy (bản sao, Phụ lục I Phần II): who copies, where and
    when, who signs it, to whom it goes. `so`: the copy's number ('auto' from the register)."""

    co_quan: CoQuan
    dia_danh: str = Field(min_length=1)
    ngay: dt.date | None = None  # the day of copying; blank: today
    so: int | str | None = None
    nguoi_ky: NguoiKy
    noi_nhan: list[str] = Field(default_factory=list)

    _lists = field_validator("noi_nhan", mode="before")(_as_list)
    _norm = field_validator("dia_danh", mode="before")(_text)
    _date = field_validator("ngay", mode="before")(_record_date)

    @field_validator("so", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().casefold() == AUTO_NUMBER:
            return AUTO_NUMBER
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _err("number", N_("'{value}' is not a document number; expected a whole number, or nothing "
                                    "to leave it blank for e-office stamping"), value=value)
        return value
