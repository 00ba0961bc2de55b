"""Reading a received edXML package: its structure and required fields against the schema, every
manifest entry matched by an attachment (and back), each attachment decoded and checked against
its SHA-256 where the sender gave one; then its documents and a record of its metadata are
written into a folder — all of it or, when anything is wrong, nothing."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree

from ..i18n import _
from .schema import MAX_PACKAGE_BYTES, NS, VANTHU_NS, parser, problems_of, q

ORGAN_TAGS = ("OrganId", "OrganizationInCharge", "OrganName", "OrganAdd", "Email", "Telephone", "Fax", "Website")


@dataclass
class ReceivedFile:
    name: str
    path: Path | None
    sha256: str
    size: int


@dataclass
class ReceivedPackage:
    source: Path
    fields: dict = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)
    record: Path | None = None  # the metadata, as YAML
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(el: etree._Element | None, tag: str) -> str:
    found = el.find(q(tag)) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def _organ(el: etree._Element) -> dict[str, str]:
    return {tag: _text(el, tag) for tag in ORGAN_TAGS}


def _int(value: str) -> int | str:
    return int(value) if re.fullmatch(r"-?\d+", value) else value


def header_fields(header: etree._Element) -> dict:
    """The MessageHeader as the same mapping `vanthu edxml` writes from."""
    other = header.find(q("OtherInfo"))
    places = header.find(q("ToPlaces"))
    fields = {
        "From": _organ(header.find(q("From"))),
        "To": [_organ(t) for t in header.findall(q("To"))],
        "DocumentId": _text(header, "DocumentId"),
        "Code": {"CodeNumber": _text(header.find(q("Code")), "CodeNumber"),
                 "CodeNotation": _text(header.find(q("Code")), "CodeNotation")},
        "PromulgationInfo": {"Place": _text(header.find(q("PromulgationInfo")), "Place"),
                             "PromulgationDate": _text(header.find(q("PromulgationInfo")), "PromulgationDate")},
        "DocumentType": {k: _text(header.find(q("DocumentType")), k) for k in ("Type", "TypeDetail", "TypeName")},
        "Subject": _text(header, "Subject"),
        "Content": _text(header, "Content"),
        "SignerInfo": [{k: _text(s, k) for k in ("Competence", "Position", "FullName")}
                       for s in header.findall(q("SignerInfo"))],
        "OtherInfo": {"Priority": _int(_text(other, "Priority")),
                      "SphereOfPromulgation": _text(other, "SphereOfPromulgation"),
                      "TyperNotation": _text(other, "TyperNotation"),
                      "PromulgationAmount": _int(_text(other, "PromulgationAmount")),
                      "PageAmount": _int(_text(other, "PageAmount")),
                      "Appendixes": [(a.text or "").strip() for a in other.iter(q("Appendix"))]
                      if other is not None else []},
        "SteeringType": _int(_text(header, "SteeringType")),
        "ToPlaces": [(p.text or "").strip() for p in places.findall(q("Place"))] if places is not None else [],
    }
    if header.find(q("DueDate")) is not None:
        fields["DueDate"] = _text(header, "DueDate")
    return fields


def _safe_name(name: str, taken: set[str]) -> str:
    """A file name of the package's own, kept inside the folder: no path, no leading dot."""
    base = re.sub(r"[\x00-\x1f/\\:]+", "_", Path(name.replace("\\", "/")).name).lstrip(".") or "tep"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        stem, dot, suffix = base.rpartition(".")
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{base}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def read_package(path: Path, out_dir: Path) -> ReceivedPackage:
    result = ReceivedPackage(path)
    size = path.stat().st_size
    if size > MAX_PACKAGE_BYTES:
        result.problems.append(_("{path} is {size} MB, more than the {limit} MB a package may be").format(
            path=path.name, size=size // 2**20, limit=MAX_PACKAGE_BYTES // 2**20))
        return result
    try:
        root = etree.parse(str(path), parser()).getroot()
    except etree.XMLSyntaxError as exc:
        result.problems.append(_("{path} is not well-formed XML: {detail}").format(path=path.name, detail=exc))
        return result
    result.problems += problems_of(root)
    if result.problems:
        return result
    header = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('MessageHeader')}")
    result.fields = header_fields(header)
    references = root.findall(f".//{q('edXMLManifest')}/{q('Reference')}")
    attachments = {_text(a, "ContentId"): a for a in root.iter(q("Attachment"))}
    listed = set()
    decoded: list[tuple[str, bytes]] = []
    for ref in references:
        cid, name = _text(ref, "ContentId"), _text(ref, "AttachmentName")
        listed.add(cid)
        attachment = attachments.get(cid)
        if attachment is None:
            result.problems.append(_("the manifest lists {name} ({cid}), but the package has no such attachment")
                                   .format(name=name, cid=cid))
            continue
        try:
            data = base64.b64decode("".join((_text(attachment, "ContentTransferEncoded")).split()), validate=True)
        except (binascii.Error, ValueError):
            result.problems.append(_("{name} ({cid}): the attachment is not valid base64").format(name=name, cid=cid))
            continue
        digest = ref.find(f"{{{VANTHU_NS}}}Digest")
        if digest is not None and (digest.text or "").strip().lower() != hashlib.sha256(data).hexdigest():
            result.problems.append(_("{name} ({cid}): the attachment was altered: its SHA-256 differs from the "
                                     "manifest's").format(name=name, cid=cid))
            continue
        decoded.append((name, data))
    for cid, attachment in attachments.items():
        if cid not in listed:
            result.problems.append(_("the attachment {name} ({cid}) is not in the manifest").format(
                name=_text(attachment, "AttachmentName"), cid=cid))
    if result.problems:
        return result
    _write(result, decoded, out_dir)
    return result


def _write(result: ReceivedPackage, decoded: list[tuple[str, bytes]], out_dir: Path) -> None:
    """Everything into a temporary folder beside out_dir, then moved in: never half a package."""
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".edxml-", dir=out_dir))
    try:
        taken = {p.name.casefold() for p in out_dir.iterdir()}
        names = []
        for name, data in decoded:
            safe = _safe_name(name, taken)
            (work / safe).write_bytes(data)
            names.append(safe)
            result.files.append(ReceivedFile(safe, out_dir / safe, hashlib.sha256(data).hexdigest(), len(data)))
        record_name = _safe_name(f"{result.source.stem}.yaml", taken)
        record = {"edxml": result.source.name, **result.fields,
                  "attachments": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in result.files]}
        (work / record_name).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name in [*names, record_name]:
            os.replace(work / name, out_dir / name)
        result.record = out_dir / record_name
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = ["NS", "ReceivedPackage", "read_package"]
