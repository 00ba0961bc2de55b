"""A document's Phụ lục VI fields (Phần II Mục I), from its validated record.

The batch computes them as it renders and keeps them in batch-report.json, so that an archive
made later carries what the record said, not what can be read back from a page. The fields
that belong to the archive rather than to the document (FileCode, DocOrdinal, PageAmount)
are filled when the batch is packed.
"""

from __future__ import annotations

from ..model import NhomNoiNhan, VanBan
from ..nd30.authority import signature_lines
from ..nd30.numbering import format_number
from ..nd30.register import LANGUAGE, PRIORITY_CODES


def document_fields(doc: VanBan) -> dict[str, object]:
    """Tag → value for one document; '' for what the record does not say."""
    signers = doc.nguoi_ky
    recipients = [", ".join(n.nhom) if isinstance(n, NhomNoiNhan) else n for n in doc.noi_nhan]
    notation = f"{doc.number_year}/{doc.ky_hieu}" if doc.number_year else doc.ky_hieu
    return {
        "TypeName": doc.loai.name,
        "CodeNumber": format_number(doc.so).strip() if doc.so else "",
        "CodeNotation": notation,
        "IssuedDate": doc.ngay.strftime("%d/%m/%Y") if doc.ngay else "",
        "OrganName": doc.co_quan[0].ten if len(doc.co_quan) == 1 else " - ".join(a.ten for a in doc.co_quan),
        "Subject": doc.trich_yeu,
        "Language": LANGUAGE,
        "Description": "",
        "SignerInfo.Position": "; ".join(" ".join(s.chuc_vu.split()) for s in signers),
        "SignerInfo.FullName": "; ".join(s.ho_ten for s in signers),
        "To": "; ".join(recipients),
        "Priority": PRIORITY_CODES.get((doc.do_khan or "").strip().upper(), 0),
        "IssuedAmount": doc.so_ban_phat_hanh or "",
        "DueDate": "",  # records carry no reply deadline yet
        "Confidentiality": (doc.do_mat or "").strip(),
        "Identifier": doc.ma or "",
        "SoKyHieu": doc.so_ky_hieu if doc.so else "",
        "exchange": exchange_fields(doc),
    }


def exchange_fields(doc: VanBan) -> dict[str, object]:
    """What an edXML package says beyond Phụ lục VI (QCVN 102:2016 MessageHeader): the place, each
    signer's authority line, the main recipients (Kính gửi) and the others (Nơi nhận), the drafter."""
    signers = [signature_lines(s.quyen_han, s.thay_mat, s.chuc_vu, s.ho_ten) for s in doc.nguoi_ky]
    return {
        "Place": doc.dia_danh,
        "PromulgationDate": doc.ngay.isoformat() if doc.ngay else "",
        "Signers": [{"Competence": s.authority_line or "", "Position": s.title_line or "", "FullName": s.name}
                    for s in signers],
        "KinhGui": list(doc.kinh_gui),
        "NoiNhan": [", ".join(n.nhom) if isinstance(n, NhomNoiNhan) else n for n in doc.noi_nhan],
        "TyperNotation": doc.nguoi_soan or "",
        "TypeKey": doc.loai.key,
        "TypeAbbreviation": doc.loai.abbreviation or "",
        "Appendixes": [ap.tieu_de for ap in doc.phu_luc],
        "Contacts": {"address": doc.lien_he.dia_chi or "", "telephone": doc.lien_he.dien_thoai or "",
                     "fax": doc.lien_he.fax or "", "email": doc.lien_he.email or "",
                     "website": doc.lien_he.website or ""} if doc.lien_he else {},
    }
