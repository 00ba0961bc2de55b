"""Writing an edXML package (QCVN 102:2016) for each issued document of a batch folder: the
MessageHeader from the record's fields (kept in batch-report.json), the signed PDF and its
appendix files as base64 attachments listed in the manifest, checked against the schema before
it is written (temporary file, then rename)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..batch.report import read_entries
from ..i18n import _
from ..nd30.dates import VIETNAM
from ..ooxml.package import atomic_write
from .config import ExchangeConfig, Organ
from .schema import NS, VANTHU_NS, validate_bytes

# A recipient line's own note, not part of the agency's name: "UBND tỉnh (b/c)".
_NOTE = re.compile(r"\s*\((?:để\s+)?(?:b/c|báo cáo|t/h|thực hiện|p/h|phối hợp)\)\s*$", re.IGNORECASE)


@dataclass
class PackageResult:
    document: Path  # the batch's .docx
    target: Path | None = None  # the .edxml written
    fields: dict = field(default_factory=dict)  # what the package says (edxml read gives it back)
    attachments: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    skipped: str = ""  # not an issued document (a draft, or no number or date): no package, no failure


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _receiver_name(line: str) -> str:
    return _NOTE.sub("", line.strip().rstrip(";.,")).strip()


def _pages(pdf: Path) -> int:
    from ..pdf.pdfium_documents import open_pdf

    with open_pdf(pdf) as document:
        return len(document)


def _signed(pdf: Path) -> bool:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return any(annot.get("/FT") == "/Sig" and annot.get("/V") is not None
                   for page in document.pages for annot in page.obj.get("/Annots", []))


ORGAN_TAGS = (("OrganId", "organ_id"), ("OrganizationInCharge", "organization_in_charge"), ("OrganName", "name"),
              ("OrganAdd", "address"), ("Email", "email"), ("Telephone", "telephone"), ("Fax", "fax"),
              ("Website", "website"))


def organ_fields(organ: Organ) -> dict[str, str]:
    return {tag: getattr(organ, attr) for tag, attr in ORGAN_TAGS}


def _organ_xml(tag: str, organ: dict[str, str]) -> str:
    inner = "".join(f"<edXML:{k}>{escape(organ[k])}</edXML:{k}>" for k, _attr in ORGAN_TAGS)
    return f"<edXML:{tag}>{inner}</edXML:{tag}>"


def _el(tag: str, value: object) -> str:
    return f"<edXML:{tag}>{escape(str(value))}</edXML:{tag}>"


def package_fields(meta: dict, config: ExchangeConfig, pages: int, warnings: list[str]) -> dict:
    """The MessageHeader's fields for one document, as a plain mapping (what `edxml read` returns)."""
    ex = meta.get("exchange") or {}
    contacts = ex.get("Contacts") or {}
    sender = Organ(**{**config.sender.__dict__})
    sender.organ_id = sender.organ_id or str(ex.get("OrganId", ""))  # from the agency profile (vanthu.toml)
    sender.name = sender.name or str(meta.get("OrganName", ""))
    for key in ("address", "email", "telephone", "fax", "website"):
        if not getattr(sender, key):
            setattr(sender, key, str(contacts.get(key if key != "address" else "address", "")))
    if not sender.organ_id:
        warnings.append(_("no organ identifier for the sender (mã định danh): OrganId is left empty; give "
                          "--organ-id or sender.organ_id in --config"))
    names = [n for n in (ex.get("KinhGui") or []) if n.strip()] or \
        [_receiver_name(n) for n in (ex.get("NoiNhan") or []) if _receiver_name(n)]
    by_name = {_fold(k): v for k, v in config.receivers.items()}
    receivers = []
    for name in names:
        known = by_name.get(_fold(_receiver_name(name)))
        organ = Organ(**known.__dict__) if known else Organ(name=_receiver_name(name))
        organ.name = organ.name or _receiver_name(name)
        if not organ.organ_id:
            warnings.append(_("no organ identifier for the receiver '{name}': give it under receivers in "
                              "--config").format(name=organ.name))
        receivers.append(organ)
    date = str(ex.get("PromulgationDate", ""))
    # the configuration names a type by its key (cong_van), its abbreviation (TB) or its name
    codes = {_fold(k): v for k, v in config.type_codes.items()}
    type_code = next((codes[_fold(str(c))] for c in (ex.get("TypeKey"), ex.get("TypeAbbreviation"),
                                                    meta.get("TypeName")) if c and _fold(str(c)) in codes), "")
    if not type_code:
        warnings.append(_("no DocumentType code for {type} in the configuration (type_codes): Type is left "
                          "empty").format(type=meta.get("TypeName", "")))
    return {
        "From": organ_fields(sender),
        "To": [organ_fields(r) for r in receivers],
        "DocumentId": f"{sender.organ_id},{date.replace('-', '/')},{meta.get('SoKyHieu', '')}",
        "Code": {"CodeNumber": str(meta.get("CodeNumber", "")), "CodeNotation": str(meta.get("CodeNotation", ""))},
        "PromulgationInfo": {"Place": str(ex.get("Place", "")), "PromulgationDate": date.replace("-", "/")},
        "DocumentType": {"Type": type_code, "TypeDetail": config.type_detail, "TypeName": str(meta.get("TypeName"))},
        "Subject": str(meta.get("Subject", "")),
        "Content": str(meta.get("Subject", "")),
        "SignerInfo": [{"Competence": s.get("Competence", ""), "Position": s.get("Position", ""),
                        "FullName": s.get("FullName", "")} for s in ex.get("Signers") or []],
        "OtherInfo": {"Priority": int(meta.get("Priority") or 0),
                      "SphereOfPromulgation": config.sphere_of_promulgation,
                      "TyperNotation": str(ex.get("TyperNotation", "")),
                      "PromulgationAmount": int(meta.get("IssuedAmount") or 0), "PageAmount": pages,
                      "Appendixes": [str(a) for a in ex.get("Appendixes") or []]},
        "SteeringType": config.steering_type,
        "ToPlaces": [str(n) for n in ex.get("NoiNhan") or []],
    }


