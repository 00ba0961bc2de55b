"""A document's Phụ lục VI fields (Phần II Mục I), from its validated record.

The batch computes them as it renders and keeps them in batch-report.json, so that an archive
made later carries what the record said, not what can be read back from a page. The fields
that belong to the archive rather than to the document (FileCode, DocOrdinal, PageAmount)
are filled when the batch is packed.
"""

from __future__ import annotations

from ..model import NhomNoiNhan, VanBan
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
    }
