"""What a review shows of a batch: each document's facts (from batch-report.json), its
conformance findings, its text, and — against a previous batch — its difference and status."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.report import read_entries
from ..errors import UnreadableDocument
from ..ooxml.reader import WordDocument
from .diff import ParagraphDiff, Piece, changed, paragraph_diff

# Status of a document against the previous batch.
NEW, CHANGED, UNCHANGED, REMOVED = "new", "changed", "unchanged", "removed"


@dataclass(frozen=True)
class ReviewFinding:
    code: str
    severity: str  # 'error', 'warning'
    title: str
    clause: str
    message: str
    location: str


@dataclass
class ReviewDocument:
    key: str  # the record's key across batches
    slug: str  # the document's page and pictures are named from it
    type_name: str
    number: str  # "05/TB-SCT"; "" for a draft or a document left for e-office stamping
    draft: str  # the draft mark ("Dự thảo lần 2"), or ""
    subject: str
    signer: str
    docx: Path | None
    pdf: Path | None = None  # the batch's own PDF, when it is as new as the .docx
    findings: list[ReviewFinding] = field(default_factory=list)
    unreadable: str = ""
    paragraphs: list[str] = field(default_factory=list)
    status: str = ""  # NEW, CHANGED, UNCHANGED, REMOVED; "" without a previous batch
    diff: list[ParagraphDiff] | None = None
    pages: list[str] = field(default_factory=list)  # page pictures, relative to the site
    preview_problem: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def number_value(self) -> int:
        """The number as an integer, for sorting (0 when there is none)."""
        match = re.match(r"\d+", self.number)
        return int(match[0]) if match else 0


@dataclass
class ReviewBatch:
    folder: Path
    documents: list[ReviewDocument]
    previous: Path | None = None

    @property
    def types(self) -> list[str]:
        return sorted({d.type_name for d in self.documents if d.type_name})


def _key(entry: dict, seen: dict[str, int]) -> str:
    """The entry's key; a report written before keys were kept pairs by file name and position."""
    if entry.get("key"):
        return str(entry["key"])
    name = Path(str(entry.get("source", "")).split("#")[0]).name
    n = seen.get(name, 0)
    seen[name] = n + 1
    return f"{name}#{n}"


def _slug(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem)[:80] or "van-ban"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def text_of(path: Path) -> list[str]:
    """The document's paragraphs (table cells included), in reading order, blank ones left out."""
    return [" ".join(p.text.split()) for p in WordDocument(path).paragraphs if p.text.strip()]


def _documents(folder: Path, taken: set[str]) -> list[ReviewDocument]:
    out = []
    seen: dict[str, int] = {}
    for entry in read_entries(folder):
        key = _key(entry, seen)
        if entry.get("status") not in ("written", "unchanged") or not entry.get("output"):
            continue
        # a batch writes its documents into its own folder: only a name there is read (the folder
        # may have moved since; a report pointing elsewhere is not followed)
        docx = folder / Path(str(entry["output"])).name
        if docx.suffix.lower() != ".docx" or not docx.is_file():
            continue
        meta = entry.get("metadata") or {}
        signer = " ".join(str(meta.get(k, "")) for k in ("SignerInfo.Position", "SignerInfo.FullName")).strip()
        pdf = docx.with_suffix(".pdf")
        fresh_pdf = pdf if pdf.is_file() and pdf.stat().st_mtime >= docx.stat().st_mtime else None
        out.append(ReviewDocument(key, _slug(docx, taken), str(meta.get("TypeName", "")),
                                  "" if entry.get("draft") else str(meta.get("SoKyHieu", "")),
                                  str(entry.get("draft", "")), str(meta.get("Subject", "")), signer, docx,
                                  fresh_pdf))
    return out


def _check(documents: list[ReviewDocument]) -> None:
    from ..check.engine import check_file
    from ..check.registry import select

    rules = select(None, None)
    for doc in documents:
        if doc.docx is None:
            continue
        report = check_file(doc.docx, rules)
        doc.unreadable = report.unreadable or ""
        doc.findings = [ReviewFinding(r.rule.code, r.rule.severity, r.rule.title, r.rule.clause, f.message,
                                      f.location)
                        for r in report.results if r.status == "fail" for f in r.findings]


def collect(folder: Path, previous: Path | None = None) -> ReviewBatch:
    """A batch folder's documents with their findings and text; with `previous`, each paired
    with the same record's document there (by its key) and compared word by word."""
    taken: set[str] = set()
    documents = _documents(folder, taken)
    _check(documents)
    for doc in documents:
        try:
            doc.paragraphs = text_of(doc.docx) if doc.docx else []
        except UnreadableDocument:
            doc.paragraphs = []
    batch = ReviewBatch(folder, documents, previous)
    if previous is None:
        return batch
    earlier = {d.key: d for d in _documents(previous, set())}
    for doc in documents:
        before = earlier.pop(doc.key, None)
        if before is None:
            doc.status = NEW
            continue
        try:
            old = text_of(before.docx) if before.docx else []
        except UnreadableDocument:
            old = []
        doc.diff = paragraph_diff(old, doc.paragraphs)
        doc.status = CHANGED if changed(doc.diff) else UNCHANGED
    for before in earlier.values():  # in the previous batch only: its text, all of it removed
        before.slug = _slug(Path(f"bo-{before.slug}"), taken)
        before.status = REMOVED
        try:
            old = text_of(before.docx) if before.docx else []
        except UnreadableDocument:
            old = []
        before.diff = [ParagraphDiff("deleted", (Piece("delete", p),)) for p in old]
        before.docx, before.pdf = None, None
        documents.append(before)
    return batch
