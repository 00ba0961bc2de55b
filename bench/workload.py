"""The realistic notice the benchmarks render: header, 10 body blocks, a 20-row appendix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

BODY = "\n".join([
    "Thực hiện chương trình xúc tiến thương mại năm 2021, Sở Công Thương thông báo như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Giới thiệu năng lực sản xuất của các doanh nghiệp công nghiệp hỗ trợ và chế biến chế tạo; kết nối "
    "doanh nghiệp trong tỉnh với các đối tác trong nước và quốc tế.",
    "2. Yêu cầu",
    "- Bảo đảm an toàn, tiết kiệm, hiệu quả; đúng tiến độ đề ra;",
    "- Các đơn vị phối hợp chặt chẽ, thường xuyên trao đổi thông tin.",
    "II. NỘI DUNG",
    "Triển lãm khai mạc lúc **09 giờ 00 phút, ngày 20 tháng 9 năm 2021**; nhiệm vụ cụ thể tại Phụ lục I.",
    "Đơn vị có nhu cầu tham gia đăng ký với Sở Công Thương trước ngày 15 tháng 9 năm 2021.",
])


def notice(i: int) -> dict:
    rows = [[str(r), f"Nhiệm vụ số {r} của đợt {i}: chuẩn bị gian hàng, tài liệu giới thiệu sản phẩm",
             f"Phòng {r % 4 + 1}", "Các phòng thuộc Sở", "Quý III"] for r in range(1, 21)]
    return {
        "loai": "TB",
        "co_quan": {"chu_quan": "UBND TỈNH LẠNG SƠN", "ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"},
        "so": i + 1,
        "dia_danh": "Lạng Sơn",
        "ngay": "10/09/2021",
        "trich_yeu": f"Về việc tổ chức Triển lãm quốc tế về công nghiệp hỗ trợ, đợt {i + 1}",
        "noi_dung": BODY,
        "nguoi_ky": {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC",
                     "ho_ten": "Nguyễn Văn An"},
        "noi_nhan": ["UBND tỉnh (b/c)", "Các sở, ban, ngành", "Các doanh nghiệp"],
        "luu": ["QLCN"],
        "phu_luc": [{"tieu_de": "Danh mục nhiệm vụ", "bang": {
            "cot": ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"], "dong": rows}}],
    }


def write_records(folder: Path, count: int, per_file: int = 50) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, per_file):
        items = [notice(i) for i in range(start, min(start + per_file, count))]
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(items, Dumper=dumper, allow_unicode=True, sort_keys=False)
        (folder / f"tb-{start:06d}.yaml").write_text(text, encoding="utf-8")
    return folder


def compile_vanthu() -> None:
    """vanthu's modules byte-compiled, as pip compiles an installed package (the libraries it is
    measured against were, when pip installed them). A checkout installed with `pip install -e`
    under PYTHONDONTWRITEBYTECODE would otherwise compile vanthu's source in every process."""
    import vanthu

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(vanthu.__file__).parent)], check=True,
                   stdout=subprocess.DEVNULL)
