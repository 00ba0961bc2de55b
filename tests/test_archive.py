"""Archive batches: real documents converted by the real LibreOffice, one of them signed,
packed twice into identical bytes, then altered in every way an archive can be."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import record, write_records
from pki import make_pki
from vanthu import api
from vanthu.cli import main
from vanthu.nd30.register import PHU_LUC_VI_FIELDS

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """A batch folder: two documents with their PDFs, the second PDF signed in place."""
    root = tmp_path_factory.mktemp("archive")
    write_records(root / "in", record(so=3, ngay="12/09/2021", do_khan="KHẨN", so_ban_phat_hanh=4),
                  record(so=2, ngay="10/09/2021", ma="tb-02", trich_yeu="Về việc mời họp"))
    out = root / "out"
    summary = api.generate([root / "in"], out, pdf=True)
    assert summary.written == 2 and summary.pdf and not summary.pdf.failed
    pki = make_pki(root / "pki")
    (second,) = [p for p in out.glob("*.pdf") if "_02_" in p.name]
    signed = api.sign([second], root / "signed.pdf", pkcs12=pki.signer_p12, passphrase=pki.passphrase.decode())
    assert signed.files[0].target is not None, signed.files[0].error
    shutil.move(root / "signed.pdf", second)
    (root / "root.pem").write_bytes(pki.root_pem.read_bytes())
    return out


def rewrite(source: Path, target: Path, *, change: str = "", drop: str = "", add: str = "") -> None:
    """A copy of an archive with one member's last byte flipped, one left out or one added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            data = old.read(info)
            if info.filename == change:
                data = data[:-1] + bytes([data[-1] ^ 1])
            new.writestr(info.filename, data)
        if add:
            new.writestr(add, b"not listed")


def test_same_batch_same_archive_bytes_with_the_phu_luc_vi_fields(batch, tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    report = api.archive(batch, first, organ_id="000.00.00.H12", ho_so="01/2021/VP")
    api.archive(batch, second, organ_id="000.00.00.H12", ho_so="01/2021/VP")
    assert first.read_bytes() == second.read_bytes()
    assert report.warnings == []
    with zipfile.ZipFile(first) as archive:
        listed = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        workbook = openpyxl.load_workbook(archive.open("manifest.xlsx"))
    assert listed[:2] == ["manifest.json", "manifest.xlsx"]
    assert sorted(listed[2:]) == sorted(p.name for p in batch.iterdir() if p.suffix in (".docx", ".pdf"))
    two, three = manifest["documents"]  # in order of issue: 10/09 before 12/09
    assert (two["DocOrdinal"], two["CodeNumber"], two["IssuedDate"], two["Identifier"]) == (1, "02", "10/09/2021",
                                                                                            "tb-02")
    assert (three["CodeNumber"], three["CodeNotation"], three["Priority"], three["IssuedAmount"]) == (
        "03", "TB-SCT", 1, 4)
    for document in manifest["documents"]:
        assert document["FileCode.OrganId"] == "000.00.00.H12" and document["FileCode.FileCatalog"] == 2021
        assert document["TypeName"] == "Thông báo" and document["OrganName"] == "SỞ CÔNG THƯƠNG"
        assert document["SignerInfo.FullName"] == "Nguyễn Văn An" and document["Language"] == "Tiếng Việt"
        assert isinstance(document["PageAmount"], int) and document["PageAmount"] >= 1
        assert len(document["files"]) == 2
    signed = [f for f in manifest["files"] if f["signatures"]]
    assert len(signed) == 1 and "_02_" in signed[0]["path"]
    sheet = workbook["Văn bản"]
    assert [c.value for c in sheet[2]][:len(PHU_LUC_VI_FIELDS)] == [tag for tag, _label in PHU_LUC_VI_FIELDS]
    assert next(c.value for c in sheet[1]) == PHU_LUC_VI_FIELDS[0][1]
    assert sheet.cell(3, 6).value == "02"  # CodeNumber of DocOrdinal 1


def test_verify_passes_an_intact_archive_and_names_each_missing_extra_or_altered_file(batch, tmp_path, capsys):
    archive = tmp_path / "a.zip"
    api.archive(batch, archive)
    trust = batch.parent / "root.pem"
    assert main(["archive", "verify", str(archive), "--trust", str(trust)]) == 0
    out = capsys.readouterr().out
    assert "chữ ký" in out or "signature" in out
    with zipfile.ZipFile(archive) as z:
        docx = next(n for n in z.namelist() if n.endswith(".docx"))
        pdf = next(n for n in z.namelist() if n.endswith(".pdf") and "_03_" in n)
    for name, change in (("changed", {"change": docx}), ("dropped", {"drop": pdf}), ("added", {"add": "x/y.pdf"}),
                         ("manifest", {"change": "manifest.xlsx"})):
        target = tmp_path / f"{name}.zip"
        rewrite(archive, target, **change)
        assert main(["archive", "verify", str(target)]) == 1, name
        err = capsys.readouterr().err
        expected = {"changed": docx, "dropped": pdf, "added": "x/y.pdf", "manifest": "manifest.xlsx"}[name]
        assert expected in err and "Traceback" not in err
    check = api.archive_verify(tmp_path / "dropped.zip")
    assert check.missing == [pdf] and not check.altered and not check.extra


def test_a_signed_pdf_altered_before_packing_fails_verification(batch, tmp_path, capsys):
    folder = tmp_path / "batch"
    shutil.copytree(batch, folder)
    (signed,) = [p for p in folder.glob("*.pdf") if "_02_" in p.name]
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Type /Page") if b"/Type /Page" in data else len(data) // 3
    data[at + 1] ^= 0x20  # a byte inside the signed range
    signed.write_bytes(bytes(data))
    archive = tmp_path / "a.zip"
    api.archive(folder, archive)
    assert main(["archive", "verify", str(archive)]) == 1
    assert signed.name in capsys.readouterr().err


def test_archive_refuses_what_it_cannot_do(batch, tmp_path, capsys):
    assert main(["archive", str(batch)]) == 2  # no -o
    assert main(["archive", str(batch), "-o", str(tmp_path / "a.tar")]) == 2
    assert main(["archive", str(tmp_path / "empty"), "-o", str(tmp_path / "a.zip")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["archive", str(tmp_path / "empty"), "-o", str(tmp_path / "a.zip")]) == 2
    assert main(["archive", str(batch), "-o", str(tmp_path / "a.zip"), "--organ-id", "x" * 14]) == 2
    (tmp_path / "junk.zip").write_bytes(b"PK not a zip")
    assert main(["archive", "verify", str(tmp_path / "junk.zip")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not (tmp_path / "a.zip").exists() and not list(tmp_path.glob(".a.zip*"))
