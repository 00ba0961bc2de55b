"""The namespace table of the OOXML parts vanthu reads and writes, once for the whole project."""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"

NS = {"w": W, "a": A, "r": R, "wp": WP, "v": VML}
R_ID = f"{{{R}}}id"


def w(tag: str) -> str:
    """Clark notation of a WordprocessingML tag or attribute: w('p') -> '{…/main}p'."""
    return f"{{{W}}}{tag}"
