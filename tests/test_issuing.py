"""Issuing: the agency's signature after the signer's, on real LibreOffice PDFs, with a PKCS#12
file and a SoftHSM2 token; read back with pyHanko (verify), pikepdf (fields) and pdfplumber
(where the seal and the stamp are drawn)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageDraw

from conftest import RECORDS
from pki import SEAL_MM, make_pki, seal_png
from vanthu import api
from vanthu.cli import main

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
MM = 72 / 25.4
SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    root = tmp_path_factory.mktemp("issuing")
    assert api.generate([RECORDS], root / "docx").ok
    notice = next(p for p in (root / "docx").glob("thong-bao*.docx"))
    plan = next(p for p in (root / "docx").glob("ke-hoach*.docx"))
    assert api.to_pdf([notice], root / "pdf").ok
    assert api.to_pdf([plan], root / "pdf", appendix_files=True).ok
    signer, agency = make_pki(root / "pki-signer"), make_pki(root / "pki-agency", signer_name="SỞ CÔNG THƯƠNG")
    signature = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line((20, 150, 200, 40, 350, 160, 580, 50), fill=(0, 0, 200, 255), width=8)
    signature.save(root / "chu-ky.png")
    pdf = next((root / "pdf").glob("thong-bao*.pdf"))
    signed = root / "signed.pdf"
    report = api.sign([pdf], signed, pkcs12=signer.signer_p12, passphrase=signer.passphrase.decode(),
                      image=root / "chu-ky.png")
    assert not report.failed, report.files
    return {"root": root, "pdf": pdf, "signed": signed, "signer": signer, "agency": agency,
            "seal": seal_png(root / "dau.png"),
            "appendix": next((root / "pdf").glob("ke-hoach*_phu-luc-I.pdf"))}


def signed_widgets(path: Path) -> dict[str, tuple[int, list[float]]]:
    out = {}
    with pikepdf.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/FT") == "/Sig":
                    out[str(annot.T)] = (i, [float(v) for v in annot.Rect])
    return out


def flattened(path: Path, tmp: Path) -> Path:
    """A copy with the widgets' appearances drawn into the pages (what a viewer shows, now readable
    by pdfplumber)."""
    out = tmp / f"{path.stem}-flat.pdf"
    with pikepdf.open(path) as pdf:
        pdf.flatten_annotations("all")
        pdf.save(out)
    return out


def _has_soft_mask(path: Path, field: str) -> bool:
    def walk(xobject, depth=0) -> bool:
        if xobject.get("/Subtype") == "/Image":
            return "/SMask" in xobject
        resources = xobject.get("/Resources", {})
        return depth < 5 and any(walk(x, depth + 1) for x in resources.get("/XObject", {}).values())

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if str(annot.get("/T", "")) == field:
                    return walk(annot.AP.N)
    return False


def agency_sign(issued, source: Path, target: Path, *extra: str) -> int:
    os.environ["VANTHU_PKCS12_PASSWORD"] = issued["agency"].passphrase.decode()
    try:
        return main(["sign", "--agency", str(source), "-o", str(target), "--pkcs12",
                     str(issued["agency"].signer_p12), *extra])
    finally:
        del os.environ["VANTHU_PKCS12_PASSWORD"]


def test_the_agency_signs_after_the_signer_with_the_seal_over_the_left_third(issued, tmp_path, capsys):
    target = tmp_path / "ban-hanh.pdf"
    assert agency_sign(issued, issued["signed"], target, "--seal", str(issued["seal"])) == 0
    # an incremental update: the signer's revision is still there, byte for byte
    assert target.read_bytes().startswith(issued["signed"].read_bytes())
    report = api.verify([target], trust=[issued["signer"].root_pem, issued["agency"].root_pem])
    (file,) = report.files
    assert report.ok and [s.field for s in file.signatures] == ["Signature1", "AgencySeal"]
    first, second = file.signatures
    assert first.intact and first.whole_document and first.signed_after and "Nguyễn Văn An" in first.signer
    assert second.intact and second.whole_document and not second.signed_after and "SỞ CÔNG THƯƠNG" in second.signer
    assert first.revision < second.revision == second.revisions
    assert first.signing_time.endswith("+07:00") and first.organisation
    # the seal: its real size, its right edge a third of the way into the signature, level with it
    widgets = signed_widgets(target)
    page, (left, bottom, right, top) = widgets["Signature1"]
    with pdfplumber.open(flattened(target, tmp_path)) as pdf:
        height = float(pdf.pages[page].height)
        seals = [im for im in pdf.pages[page].images if abs((im["x1"] - im["x0"]) - SEAL_MM * MM) < 1]
    assert len(seals) == 1, "the seal image is drawn once, at its real size"
    seal = seals[0]
    assert abs((seal["bottom"] - seal["top"]) - SEAL_MM * MM) < 1
    assert abs(seal["x1"] - (left + (right - left) / 3)) < 1
    middle = height - (bottom + top) / 2  # pdfplumber measures from the top
    assert abs((seal["top"] + seal["bottom"]) / 2 - middle) < 1
    assert _has_soft_mask(target, "AgencySeal"), "the seal keeps its transparency: the signature shows through"
    assert main(["verify", str(target), "--trust", str(issued["signer"].root_pem), "--trust",
                 str(issued["agency"].root_pem), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].split()[1] == "1/2" and "[Signature1]" in lines[-2] and "later signatures added" in lines[-2]
    assert lines[-1].split()[1] == "2/2" and "[AgencySeal]" in lines[-1]
    assert re.search(r"revision \d+ of \d+", lines[-1])


def test_the_agency_never_signs_first(issued, tmp_path, capsys):
    target = tmp_path / "x.pdf"
    assert agency_sign(issued, issued["pdf"], target, "--seal", str(issued["seal"]), "--lang", "en") == 1
    assert "has not signed it yet" in capsys.readouterr().err and not target.exists()


def test_an_appendix_file_gets_the_number_and_time_at_the_top_right(issued, tmp_path):
    target = tmp_path / "phu-luc.pdf"
    assert agency_sign(issued, issued["appendix"], target) == 0
    report = api.verify([target], trust=[issued["agency"].root_pem])
    assert report.ok and [s.field for s in report.files[0].signatures] == ["AgencySignature"]
    _page, (left, bottom, right, top) = signed_widgets(target)["AgencySignature"]
    with pdfplumber.open(flattened(target, tmp_path)) as pdf:
        page = pdf.pages[0]
        width, height = float(page.width), float(page.height)
        assert left > width / 2 and height - top < 25 * MM  # the field: top right of the first page
        inside = (left - 1, height - top - 1, right + 1, height - bottom + 1)
        corner = page.within_bbox(inside).extract_words(extra_attrs=["size"])
        images = page.within_bbox(inside).images
    texts = [w["text"] for w in corner]
    assert "12/KH-SCT" in texts  # the number the appendix quotes, "(Kèm theo Kế hoạch số 12/KH-SCT …)"
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", t) for t in texts), texts
    assert all(round(w["size"]) == 10 for w in corner) and not images  # 10 pt text, no image


def test_seal_images_that_cannot_be_right_are_refused(issued, tmp_path, capsys):
    opaque = seal_png(tmp_path / "opaque.png", transparent=False)
    assert agency_sign(issued, issued["signed"], tmp_path / "a.pdf", "--seal", str(opaque), "--lang", "en") == 2
    assert "no transparency" in capsys.readouterr().err
    sizeless = seal_png(tmp_path / "nodpi.png", dpi=None)
    assert agency_sign(issued, issued["signed"], tmp_path / "b.pdf", "--seal", str(sizeless), "--lang", "en") == 2
    assert "--seal-mm" in capsys.readouterr().err
    # with its width given, the same image is drawn at that size
    assert agency_sign(issued, issued["signed"], tmp_path / "c.pdf", "--seal", str(sizeless),
                       "--seal-mm", "40") == 0
    with pdfplumber.open(flattened(tmp_path / "c.pdf", tmp_path)) as pdf:
        assert any(abs((im["x1"] - im["x0"]) - 40 * MM) < 1 for im in pdf.pages[0].images)
    assert main(["sign", str(issued["signed"]), "-o", str(tmp_path / "d.pdf"), "--pkcs12",
                 str(issued["agency"].signer_p12), "--seal", str(issued["seal"])]) == 2  # --seal needs --agency


def test_the_agency_signs_with_a_pkcs11_token(issued, tmp_path, monkeypatch, softhsm):
    agency = softhsm["agency"]
    monkeypatch.setenv("VANTHU_PKCS11_PIN", "1234")
    target = tmp_path / "token.pdf"
    assert main(["sign", "--agency", str(issued["signed"]), "-o", str(target), "--seal", str(issued["seal"]),
                 "--pkcs11-lib", SOFTHSM_LIB, "--token-label", "van-thu", "--key-label", "co-quan"]) == 0
    report = api.verify([target], trust=[issued["signer"].root_pem, agency.root_pem])
    assert report.ok and len(report.files[0].signatures) == 2


def _page_numbers(pdf_path: Path) -> list[str]:
    """Each page's printed number at the top of the page ('' where none, as on page 1)."""
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            top = [w["text"] for w in page.extract_words() if w["top"] < 18 * MM and w["text"].isdigit()]
            out.append(top[0] if top else "")
    return out


