"""One clerk of the concurrency tests: N allocations from a register, each in its own
transaction, as separate `vanthu generate` runs would; prints the numbers it got."""

from __future__ import annotations

import sys

from vanthu.records.source import RawRecord
from vanthu.records.validate import validate_record
from vanthu.register.allocate import Allocation, Request, allocate
from vanthu.register.store import Register

RECORD = {
    "loai": "TB", "co_quan": {"chu_quan": "UBND TỈNH LẠNG SƠN", "ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"},
    "so": 1, "dia_danh": "Lạng Sơn", "ngay": "10/09/2026", "trich_yeu": "Về việc thử", "noi_dung": "Nội dung.",
    "nguoi_ky": {"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"}, "noi_nhan": ["UBND tỉnh"], "luu": ["VP"],
}


def main(url: str, worker: int, count: int) -> None:
    doc, problems = validate_record(RawRecord(dict(RECORD), None, "worker"))
    assert doc is not None, problems
    register = Register(url)
    got = []
    for i in range(count):
        (result,) = allocate(register, [Request.of(doc, f"ma:w{worker}-{i}", f"worker {worker}", auto=True)])
        assert isinstance(result, Allocation), result
        got.append(result.so)
    register.close()
    print(" ".join(map(str, got)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
