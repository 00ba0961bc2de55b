"""Fixed texts of the decree: Quốc hiệu, Tiêu ngữ, marks, Nơi nhận forms — nd30.md §2.2, §8."""

from __future__ import annotations

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# Mục V of the decree spells "HOÀ" (older tone-mark placement); both are the same word.
QUOC_HIEU_VARIANTS = (QUOC_HIEU, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
# ASCII hyphens with a space on each side ("có cách chữ").
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

# Ô 10b: urgency, each a pre-made stamp of a fixed size (width, height in mm).
DO_KHAN = {"KHẨN": (20, 8), "THƯỢNG KHẨN": (40, 8), "HỎA TỐC": (30, 8)}
# The decree text spells "HOẢ TỐC"; same word, older tone placement.
DO_KHAN_ALIASES = {"HOẢ TỐC": "HỎA TỐC"}
# Ô 10a: the three secrecy levels of the state-secret law.
DO_MAT = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
# Ô 11: circulation notes the decree names as examples ("như ...").
PHAM_VI_LUU_HANH = ("LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI")

NOI_NHAN_LABEL = "Nơi nhận:"
KINH_GUI_LABEL = "Kính gửi:"
# First Nơi nhận line when the document has a Kính gửi block (Mục II.9.b).
NHU_TREN = "Như trên"
# Văn thư always keeps a copy: the Lưu line starts with VT.
LUU_VAN_THU = "VT"
# Closing mark of a document's content ("./." in the model layouts).
KET_THUC = "./."
QUYET_DINH_LEAD = "QUYẾT ĐỊNH:"
QUYET_NGHI_LEAD = "QUYẾT NGHỊ:"  # a Nghị quyết's (Mẫu 1.1)