def test_the_print_bundle_repeats_each_document_for_its_copies_and_restarts_numbering(tmp_path, capsys):
    from conftest import load_example, write_records

    notice = load_example("thong-bao") | {"so_ban_phat_hanh": 3}
    plan = load_example("ke-hoach") | {"so_ban_phat_hanh": 2}
    source = write_records(tmp_path / "in", notice, plan)
    bundle = tmp_path / "in-an.pdf"
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--pdf", "--bundle", str(bundle),
                 "--lang", "en"]) == 0
    singles = {p.name.split("_")[0]: _page_numbers(p) for p in (tmp_path / "out").glob("*.pdf")}
    assert len(singles["ke-hoach"]) >= 2 and singles["ke-hoach"][:2] == ["", "2"]
    assert _page_numbers(bundle) == singles["thong-bao"] * 3 + singles["ke-hoach"] * 2
    assert f"({len(singles['thong-bao']) * 3 + len(singles['ke-hoach']) * 2} pages)" in capsys.readouterr().out
    # --copies overrides the records' counts; without --pdf the documents are converted aside
    again = tmp_path / "hai-ban.pdf"
    summary = api.generate([source], tmp_path / "out2", bundle=again, copies=2)
    assert summary.ok and summary.bundle_pages == 2 * (len(singles["thong-bao"]) + len(singles["ke-hoach"]))
    assert not list((tmp_path / "out2").glob("*.pdf")) and not list(tmp_path.glob(".bundle-*"))
    assert main(["generate", str(source), "-o", str(tmp_path / "out3"), "--copies", "2"]) == 2  # needs a PDF bundle


