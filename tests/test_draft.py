"""generate --draft: the marks, the blank number and date, no number from the register, and the
checker that knows a draft — read back from the .docx, from the real LibreOffice's PDF and pages,
and from documents that other tools made."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import etree

from conftest import record, write_records
from vanthu import api
from vanthu.cli import main
from vanthu.ooxml.namespaces import NS

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def header_of(members: dict[str, bytes], sect: etree._Element, which: str) -> etree._Element | None:
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    ref = sect.find(f"w:headerReference[@w:type='{which}']", NS)
    if ref is None:
        return None
    target = next(r.get("Target") for r in rels if r.get("Id") == ref.get(f"{{{NS['r']}}}id"))
    return etree.fromstring(members[f"word/{target}"])


def texts(el: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{{{NS['w']}}}t")) for p in el.iter(f"{{{NS['w']}}}p")]


def watermarks(el: etree._Element) -> list[str]:
    return [tp.get("string") for tp in el.iter(f"{{{NS['v']}}}textpath") if tp.get("string")]


def body_texts(path: Path) -> list[str]:
    """Every paragraph and cell of the body, its spaces (the blanks are no-break spaces) made one."""
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            out += [c.text for c in row.cells]
    return [" ".join(t.split()) for t in out]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same two records made final and as drafts; the second is the record's second draft
    and has an appendix (a section of its own, landscape, with a first page of its own)."""
    root = tmp_path_factory.mktemp("draft")
    two = record(so=12, ngay="05/02/2021", loai="KH", trich_yeu="Tuyên truyền biển, đảo", du_thao=2,
                 noi_dung="Thực hiện Phụ lục I kèm theo.",
                 phu_luc=[{"tieu_de": "Nhiệm vụ", "ngang": True,
                           "bang": {"cot": ["STT", "Nhiệm vụ"], "dong": [[1, "Tuyên truyền"]]}}])
    source = write_records(root / "in", record(), two)
    final = api.generate([source], root / "final")
    draft = api.generate([source], root / "draft", draft=True)
    assert final.ok and draft.ok

    def by_type(folder: Path) -> dict[str, Path]:
        return {p.name.split("_")[0]: p for p in folder.glob("*.docx")}

    return by_type(root / "final"), by_type(root / "draft")


def test_the_mark_is_on_page_one_only_and_the_watermark_on_every_page(pair):
    _final, draft = pair
    for kind, label in (("thong-bao", "DỰ THẢO"), ("ke-hoach", "Dự thảo lần 2")):
        members = parts(draft[kind])
        document = etree.fromstring(members["word/document.xml"])
        sections = list(document.iter(f"{{{NS['w']}}}sectPr"))
        first = header_of(members, sections[0], "first")
        assert first is not None and label in texts(first)
        framed = [p for p in first.iter(f"{{{NS['w']}}}p") if p.find("w:pPr/w:framePr", NS) is not None]
        assert len(framed) == 1 and framed[0].find("w:pPr/w:pBdr/w:left", NS) is not None  # bordered
        frame = framed[0].find("w:pPr/w:framePr", NS)
        # at the left margin (30 mm), inside the top margin (20 mm), above the agency block
        assert int(frame.get(f"{{{NS['w']}}}x")) == round(30 / 25.4 * 1440)
        assert int(frame.get(f"{{{NS['w']}}}y")) + int(frame.get(f"{{{NS['w']}}}h")) <= round(20 / 25.4 * 1440)
        for sect in sections:
            for which in ("default", "first"):
                header = header_of(members, sect, which)
                if header is not None:
                    assert watermarks(header) == ["DỰ THẢO"]
                    if sect is not sections[0] or which == "default":
                        assert label not in texts(header)  # the mark is on page 1 only
        core = etree.fromstring(members["docProps/core.xml"])
        status = core.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}contentStatus")
        assert status is not None and status.text == label


