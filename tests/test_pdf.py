"""PDF, PDF/A, signature fields, signing and verification — on real files, with real LibreOffice,
a real PKI made here and a real SoftHSM2 token."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import RECORDS
from pki import make_pki
from vanthu.batch import generate
from vanthu.cli import main
from vanthu.pdf.pdfa import font_report, font_substitute, pdfa_claim

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    docs = [r.output for r in generate([RECORDS], out)]
    assert main(["pdf", *map(str, docs), "-o", str(out), "--pdfa", "--jobs", "2"]) == 0
    return {p.name.split("_")[0]: p for p in out.glob("*.pdf")}


def phrases(page, phrase: str) -> list[dict]:
    """Where the words of phrase stand one after another (pdfplumber's lines run across columns)."""
    wanted = phrase.split()
    words = page.extract_words()
    found = []
    for i in range(len(words) - len(wanted) + 1):
        run = words[i:i + len(wanted)]
        if [w["text"] for w in run] == wanted and max(w["top"] for w in run) - min(w["top"] for w in run) < 2:
            found.append({"text": phrase, "x0": run[0]["x0"], "x1": run[-1]["x1"], "top": run[0]["top"],
                          "bottom": max(w["bottom"] for w in run)})
    return found


def line(page, phrase: str) -> dict:
    found = phrases(page, phrase)
    assert found, f"no {phrase!r} on page {page.page_number}"
    return found[0]


def centre(item: dict) -> float:
    return (item["x0"] + item["x1"]) / 2


def test_every_example_has_its_pdf(pdfs):
    assert set(pdfs) == {"thong-bao", "ke-hoach", "giay-moi", "cong-van", "quyet-dinh", "bao-cao", "to-trinh"}


def test_a4_header_columns_level_lines_centred_title(pdfs):
    with pdfplumber.open(pdfs["thong-bao"]) as pdf:
        page = pdf.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
        agency, national = line(page, "SỞ CÔNG THƯƠNG"), line(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert agency["x1"] < national["x0"], "agency block on the left, national header on the right"
        assert agency["top"] < 40 * MM and national["top"] < 40 * MM
        so = next(w for w in page.extract_words() if w["text"] == "Số:")
        date = next(w for w in page.extract_words() if w["text"] == "Lạng")
        assert abs(so["top"] - date["top"]) < 1.5, "Số and the date line sit level"
        assert so["x0"] < page.width / 2 < date["x0"] + 40
        title = line(page, "THÔNG BÁO")
        text_centre = (30 + (210 - 45) / 2) * MM
        assert abs(centre(title) - text_centre) < 3 * MM


def test_page_numbers_hidden_on_page_one_and_centred_at_the_top_of_page_two(pdfs):
    with pdfplumber.open(pdfs["ke-hoach"]) as pdf:
        assert len(pdf.pages) == 3
        first, second, appendix = pdf.pages
        top_words = lambda page: [w for w in page.extract_words() if w["bottom"] < 20 * MM]  # noqa: E731
        assert top_words(first) == []
        (number,) = top_words(second)
        assert number["text"] == "2"
        text_centre = (30 + (210 - 45) / 2) * MM
        assert abs(centre(number) - text_centre) < 2 * MM
        assert top_words(appendix) == [], "an appendix numbers its own pages, hiding its first"
        assert appendix.width > appendix.height, "the appendix table is landscape"


def test_vietnamese_text_extracts_intact(pdfs):
    with pdfplumber.open(pdfs["thong-bao"]) as pdf:
        text = " ".join((pdf.pages[0].extract_text() or "").split())
    assert unicodedata.is_normalized("NFC", text)
    assert "Về việc tổ chức Triển lãm quốc tế lần thứ nhất về công nghiệp hỗ trợ và Chế biến chế tạo" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ƣ" not in text


def test_pdfa_claim_and_embedded_fonts(pdfs):
    for path in pdfs.values():
        assert pdfa_claim(path) == "2B"
        _names, missing = font_report(path)
        assert missing == []


def fields(path: Path) -> dict[str, tuple[int, list[float]]]:
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        return {str(f.T): (pages[f.P.objgen], [float(v) for v in f.Rect]) for f in pdf.Root.AcroForm.Fields}


@pytest.mark.parametrize("kind", ["thong-bao", "ke-hoach", "quyet-dinh", "cong-van"])
def test_each_signature_field_lies_between_its_title_and_the_name(pdfs, kind):
    import yaml

    record = yaml.safe_load(next(RECORDS.glob(f"*{kind}*.yaml")).read_text(encoding="utf-8"))
    signer = record["nguoi_ky"]
    (name, (index, rect)), = fields(pdfs[kind]).items()
    assert name == "Signature1"
    with pdfplumber.open(pdfs[kind]) as pdf:
        page = pdf.pages[index]
        title = phrases(page, signer["chuc_vu"])[-1]
        who = phrases(page, signer["ho_ten"])[-1]
        height = float(page.height)
    left, bottom, right, top = rect
    assert height - top >= title["bottom"] - 0.5 and height - bottom <= who["top"] + 2.5
    assert top - bottom > 15 * MM, "room for the signature image and the seal"
    assert right - left >= 60 * MM
    assert left <= centre(who) <= right


def test_e_office_pdf_keeps_number_and_date_blank(pdfs):
    with pdfplumber.open(pdfs["to-trinh"]) as pdf:
        text = pdf.pages[0].extract_text()
    assert "/TTr-SCT" in text and "Số: /TTr-SCT" in " ".join(text.split())
    assert "năm 2021" in text and "ngày" in text


def test_font_substitution_is_said_once(tmp_path, pdfs, capsys):
    docs = [r.output for r in generate([RECORDS], tmp_path)]
    assert main(["pdf", *map(str, docs[:3]), "-o", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    if font_substitute():
        assert err.count("Times New Roman") == 1 and "Liberation Serif" in err
    else:
        assert "Times New Roman" not in err


# ---- signing -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def test_sign_and_verify_with_pkcs12(pdfs, pki, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", pki.passphrase.decode())
    signed = tmp_path / "ky.pdf"
    image = tmp_path / "chu-ky.png"
    from PIL import Image

    Image.new("RGBA", (400, 160), (0, 0, 200, 0)).save(image)
    assert main(["sign", str(pdfs["thong-bao"]), "-o", str(signed), "--pkcs12", str(pki.signer_p12),
                 "--image", str(image)]) == 0
    assert "(Signature1)" in capsys.readouterr().out
    assert main(["verify", str(signed), "--trust", str(pki.root_pem)]) == 0
    out = capsys.readouterr().out
    assert pki.signer_name in out and "+07:00" in out
    assert "nguyên vẹn: có | toàn văn bản: có | tin cậy: có" in out
    assert pdfa_claim(signed) == "2B", "the signature is an incremental update: the claim stays"
    # not trusted without the root
    assert main(["verify", str(signed)]) == 1
    # altered after signing
    data = bytearray(signed.read_bytes())
    at = data.find(b"/Type /Page") + 3
    data[at] = data[at] ^ 0x20
    altered = tmp_path / "sua.pdf"
    altered.write_bytes(bytes(data))
    assert main(["verify", str(altered), "--trust", str(pki.root_pem)]) == 1


def test_signing_several_pdfs_into_a_folder_keeps_the_key_loaded(pdfs, pki, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", pki.passphrase.decode())
    sources = [pdfs[k] for k in ("thong-bao", "cong-van", "bao-cao")]
    assert main(["sign", *map(str, sources), "-o", str(tmp_path), "--pkcs12", str(pki.signer_p12)]) == 0
    for source in sources:
        assert main(["verify", str(tmp_path / source.name), "--trust", str(pki.root_pem)]) == 0
    # a folder at once; a broken file is said and the others are still verified
    assert main(["verify", str(tmp_path), "--trust", str(pki.root_pem), "--format", "json"]) == 0
    (tmp_path / "hong.pdf").write_bytes(b"%PDF-1.7 hong")
    assert main(["verify", str(tmp_path), "--trust", str(pki.root_pem), "--format", "json"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out[captured.out.rindex("[\n"):])
    assert [(Path(r["file"]).name, r["ok"]) for r in report] == sorted(
        [(s.name, True) for s in sources] + [("hong.pdf", False)])
    assert "hong.pdf" in captured.err


def test_wrong_passphrase_is_a_clear_error(pdfs, pki, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", "sai")
    assert main(["sign", str(pdfs["thong-bao"]), "-o", str(tmp_path / "x.pdf"), "--pkcs12",
                 str(pki.signer_p12)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    # not a PKCS#12 file at all: pyHanko logs a traceback (seen only outside pytest's log capture)
    garbage = tmp_path / "hong.p12"
    garbage.write_bytes(b"not pkcs12")
    run = subprocess.run([sys.executable, "-m", "vanthu.cli", "sign", str(pdfs["thong-bao"]), "-o",
                          str(tmp_path / "x.pdf"), "--pkcs12", str(garbage)], capture_output=True, text=True,
                         env={**os.environ, "VANTHU_PKCS12_PASSWORD": "sai"}, check=False)
    assert run.returncode == 2 and "hong.p12" in run.stderr and "Traceback" not in run.stderr, run.stderr


SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


def test_sign_and_verify_with_a_pkcs11_token(pdfs, tmp_path, monkeypatch, softhsm):
    pki = softhsm["signer"]
    monkeypatch.setenv("VANTHU_PKCS11_PIN", "1234")
    signed = tmp_path / "token.pdf"
    assert main(["sign", str(pdfs["cong-van"]), "-o", str(signed), "--pkcs11-lib", SOFTHSM_LIB,
                 "--token-label", "vanthu", "--key-label", "signer"]) == 0
    assert main(["verify", str(signed), "--trust", str(pki.root_pem)]) == 0
    monkeypatch.setenv("VANTHU_PKCS11_PIN", "0000")
    assert main(["sign", str(pdfs["cong-van"]), "-o", str(tmp_path / "x.pdf"), "--pkcs11-lib", SOFTHSM_LIB,
                 "--token-label", "vanthu", "--key-label", "signer"]) == 2


# ---- the pool ------------------------------------------------------------------------------

def test_a_hung_listener_is_killed_and_the_batch_completes(tmp_path):
    from vanthu.pdf.convert import Converter

    docs = [r.output for r in generate([RECORDS], tmp_path / "docx")][:3]
    with Converter(jobs=1, timeout=8) as converter:
        listener = converter.pool.listeners[0]
        group = listener.process.pid
        # freeze LibreOffice itself (not the unoserver in front of it): it stops answering
        children = subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True).stdout.split()
        soffice = [int(p) for p in children if "soffice" in Path(f"/proc/{p}/cmdline").read_text(errors="ignore")]
        assert soffice
        for pid in soffice:
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        results = list(converter.convert(docs, tmp_path / "pdf"))
        assert all(r.output is not None for r in results), [r.problem for r in results]
        assert listener.process.pid != group, "the hung listener was replaced"
        assert time.monotonic() - started < 120
    for pid in soffice:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_appendices_in_files_of_their_own_get_the_agency_field_at_the_top_right(tmp_path):
    docs = [r.output for r in generate([RECORDS], tmp_path) if r.output.name.startswith("ke-hoach")]
    assert main(["pdf", str(docs[0]), "-o", str(tmp_path), "--pdfa", "--appendix-files"]) == 0
    main_pdf = tmp_path / f"{docs[0].stem}.pdf"
    appendix = tmp_path / f"{docs[0].stem}_phu-luc-I.pdf"
    with pdfplumber.open(main_pdf) as pdf:
        assert len(pdf.pages) == 2
    with pdfplumber.open(appendix) as pdf:
        assert len(pdf.pages) == 1 and pdf.pages[0].extract_words()[0]["text"] == "Phụ"
        width, height = float(pdf.pages[0].width), float(pdf.pages[0].height)
    assert pdfa_claim(appendix) == "2B"
    ((name, (page, (left, _bottom, _right, top))),) = fields(appendix).items()
    assert name == "AgencySignature" and page == 0
    assert left > width / 2 and top > height - 25 * MM, "top right of the first page"
    assert "Signature1" in fields(main_pdf)


@pytest.fixture
def local_tsa(pki):
    """An RFC 3161 time-stamping authority on the loopback interface (pyHanko's test stamper)."""
    import asyncio
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import tsp
    from pyhanko.sign.timestamps import DummyTimeStamper

    from pki import make_tsa

    stamper = DummyTimeStamper(*make_tsa(pki))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_pades_b_t_with_a_time_stamping_authority(pdfs, pki, tmp_path, monkeypatch, local_tsa):
    from pyhanko.pdf_utils.reader import PdfFileReader

    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", pki.passphrase.decode())
    signed = tmp_path / "bt.pdf"
    assert main(["sign", str(pdfs["bao-cao"]), "-o", str(signed), "--pkcs12", str(pki.signer_p12),
                 "--tsa", local_tsa]) == 0
    with signed.open("rb") as handle:
        (signature,) = PdfFileReader(handle).embedded_signatures
        unsigned = signature.signer_info["unsigned_attrs"]
        assert "signature_time_stamp_token" in [a["type"].native for a in unsigned], "PAdES B-T"
    assert main(["verify", str(signed), "--trust", str(pki.root_pem)]) == 0


def test_generate_pdfa_and_joint_signers_get_a_field_each(tmp_path):
    from conftest import record, write_records

    data = record(loai="KH", noi_dung="Nội dung kế hoạch.",
                  co_quan=[{"ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"},
                           {"ten": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "viet_tat": "SVHTTDL"}],
                  nguoi_ky=[{"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Hoàng Văn Bình"},
                            {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC",
                             "ho_ten": "Lê Thị Cúc"}])
    source = write_records(tmp_path / "in", data)
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--pdfa"]) == 0
    (pdf_path,) = (tmp_path / "out").glob("*.pdf")
    assert pdfa_claim(pdf_path) == "2B"
    placed = fields(pdf_path)
    assert set(placed) == {"Signature1", "Signature2"}
    (_p1, first), (_p2, second) = placed["Signature1"], placed["Signature2"]
    assert first[0] > second[2] - 1, "the lead agency's signer on the right, the other on the left"


def test_same_names_from_two_folders_and_a_file_that_is_no_docx(tmp_path, capsys):
    (doc,) = generate([RECORDS / "01-thong-bao-trien-lam.yaml"], tmp_path / "a")
    (tmp_path / "b").mkdir()
    shutil.copy(doc.output, tmp_path / "b" / doc.output.name)
    (tmp_path / "b" / "hong.docx").write_text("không phải docx", encoding="utf-8")
    assert main(["pdf", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "pdf")]) == 1
    assert "hong.docx không phải tệp .docx" in capsys.readouterr().err
    made = sorted(p.name for p in (tmp_path / "pdf").glob("*.pdf"))
    assert made == [doc.output.with_suffix(".pdf").name, f"{doc.output.stem}_2.pdf"]
    for name in made:  # each its own PDF, with its own signature field
        assert list(fields(tmp_path / "pdf" / name)) == ["Signature1"]


def test_a_rerun_converts_only_the_documents_that_changed(tmp_path, capsys):
    from conftest import record, write_records

    folder = tmp_path / "in"
    write_records(folder, record(so=1, trich_yeu="Về việc một"), name="a.yaml")
    write_records(folder, record(so=2, trich_yeu="Về việc hai"), name="b.yaml")
    out = tmp_path / "out"
    assert main(["generate", str(folder), "-o", str(out), "--pdf"]) == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert len(stamps) == 2
    capsys.readouterr()
    assert main(["generate", str(folder), "-o", str(out), "--pdf"]) == 0
    assert "2 PDF không đổi" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps
    write_records(folder, record(so=2, trich_yeu="Về việc hai", noi_dung="Nội dung đã sửa."), name="b.yaml")
    assert main(["generate", str(folder), "-o", str(out), "--pdf"]) == 0
    assert "1 PDF không đổi" in capsys.readouterr().out
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    changed = [name for name in stamps if after[name] != stamps[name]]
    assert len(changed) == 1 and "ve-viec-hai" in changed[0]
    assert "Nội dung đã sửa." in pdfplumber.open(out / changed[0]).pages[0].extract_text()


# ---- signing refuses what a verifier would reject (issue: hostile inputs, items 20–21) ----------

@pytest.mark.parametrize(("starts", "days", "said"), [(-60, 30, "không phải lúc này"), (10, 30, "không phải lúc này")])
def test_a_certificate_outside_its_validity_is_refused_unless_allowed(pdfs, tmp_path, monkeypatch, capsys,
                                                                      starts, days, said):
    pki = make_pki(tmp_path / "pki", signer_from_days=starts, signer_days=days)
    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", pki.passphrase.decode())
    signed = tmp_path / "ky.pdf"
    assert main(["sign", str(pdfs["thong-bao"]), "-o", str(signed), "--pkcs12", str(pki.signer_p12)]) == 2
    err = capsys.readouterr().err
    assert said in err and "--allow-invalid-time" in err and "+07:00" in err and not signed.exists()
    assert main(["sign", str(pdfs["thong-bao"]), "-o", str(signed), "--pkcs12", str(pki.signer_p12),
                 "--allow-invalid-time"]) == 0
    assert "cảnh báo" in capsys.readouterr().err and signed.exists()
    assert main(["verify", str(signed), "--trust", str(pki.root_pem)]) == 1
    out = capsys.readouterr().out
    assert ("đã hết hạn ngày" if starts < 0 else "chỉ có hiệu lực từ") in out


def test_verify_names_a_missing_trust_file_and_bytes_appended_after_signing(pdfs, pki, tmp_path, monkeypatch,
                                                                            capsys):
    monkeypatch.setenv("VANTHU_PKCS12_PASSWORD", pki.passphrase.decode())
    signed = tmp_path / "ky.pdf"
    assert main(["sign", str(pdfs["thong-bao"]), "-o", str(signed), "--pkcs12", str(pki.signer_p12)]) == 0
    capsys.readouterr()
    assert main(["verify", str(signed), "--trust", str(tmp_path / "khong-co.pem")]) == 2
    err = capsys.readouterr().err
    assert "khong-co.pem" in err and "ky.pdf" not in err
    appended = tmp_path / "them.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n% appended after signing\n" + b"x" * 200)
    assert main(["verify", str(appended), "--trust", str(pki.root_pem)]) == 1
    out = capsys.readouterr().out
    assert "toàn văn bản: KHÔNG" in out and "thêm vào sau phiên bản đã ký" in out


def test_a_combined_pdf_whose_documents_share_a_page_is_not_cut(tmp_path):
    """Cutting a group's PDF at its bookmarks checks that each document starts on a page of its
    own after the one before (else the group is converted again document by document)."""
    from vanthu.ooxml.combine import bookmark_name
    from vanthu.pdf.convert import split_pdf
    from vanthu.pdf.pool import ConversionError

    def combined(starts: list[int], pages: int) -> Path:
        pdf = pikepdf.new()
        for _ in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
        names = pikepdf.Array()
        for i, start in enumerate(starts):
            names.extend([pikepdf.String(bookmark_name(i)), pikepdf.Array([pdf.pages[start].obj, pikepdf.Name.Fit])])
        pdf.Root.Names = pdf.make_indirect(pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=names)))
        path = tmp_path / f"bundle-{'-'.join(map(str, starts))}.pdf"
        pdf.save(path)
        return path

    targets = [tmp_path / f"doc{i}.pdf" for i in range(3)]
    split_pdf(combined([0, 1, 3], 4), targets)
    assert [len(pikepdf.open(t).pages) for t in targets] == [1, 2, 1]
    for starts in ([0, 1, 1], [0, 2, 1], [1, 2, 3]):
        with pytest.raises(ConversionError):
            split_pdf(combined(starts, 4), [tmp_path / f"x{i}.pdf" for i in range(3)])


def test_pdfs_read_on_many_threads_at_once_read_as_on_one(pdfs):
    """pdfium is not thread-safe; the PDF service and the web application read PDFs on threads
    (several callers' groups, several requests): each read gives what it gives alone."""
    from concurrent.futures import ThreadPoolExecutor

    from vanthu.pdf.fields import appendix_place, find_places, signer_blocks

    work = [(pdf, signer_blocks(pdf.with_suffix(".docx"))) for pdf in pdfs.values()]
    alone = [(find_places(pdf, blocks), appendix_place(pdf)) for pdf, blocks in work]
    def read(i: int):
        pdf, blocks = work[i % len(work)]
        return find_places(pdf, blocks), appendix_place(pdf)

    with ThreadPoolExecutor(4) as threads:
        together = list(threads.map(read, range(120)))
    assert together == [alone[i % len(work)] for i in range(120)]