def package_xml(fields: dict, attachments: list[tuple[str, bytes]], config: ExchangeConfig, now: dt.datetime) -> bytes:
    """The package's bytes: every child of the envelope with the edXML: prefix, as the national
    exchange's receivers expect (notes/next-features.md §A.2)."""
    f = fields
    header = [_organ_xml("From", f["From"]), *(_organ_xml("To", t) for t in f["To"]),
              _el("DocumentId", f["DocumentId"]),
              "<edXML:Code>" + _el("CodeNumber", f["Code"]["CodeNumber"])
              + _el("CodeNotation", f["Code"]["CodeNotation"]) + "</edXML:Code>",
              "<edXML:PromulgationInfo>" + _el("Place", f["PromulgationInfo"]["Place"])
              + _el("PromulgationDate", f["PromulgationInfo"]["PromulgationDate"]) + "</edXML:PromulgationInfo>",
              "<edXML:DocumentType>" + "".join(_el(k, v) for k, v in f["DocumentType"].items())
              + "</edXML:DocumentType>",
              _el("Subject", f["Subject"]), _el("Content", f["Content"]),
              *("<edXML:SignerInfo>" + "".join(_el(k, v) for k, v in s.items()) + "</edXML:SignerInfo>"
                for s in f["SignerInfo"])]
    other = f["OtherInfo"]
    header.append("<edXML:OtherInfo>" + "".join(_el(k, other[k]) for k in (
        "Priority", "SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount"))
        + "<edXML:Appendixes>" + "".join(_el("Appendix", a) for a in other["Appendixes"]) + "</edXML:Appendixes>"
        + "</edXML:OtherInfo>")
    header.append(_el("SteeringType", f["SteeringType"]))
    header.append("<edXML:ToPlaces>" + "".join(_el("Place", p) for p in f["ToPlaces"]) + "</edXML:ToPlaces>")
    trace = ("<edXML:TraceHeaderList><edXML:TraceHeader>" + _el("OrganId", f["From"]["OrganId"])
             + _el("Timestamp", now.astimezone(VIETNAM).strftime("%Y/%m/%d %H:%M:%S")) + "</edXML:TraceHeader>"
             + "<edXML:Bussiness>" + _el("DocumentId", f["DocumentId"])
             + _el("BussinessDocType", config.bussiness_doc_type)
             + _el("BussinessDocReason", config.bussiness_doc_reason) + _el("Paper", 0) + "</edXML:Bussiness>"
             + "</edXML:TraceHeaderList>")
    references, encoded = [], []
    for i, (name, data) in enumerate(attachments, start=1):
        cid = f"cid:{i}"
        references.append(
            "<edXML:Reference>" + _el("ContentId", cid) + _el("ContentType", "application/pdf")
            + _el("Description", name) + _el("AttachmentName", name)
            + f'<vanthu:Digest xmlns:vanthu="{VANTHU_NS}" algorithm="SHA-256">{hashlib.sha256(data).hexdigest()}'
            + "</vanthu:Digest></edXML:Reference>")
        encoded.append(
            f"<Attachment><ContentId>{escape(cid)}</ContentId><AttachmentName>{escape(name)}</AttachmentName>"
            f"<Description>{escape(name)}</Description><ContentType>application/pdf</ContentType>"
            f'<edXML:ContentTransferEncoded xmlns:edXML="{NS}">{base64.b64encode(data).decode("ascii")}'
            "</edXML:ContentTransferEncoded></Attachment>")
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NS}">'
            f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>'
            + "".join(header) + "</edXML:MessageHeader>" + trace + "</edXML:edXMLHeader>"
            + '<edXML:edXMLBody><edXML:edXMLManifest version="1.0">' + "".join(references)
            + "</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>"
            + "<AttachmentEncoded>" + "".join(encoded) + "</AttachmentEncoded></edXML>\n")
    return text.encode("utf-8")


