"""edXML (QCVN 102:2016): packages for every issued example — real LibreOffice PDFs, one of them
signed — validated against the shipped schema, read back to the same fields and byte-identical
PDFs, and received packages that were altered, cut short or made hostile refused by name."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree

from conftest import RECORDS
from pki import make_pki
from vanthu import api
from vanthu.cli import main
from vanthu.edxml.organ import valid_organ_id
from vanthu.edxml.schema import NS, validate_bytes

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
ORGAN = "000.00.00.H41"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("edxml")
    out = root / "batch"
    summary = api.generate([RECORDS], out, pdf=True)
    assert summary.ok and summary.pdf and summary.pdf.ok
    pki = make_pki(root / "pki")
    notice = next(out.glob("thong-bao*.pdf"))
    signed = root / "signed.pdf"
    assert not api.sign([notice], signed, pkcs12=pki.signer_p12, passphrase=pki.passphrase.decode()).failed
    shutil.move(signed, notice)
    config = root / "edxml.yaml"
    config.write_text(yaml.safe_dump({
        "sender": {"organ_id": ORGAN, "name": "Sở Công Thương tỉnh Lạng Sơn", "email": "sct@langson.gov.vn"},
        "receivers": {"Sở Kế hoạch và Đầu tư": {"organ_id": "000.00.12.H41"}},
        "type_codes": {"TB": "7"},
    }, allow_unicode=True), encoding="utf-8")
    packages = api.edxml(out, root / "edxml", config=config)
    return {"root": root, "batch": out, "config": config, "packages": packages}


def test_a_package_for_every_issued_example_valid_against_the_schema(batch):
    packages = batch["packages"]
    issued = [p for p in packages if not p.skipped]
    skipped = [p for p in packages if p.skipped]
    # every example but the Tờ trình, left unnumbered for e-office stamping
    assert len(issued) == len(list(RECORDS.glob("*.yaml"))) - 1
    assert [p.document.name[:8] for p in skipped] == ["to-trinh"]
    for package in issued:
        assert not package.error, package.error
        data = package.target.read_bytes()
        assert validate_bytes(data) == []
        # every element inside the envelope carries the edXML: prefix (the receivers' rule)
        envelope = data.split(b"<edXML:edXMLEnvelope", 1)[1].split(b"</edXML:edXMLEnvelope>", 1)[0]
        assert not re.search(rb"<(?!/|edXML:|vanthu:)", envelope)
    notice = next(p for p in issued if p.document.name.startswith("thong-bao"))
    assert notice.fields["DocumentId"] == f"{ORGAN},2021/09/10,05/TB-SCT"
    assert notice.fields["DocumentType"] == {"Type": "7", "TypeDetail": "0", "TypeName": "Thông báo"}
    assert notice.fields["From"]["OrganName"] == "Sở Công Thương tỉnh Lạng Sơn"
    assert notice.fields["OtherInfo"]["PageAmount"] == 1
    letter = next(p for p in issued if p.document.name.startswith("cong-van"))
    assert letter.fields["DocumentType"]["Type"] == "1"  # the documented default for a Công văn
    assert all("PDF chưa được ký" in " ".join(p.warnings) for p in issued if p is not notice)
    assert not [w for w in notice.warnings if "chưa được ký" in w]


def test_read_gives_back_the_same_fields_and_byte_identical_pdfs(batch, tmp_path):
    for package in (p for p in batch["packages"] if not p.skipped):
        out = tmp_path / package.target.stem
        received = api.edxml_read(package.target, out)
        assert received.ok, received.problems
        assert received.fields == package.fields
        assert [f.path.read_bytes() for f in received.files] == [p.read_bytes() for p in package.attachments]
        record = yaml.safe_load(received.record.read_text(encoding="utf-8"))
        assert record["Code"] == package.fields["Code"] and record["attachments"][0]["name"].endswith(".pdf")
    plan = next(p for p in batch["packages"] if p.document.name.startswith("ke-hoach"))
    assert plan.fields["OtherInfo"]["Appendixes"]  # its appendix titles are listed


def _tampered(source: Path, target: Path, edit) -> Path:
    tree = etree.parse(str(source))
    edit(tree.getroot())
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def test_an_altered_attachment_or_a_missing_field_is_refused_by_name(batch, tmp_path, capsys):
    source = next(p for p in batch["packages"] if p.document.name.startswith("thong-bao")).target

    def alter(root):
        encoded = root.find(f".//{_q('ContentTransferEncoded')}")
        data = bytearray(base64.b64decode(encoded.text))
        data[len(data) // 2] ^= 1
        encoded.text = base64.b64encode(bytes(data)).decode()

    altered = _tampered(source, tmp_path / "altered.edxml", alter)
    out = tmp_path / "out1"
    assert main(["edxml", "read", str(altered), "-o", str(out), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "was altered" in err and "thong-bao" in err and not (out.exists() and any(out.iterdir()))

    def drop_subject(root):
        subject = root.find(f".//{_q('MessageHeader')}/{_q('Subject')}")
        subject.getparent().remove(subject)

    missing = _tampered(source, tmp_path / "missing.edxml", drop_subject)
    assert main(["edxml", "read", str(missing), "-o", str(tmp_path / "out2"), "--lang", "en"]) == 1
    assert "Subject" in capsys.readouterr().err

    def drop_attachment(root):
        attachment = root.find(f".//{_q('Attachment')}")
        attachment.getparent().remove(attachment)
        root.find(_q("AttachmentEncoded")).append(etree.fromstring(
            f'<Attachment xmlns="{NS}"><ContentId>cid:9</ContentId><AttachmentName>x.pdf</AttachmentName>'
            "<Description/><ContentType>application/pdf</ContentType><ContentTransferEncoded>eA==</ContentTransferEncoded>"
            "</Attachment>"))

    unlisted = _tampered(source, tmp_path / "unlisted.edxml", drop_attachment)
    received = api.edxml_read(unlisted, tmp_path / "out3")
    assert not received.ok and any("no such attachment" in p for p in received.problems) \
        and any("x.pdf" in p and "not in the manifest" in p for p in received.problems)


def test_hostile_packages_are_read_safely(batch, tmp_path):
    source = next(p for p in batch["packages"] if p.document.name.startswith("thong-bao")).target
    text = source.read_text(encoding="utf-8")
    bomb = ('<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + text.split("?>", 1)[1].replace("Lạng Sơn", "&c;", 1))
    (tmp_path / "bomb.edxml").write_text(bomb, encoding="utf-8")
    received = api.edxml_read(tmp_path / "bomb.edxml", tmp_path / "b")
    assert not received.ok and "DTD" in received.problems[0]  # refused, its entities never expanded
    assert "aaaaaaaaaa" not in str(received.fields) and not (tmp_path / "b").exists()
    escape = text.replace("<AttachmentName>thong-bao", "<AttachmentName>../../thong-bao").replace(
        "<edXML:AttachmentName>thong-bao", "<edXML:AttachmentName>../../thong-bao")
    (tmp_path / "escape.edxml").write_text(escape, encoding="utf-8")
    out = tmp_path / "deep" / "er"
    received = api.edxml_read(tmp_path / "escape.edxml", out)
    assert received.ok, received.problems
    assert all(f.path.parent == out for f in received.files)
    assert not list((tmp_path).glob("thong-bao*.pdf")) and not list((tmp_path / "deep").glob("*.pdf"))


def test_organ_identifiers_are_checked_for_their_form(batch, tmp_path, capsys):
    for good in ("000.00.00.H41", "000.00.00.G22", "002.00.20.H13", "H01", "H01.151", "H01.151.01"):
        assert valid_organ_id(good), good
    for bad in ("12345", "000.00.00", "h01.151", "000.00.00.H4", "H01..15", ""):
        assert not valid_organ_id(bad), bad
    assert main(["edxml", str(batch["batch"]), "-o", str(tmp_path / "x"), "--organ-id", "12345", "--lang", "en"]) == 2
    assert "not an organ identifier" in capsys.readouterr().err
    # none given: written with a warning and an empty OrganId; --strict refuses the package
    assert main(["edxml", str(batch["batch"]), "-o", str(tmp_path / "plain"), "--lang", "en"]) == 0
    assert "no organ identifier for the sender" in capsys.readouterr().err
    written = next((tmp_path / "plain").glob("thong-bao*.edxml")).read_bytes()
    assert b"<edXML:From><edXML:OrganId></edXML:OrganId>" in written
    assert main(["edxml", str(batch["batch"]), "-o", str(tmp_path / "strict"), "--strict", "--lang", "en"]) == 1
    assert not list((tmp_path / "strict").glob("*.edxml"))


def test_drafts_get_no_package(tmp_path):
    out = tmp_path / "drafts"
    assert api.generate([RECORDS / "01-thong-bao-trien-lam.yaml"], out, draft=True, pdf=True).ok
    (package,) = api.edxml(out, tmp_path / "x", organ_id=ORGAN)
    assert package.skipped and package.target is None