def test_number_and_date_blank_and_the_rest_of_the_text_unchanged(pair):
    final, draft = pair
    for kind in ("thong-bao", "ke-hoach"):
        f, d = body_texts(final[kind]), body_texts(draft[kind])
        assert any(t.startswith("Số: 05/TB-SCT") or t.startswith("Số: 12/KH-SCT") for t in f)
        assert any(t in ("Số: /TB-SCT", "Số: /KH-SCT") for t in d)
        assert any(t.endswith("Lạng Sơn, ngày tháng năm 2021") for t in d)
        differing = [(a, b) for a, b in zip(f, d, strict=True) if a != b]
        # only the number and date lines, and the "(Kèm theo … số … ngày …)" line that quotes them
        assert 1 <= len(differing) <= 6 and all(("Số" in a or "ngày" in a) for a, _ in differing)


def test_a_draft_never_takes_a_number_from_the_register(tmp_path, capsys):
    source = write_records(tmp_path / "in", record(so="auto", ngay=None))
    url = f"sqlite:///{tmp_path / 'sodangky.db'}"
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--draft", "--register", url]) == 0
    assert not (tmp_path / "sodangky.db").exists()
    assert not (tmp_path / "in" / "vanthu.db").exists()  # nor the default register beside the records
    (out,) = (tmp_path / "out").glob("*.docx")
    assert "Số: /TB-SCT" in body_texts(out)
    # and the same record, issued, does take one
    assert main(["generate", str(source), "-o", str(tmp_path / "issued"), "--register", url]) == 0
    (issued,) = (tmp_path / "issued").glob("*.docx")
    assert any(t.startswith("Số: 01/TB-SCT") for t in body_texts(issued))


def test_the_register_note_is_said(tmp_path, capsys):
    source = write_records(tmp_path / "in", record())
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--draft", "--lang", "en",
                 "--register", f"sqlite:///{tmp_path / 'r.db'}"]) == 0
    assert "drafts take no number" in capsys.readouterr().err


def test_a_draft_and_its_final_are_different_outputs_on_a_rerun(tmp_path):
    source = write_records(tmp_path / "in", record())
    out = tmp_path / "out"
    api.generate([source], out)
    again = api.generate([source], out, draft=True)
    assert again.written == 1  # not "unchanged": a draft is another document
    (doc,) = out.glob("*.docx")
    assert "DỰ THẢO" in " ".join(texts(header_of(parts(doc), etree.fromstring(parts(doc)["word/document.xml"])
                                                .find(".//w:sectPr", NS), "first")))


def test_check_knows_a_draft(pair, capsys):
    _final, draft = pair
    report = api.check([draft["thong-bao"], draft["ke-hoach"]])
    assert [f.draft for f in report.files] == ["DỰ THẢO", "Dự thảo lần 2"]
    assert report.errors == 0
    assert all(r.status == "pass" for f in report.files for r in f.results if r.rule.code in ("NB01", "NB02", "DT01"))
    assert main(["check", str(draft["thong-bao"]), "--lang", "en"]) == 0
    assert "a draft ('DỰ THẢO')" in capsys.readouterr().out


def test_check_warns_of_a_numbered_draft_typed_by_hand(tmp_path):
    """A draft made in Word by hand: "DỰ THẢO" typed as the first line, the number filled in."""
    d = docx.Document()
    for text in ("DỰ THẢO", "SỞ CÔNG THƯƠNG", "Số: 05/TB-SCT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Lạng Sơn, ngày 10 tháng 9 năm 2021", "THÔNG BÁO"):
        d.add_paragraph(text)
    path = tmp_path / "hand.docx"
    d.save(str(path))
    (report,) = api.check([path]).files
    assert report.draft == "DỰ THẢO"
    (nb02,) = [r for r in report.results if r.rule.code == "NB02"]
    assert nb02.status == "fail" and len(nb02.findings) == 2
    # the same document without the mark is not a draft
    d.paragraphs[0].text = ""
    d.save(str(path))
    (report,) = api.check([path]).files
    assert report.draft is None
    assert [r.status for r in report.results if r.rule.code == "NB02"] == ["pass"]


