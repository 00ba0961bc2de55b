"""The review pages as HTML strings: the batch's index and one page per document. The static
site (review/site.py) writes them to disk; the web application serves the same strings.

Every value is escaped (the record's text is data); the styles and the small script are inlined,
so a page opens from disk with no server and nothing fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import __version__
from .collect import CHANGED, NEW, REMOVED, UNCHANGED, ReviewBatch, ReviewDocument

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATUS_LABELS = {CHANGED: "Có thay đổi", UNCHANGED: "Không đổi", NEW: "Mới", REMOVED: "Đã bỏ"}
KIND_LABELS = {"changed": "đoạn sửa", "inserted": "đoạn mới", "deleted": "đoạn bỏ"}

Link = Callable[[ReviewDocument], str]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    """vanthu's own style sheet or script, inlined as it is (never user text)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def status_label(doc: ReviewDocument) -> str:
    if doc.status:
        return STATUS_LABELS[doc.status]
    return doc.draft or ("Đã có số" if doc.number else "Chưa có số")


def heading(doc: ReviewDocument) -> str:
    """'Thông báo 05/TB-SCT', 'Thông báo (Dự thảo lần 2)'."""
    name = doc.type_name or doc.slug
    if doc.number:
        return f"{name} {doc.number}"
    return f"{name} ({doc.draft})" if doc.draft else name


def index_html(batch: ReviewBatch, *, link: Link | None = None) -> str:
    """The batch's index: every document, sortable and filterable."""
    link = link or (lambda d: f"van-ban/{d.slug}.html")
    return _environment().get_template("index.html").render(
        title=batch.folder.name, documents=batch.documents, types=batch.types,
        previous=batch.previous.name if batch.previous else "", statuses=list(STATUS_LABELS.items()),
        version=__version__, link=link, status_label=status_label, css=Markup(_asset("base.css")),
        script=Markup(_asset("index.js")))


def document_html(batch: ReviewBatch, doc: ReviewDocument, *, index: str = "../index.html",
                  link: Link | None = None, prefix: str = "../") -> str:
    """One document's page: facts, findings, the difference from its previous draft, its pages.
    prefix leads from the page to the site's root (where the page pictures are)."""
    link = link or (lambda d: f"{d.slug}.html")
    i = batch.documents.index(doc)
    before = batch.documents[i - 1] if i > 0 else None
    after = batch.documents[i + 1] if i + 1 < len(batch.documents) else None
    return _environment().get_template("document.html").render(
        d=doc, heading=heading(doc), status=status_label(doc), index=index, link=link, prefix=prefix,
        before=before, after=after, before_label=heading(before) if before else "",
        after_label=heading(after) if after else "", kinds=KIND_LABELS,
        changes=sum(1 for p in doc.diff or [] if p.kind != "equal"), css=Markup(_asset("base.css")))
