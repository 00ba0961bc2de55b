"""The legacy-encoding detector changes no correct Vietnamese (both tone placements, every vowel
with every tone, capitals, the 63 provinces) and converts real TCVN3 and VNI text fully."""

from __future__ import annotations

import pytest

from conftest import record, write_records
from docx_view import DocxView
from vanthu.batch import generate
from vanthu.records.hygiene import repair_text
from vanthu.records.legacy import detect, to_unicode

PROVINCES = [
    "An Giang", "Bà Rịa – Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Thành phố Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
OLDER_PLACEMENT = ["Hoà Bình", "Khánh Hoà", "Thanh Hoá", "thuỷ lợi", "khoẻ mạnh", "Uỷ ban nhân dân", "hoà giải",
                   "Thuỵ Điển", "luỹ kế", "hoạ sĩ", "xoè ô", "quý khách", "tuỳ ý"]
NEWER_PLACEMENT = ["Hòa Bình", "Khánh Hòa", "Thanh Hóa", "thủy lợi", "khỏe mạnh", "Ủy ban nhân dân", "hòa giải",
                   "Thụy Điển", "lũy kế", "họa sĩ", "xòe ô", "quý khách", "tùy ý"]
TONES = "\u0301\u0300\u0309\u0303\u0323"


def every_vowel_with_every_tone() -> list[str]:
    import unicodedata

    out = []
    for vowel, tail in (("a", ""), ("ă", "n"), ("â", "n"), ("e", ""), ("ê", ""), ("i", ""), ("o", ""), ("ô", ""),
                        ("ơ", ""), ("u", ""), ("ư", ""), ("y", "")):
        for tone in ["", *TONES]:
            syllable = unicodedata.normalize("NFC", "b" + vowel + tone + tail)
            out += [syllable, syllable.capitalize(), syllable.upper()]
    return out


SENTENCES = [
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Ủy ban nhân dân tỉnh Kiên Giang đề nghị các sở, ban, ngành khẩn trương triển khai thực hiện.",
    "Trường Trung học phổ thông Nguyễn Trãi, huyện Quỳnh Phụ, tỉnh Thái Bình; nghiêng, khuya, người, giữa, quyết.",
    "Hội nghị diễn ra trong ½ ngày, bắt đầu lúc 14 giờ 00, thứ Sáu — © Sở Công Thương, § 3.",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc",
]
CORRECT = PROVINCES + OLDER_PLACEMENT + NEWER_PLACEMENT + every_vowel_with_every_tone() + SENTENCES

# The same words in the legacy encodings, as old documents hold them.
TCVN3 = [("Th«ng b¸o vÒ viÖc tæ chøc triÓn l·m", "Thông báo về việc tổ chức triển lãm"),
         ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
         ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
         ("UBND tØnh L¹ng S¬n, Së C«ng Th­¬ng", "UBND tỉnh Lạng Sơn, Sở Công Thương")]
VNI = [("Thoâng baùo veà vieäc toå chöùc trieån laõm", "Thông báo về việc tổ chức triển lãm"),
       ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
       ("Xin chaøo caùc baïn, ngöôøi daân tænh Kieân Giang", "Xin chào các bạn, người dân tỉnh Kiên Giang")]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_vietnamese_is_never_converted(text):
    assert detect(text) is None, text
    assert repair_text(text) == (text, []), text


def test_the_whole_corpus_at_once_is_left_alone():
    text = "\n".join(CORRECT)
    assert detect(text) is None and repair_text(text)[0] == text


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3)
def test_tcvn3_text_is_converted_fully(legacy, unicode):
    assert detect(legacy) == "tcvn3" and to_unicode(legacy, "tcvn3") == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI)
def test_vni_text_is_converted_fully(legacy, unicode):
    assert detect(legacy) == "vni" and to_unicode(legacy, "vni") == unicode


def test_hoa_binh_reaches_the_document_as_typed_with_no_warning_and_passes_strict(tmp_path):
    data = record(dia_danh="Hoà Bình", trich_yeu="Về việc tổ chức Hội nghị tại Kiên Giang",
                  co_quan={"chu_quan": "UBND TỈNH HOÀ BÌNH", "ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"})
    (result,) = generate([write_records(tmp_path / "in", data)], tmp_path / "out", strict=True)
    assert result.ok, [str(p) for p in result.problems]
    assert not result.problems
    view = DocxView(result.output)
    view.find("Hoà Bình, ngày 10 tháng 9 năm 2021")
    view.find("Về việc tổ chức Hội nghị tại Kiên Giang")