def test_a_user_template_with_no_first_page_header_gets_one_keeping_its_header(tmp_path):
    """A template made with python-docx: one header for every page, no first-page header."""
    t = docx.Document()
    t.sections[0].header.paragraphs[0].text = "Sở Công Thương — lưu hành nội bộ"
    t.sections[0].footer.paragraphs[0].text = "chân trang"
    for line in ("{{ co_quan_ban_hanh }}", "Số: {{ so_line }}", "{{ dia_danh_ngay }}", "{{ trich_yeu }}"):
        t.add_paragraph(line)
    template = tmp_path / "mau.docx"
    t.save(str(template))
    source = write_records(tmp_path / "in", record(du_thao=3))
    summary = api.generate([source], tmp_path / "out", template=template, draft=True)
    assert summary.ok
    (out,) = (tmp_path / "out").glob("*.docx")
    members = parts(out)
    sect = etree.fromstring(members["word/document.xml"]).find(".//w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    first, default = header_of(members, sect, "first"), header_of(members, sect, "default")
    assert "Sở Công Thương — lưu hành nội bộ" in texts(first) and "Dự thảo lần 3" in texts(first)
    assert "Dự thảo lần 3" not in texts(default) and watermarks(default) == ["DỰ THẢO"]
    reread = docx.Document(str(out))  # page 1 keeps its footer too
    assert reread.sections[0].first_page_footer.paragraphs[0].text == "chân trang"
    assert api.check([out]).files[0].draft == "Dự thảo lần 3"


@needs_soffice
def test_the_real_libreoffice_draws_the_mark_and_the_watermark_and_keeps_the_pages(pair, tmp_path):
    final, draft = pair
    for name, path in (("final", final["ke-hoach"]), ("draft", draft["ke-hoach"])):
        folder = tmp_path / name
        folder.mkdir()
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                       check=True, capture_output=True, timeout=180)
    (final_pdf,), (draft_pdf,) = (tmp_path / "final").glob("*.pdf"), (tmp_path / "draft").glob("*.pdf")
    with pdfplumber.open(final_pdf) as f, pdfplumber.open(draft_pdf) as d:
        assert len(d.pages) == len(f.pages) >= 2  # a draft paginates as the issued document will
        words = d.pages[0].extract_words()
        mark = [w for w in words if w["text"] == "Dự"]
        assert mark, "the mark is drawn on page 1"
        mm = 25.4 / 72
        assert mark[0]["top"] * mm < 20 and abs(mark[0]["x0"] * mm - 30) < 6  # top left, in the top margin
        for page in d.pages[1:]:
            assert not [w for w in page.extract_words() if w["text"] in ("Dự", "DỰ")]
    # the watermark: light grey over the middle of every page of the draft, none on the final
    for pdf, expect in ((draft_pdf, True), (final_pdf, False)):
        prefix = tmp_path / f"{pdf.parent.name}-page"
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(prefix)], check=True)
        from PIL import Image

        for png in sorted(tmp_path.glob(f"{prefix.name}-*.png")):
            image = Image.open(png).convert("L")
            w, h = image.size
            middle = image.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4))
            histogram = middle.histogram()
            grey = sum(histogram[180:246])
            assert (grey > 150) is expect, (png.name, grey)


@needs_soffice
def test_libreoffice_round_trip_of_a_draft_is_still_known_as_one(pair, tmp_path):
    _final, draft = pair
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(draft["ke-hoach"])],
                   check=True, capture_output=True, timeout=180)
    (saved,) = tmp_path.glob("*.docx")
    (report,) = api.check([saved]).files
    assert report.draft == "Dự thảo lần 2"
    assert [r.status for r in report.results if r.rule.code == "NB02"] == ["pass"]
