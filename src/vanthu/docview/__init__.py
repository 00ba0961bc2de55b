"""The document view shared by the checker and the PDF stage."""

from .elements import DocumentView, DrawnRule, Paragraph, Section

__all__ = ["DocumentView", "DrawnRule", "Paragraph", "Section"]