def _copy_record(folder: Path, **changes) -> Path:
    import yaml

    data = {"co_quan": {"ten": "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "viet_tat": "SKHĐT", "chu_quan": "UBND TỈNH LẠNG SƠN"},
            "dia_danh": "Lạng Sơn", "ngay": "12/09/2021", "so": "auto",
            "nguoi_ky": {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC",
                         "ho_ten": "Trần Văn Bình"},
            "noi_nhan": ["Các phòng thuộc Sở"], **changes}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ban-sao.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_copies_carry_the_copy_form_their_own_numbers_and_verify(issued, tmp_path, capsys):
    record = _copy_record(tmp_path / "in")
    url = f"sqlite:///{tmp_path / 'so.db'}"
    copier = make_pki(tmp_path / "pki", signer_name="SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    os.environ["VANTHU_PKCS12_PASSWORD"] = copier.passphrase.decode()
    try:
        first, second = tmp_path / "sao-y.pdf", tmp_path / "trich-sao.pdf"
        assert main(["copy", str(issued["signed"]), "--kind", "sao-y", "--record", str(record), "-o", str(first),
                     "--register", url, "--pkcs12", str(copier.signer_p12), "--lang", "en"]) == 0
        assert "Số 01/SY-SKHĐT" in capsys.readouterr().out
        assert main(["copy", str(issued["signed"]), "--kind", "trich-sao", "--record", str(record), "-o",
                     str(second), "--register", url]) == 0
    finally:
        del os.environ["VANTHU_PKCS12_PASSWORD"]
    # the copies share one sequence of their own, from 01; a rerun keeps its number
    again = api.copy(issued["signed"], tmp_path / "again.pdf", kind="sao-y", record=record, register=url)
    assert again.so_ky_hieu == "01/SY-SKHĐT"
    entries = api.register_entries(url)
    assert sorted(e.so_ky_hieu for e in entries) == ["01/SY-SKHĐT", "02/TrS-SKHĐT"]
    # the copy form: under a full-width rule, SAO Y, the copying agency, its number, place and date, signer
    with pdfplumber.open(first) as pdf:
        last = pdf.pages[-1].extract_text()
        rules = [ln for ln in pdf.pages[-1].lines + pdf.pages[-1].rects if (ln["x1"] - ln["x0"]) > 150 * MM]
    for text in ("SAO Y", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Số: 01/SY-SKHĐT", "Lạng Sơn, ngày 12 tháng 9 năm 2021",
                 "KT. GIÁM ĐỐC", "Trần Văn Bình", "Nơi nhận:", "- Lưu: VT."):
        assert text in last, text
    assert rules, "the form stands under a rule the width of the text area"
    with pdfplumber.open(issued["signed"]) as original, pdfplumber.open(first) as copy:
        assert copy.pages[0].extract_text() .startswith(original.pages[0].extract_text()[:40])
    # the electronic copy: the copying agency's signature, its text at the top right of page 1
    report = api.verify([first], trust=[copier.root_pem])
    (signature,) = report.files[0].signatures
    assert report.ok and signature.field == "CopySignature" and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in signature.signer
    with pdfplumber.open(flattened(first, tmp_path)) as pdf:
        page = pdf.pages[0]
        corner = page.within_bbox((page.width / 2, 0, page.width, 25 * MM)).extract_text()
    assert corner.splitlines()[0] == "SAO Y" and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in corner
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", corner)
    with pdfplumber.open(second) as pdf:
        assert "TRÍCH SAO" in pdf.pages[-1].extract_text()
    assert not api.verify([second]).files[0].signatures  # a paper copy: signed and sealed by hand


def test_a_copy_of_a_short_document_stands_under_its_end(issued, tmp_path):
    from conftest import record as base_record
    from conftest import write_records

    source = write_records(tmp_path / "in", base_record(noi_dung="Một dòng."))
    assert api.generate([source], tmp_path / "out", pdf=True).ok
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    report = api.copy(pdf, tmp_path / "sao.pdf", kind="sao-luc", record=_copy_record(tmp_path / "r", so=7))
    assert report.same_page and report.pages == 1 and report.so_ky_hieu == "07/SL-SKHĐT"
    with pdfplumber.open(tmp_path / "sao.pdf") as copy:
        words = copy.pages[0].extract_words()
    name = max(w["bottom"] for w in words if w["text"] == "An")  # the copied document's signer
    sao = next(w for w in words if w["text"] == "SAO")
    assert sao["top"] > name  # the form comes after the document's end


def test_copy_refuses_what_cannot_be_right(issued, tmp_path, capsys):
    bad = _copy_record(tmp_path / "bad", ngay="31/02/2021")
    assert main(["copy", str(issued["signed"]), "--kind", "sao-y", "--record", str(bad), "-o",
                 str(tmp_path / "x.pdf"), "--lang", "en"]) == 2
    assert "ngay" in capsys.readouterr().err
    good = _copy_record(tmp_path / "good", so=None)
    assert main(["copy", str(issued["signed"]), "--kind", "ban-chinh", "--record", str(good), "-o",
                 str(tmp_path / "x.pdf"), "--lang", "en"]) == 2
    assert main(["copy", str(issued["signed"]), "--kind", "sao-y", "--record", str(good), "-o",
                 str(issued["signed"])]) == 2  # never over its source
    assert not (tmp_path / "x.pdf").exists()