def write_packages(folder: Path, out_dir: Path, config: ExchangeConfig, *, strict: bool = False,
                   now: dt.datetime | None = None) -> list[PackageResult]:
    now = now or dt.datetime.now(VIETNAM)
    results = []
    for entry in read_entries(folder):
        if entry.get("status") not in ("written", "unchanged") or not entry.get("output"):
            continue
        docx = folder / Path(str(entry["output"])).name  # only the batch's own folder is read
        result = PackageResult(docx)
        results.append(result)
        meta = entry.get("metadata") or {}
        pdf = docx.with_suffix(".pdf")
        if entry.get("draft") or not meta.get("CodeNumber") or not meta.get("IssuedDate"):
            result.skipped = _("{name}: not issued (a draft, or no number or date): no package").format(
                name=docx.name)
            continue
        if not pdf.is_file():
            result.error = _("{name}: no PDF beside it: convert and sign it first (vanthu pdf, vanthu sign)").format(
                name=docx.name)
            continue
        if not _signed(pdf):
            result.warnings.append(_("{name}: the PDF is not signed").format(name=pdf.name))
        appendices = sorted(folder.glob(f"{docx.stem}_phu-luc-*.pdf"))
        result.attachments = [pdf, *appendices]
        result.fields = package_fields(meta, config, _pages(pdf), result.warnings)
        if strict and result.warnings:
            result.error = _("--strict: {name} is not written ({warnings})").format(
                name=docx.name, warnings="; ".join(result.warnings))
            continue
        data = package_xml(result.fields, [(p.name, p.read_bytes()) for p in result.attachments], config, now)
        problems = validate_bytes(data)
        if problems:  # vanthu's own output breaking the schema: a fault of vanthu's, said plainly
            result.error = _("{name}: the package does not match the schema: {problems}").format(
                name=docx.name, problems="; ".join(problems[:5]))
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        result.target = out_dir / f"{docx.stem}.edxml"
        atomic_write(result.target, data)
    return results
