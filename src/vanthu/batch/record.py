"""One record's pipeline: validate → choose the template → name → render into a temporary file.

The batch (batch/run.py) renames the file into place; nothing here prints or decides names
across records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import __version__
from ..archive.fields import document_fields
from ..errors import Origin, Problem, VanthuError
from ..i18n import _
from ..model import AUTO_NUMBER, VanBan
from ..naming import NamePattern, is_numbered_variant, output_name
from ..nd30 import layout
from ..nd30.doc_types import template_for
from ..nd30.numbering import format_number
from ..nd30.references import unreferenced_appendices
from ..ooxml.package import write_temporary
from ..records.merge import Recipient
from ..records.source import RawRecord
from ..records.validate import validate_record
from ..render.builtin import builtin_template_dir
from ..render.context import build_context
from ..render.engine import CompiledTemplate
from ..textwidth import text_width_mm
from .state import Rendered


@dataclass
class RecordResult:
    """What became of one record (or of an input that yielded no record)."""

    source: str
    status: str = "failed"  # written, unchanged, failed; removed: the record is gone, so is its file
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    identity: str = ""
    input_hash: str = ""
    name: str = ""  # proposed file name
    temp: Path | None = None  # the rendered document, written by the worker, renamed by the batch
    digest: str = ""  # sha256 of the rendered document
    replaced: Path | None = None  # the record's earlier file, removed as it now has another name
    order: int = -1  # position in its input file (record × recipient); -1 for the file's own problems
    traceback: str = ""  # of an unexpected error (a fault of vanthu's own), shown with --verbose
    register_key: str = ""  # the record's identity in the register, when it has a number there
    metadata: dict[str, object] = field(default_factory=dict)  # Phụ lục VI fields, for the archive
    key: str = ""  # the record's key across batches (its ma, else file name and position): review pairs by it
    draft: str = ""  # the draft mark printed on it (generate --draft)

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")


class Renderer:
    """Templates compiled once per process, shared by every record it renders."""

    def __init__(self, user_template: Path | None = None):
        self.user_template = CompiledTemplate.load(user_template) if user_template else None
        self._builtin: dict[str, CompiledTemplate] = {}

    def template_for(self, doc: VanBan) -> CompiledTemplate | None:
        if self.user_template:
            return self.user_template
        name = template_for(doc.loai)
        if name is None:
            return None
        if name not in self._builtin:
            builtin = CompiledTemplate.load(builtin_template_dir() / name)
            builtin.trusted = True  # vanthu's own: no user code in it to bound
            self._builtin[name] = builtin
        return self._builtin[name]


# An appendix table past this many rows is hard for a reader to use; it is still rendered.
APPENDIX_ROWS_WARNING = 1_000


def _warnings(doc: VanBan, raw: RawRecord) -> list[Problem]:
    out = []
    for i, appendix in enumerate(doc.phu_luc):
        rows = len(appendix.bang.dong) if appendix.bang else 0
        if rows > APPENDIX_ROWS_WARNING:
            out.append(Problem(raw.origin(("phu_luc", i)), f"phu_luc[{i}].bang", _(
                "the appendix table has {rows} rows (more than {limit}): a reader can hardly use it; consider a "
                "workbook sent with the document").format(rows=rows, limit=APPENDIX_ROWS_WARNING), "warning"))
    for number in unreferenced_appendices(doc.noi_dung, len(doc.phu_luc)):
        out.append(Problem(raw.origin(("noi_dung",)), "noi_dung", _(
            "the body does not refer to Phụ lục {number}; the decree requires the text to point to each "
            "appendix").format(number=number), "warning"))
    return out


def input_hash(raw: RawRecord, template: CompiledTemplate, draft: bool = False) -> str:
    """What the output depends on: the record's content, the template's bytes, vanthu's version,
    and whether it is made as a draft."""
    digest = hashlib.sha256()
    digest.update(json.dumps(raw.data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update(template.digest.encode())
    digest.update(__version__.encode())
    if draft:
        digest.update(b"draft")
    return digest.hexdigest()


def draft_label(doc: VanBan) -> str:
    """The draft mark's text: "Dự thảo lần N" when the record says which draft, else "DỰ THẢO"."""
    return layout.DRAFT_LABEL_NUMBERED.format(n=doc.du_thao) if doc.du_thao else layout.DRAFT_LABEL


def _without_auto_number(raw: RawRecord) -> RawRecord:
    """A draft takes no number: `so: auto` is not an error in it, only left blank."""
    if not isinstance(raw.data, dict) or str(raw.data.get("so", "")).strip().casefold() != AUTO_NUMBER:
        return raw
    data = {k: v for k, v in raw.data.items() if k != "so"}
    return RawRecord(data, raw.located, raw.file, raw.index, raw.problems, raw.in_list, raw.locate)


def as_draft(doc: VanBan) -> VanBan:
    """The document as a draft: số and the day and month blank (given when it is issued); the
    year stays, as the printed date line keeps it."""
    return doc.model_copy(update={"so": None, "ngay": None,
                                  "nam": doc.nam if doc.nam else (doc.ngay.year if doc.ngay else None)})


class MissingVariablesError(VanthuError):
    """The template reads variables the record does not give."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def write_document(doc: VanBan, template: CompiledTemplate, out_dir: Path, draft: bool = False
                   ) -> tuple[Path, str]:
    """The rendering path of one validated record: context, template, zip, a temporary file.

    Returns the temporary file (the batch renames it into place) and its sha256. Raises
    MissingVariablesError, jinja2.TemplateError or OSError. bench/render.py times this function.
    """
    context = build_context(doc, main_sectpr=template.main_sectpr, appendix_footer_rid=template.appendix_footer_rid)
    missing = template.missing(context)
    if missing:
        raise MissingVariablesError(missing)
    data = template.render(context)
    if draft:
        from ..ooxml.draft import DraftMarks, mark_draft_bytes  # lxml, loaded only for drafts

        label = draft_label(doc)
        width = text_width_mm(label, layout.DRAFT_MARK_SIZE_PT, True) + layout.STAMP_TEXT_MARGIN_MM
        data = mark_draft_bytes(data, DraftMarks(label, layout.DRAFT_LABEL, width))
    # the worker writes the file; the batch only gives it its final name (a rename)
    return write_temporary(out_dir, data), hashlib.sha256(data).hexdigest()


def file_name(doc: VanBan, recipient: Recipient | None, pattern: NamePattern | None = None) -> str:
    """The document's file name: from the batch's --name pattern, or type_number_date_summary."""
    # a giấy giới thiệu or nghỉ phép has no trích yếu: its file is named after the person
    person = doc.gioi_thieu or doc.nghi_phep
    summary = doc.trich_yeu or (person.ho_ten if person else "")
    if pattern is None:
        return output_name(doc.loai.key, doc.so, doc.ngay.isoformat() if doc.ngay else None, summary,
                           recipient=str(recipient.fields.get("kinh_gui", "")) if recipient else "")
    values = {
        "loai": doc.loai.key.replace("_", "-"),
        "so": format_number(doc.so).strip() or "chua-so",
        "ky_hieu": doc.ky_hieu,
        "ngay": doc.ngay.isoformat() if doc.ngay else "chua-ngay",
        "trich_yeu": doc.trich_yeu,
        "co_quan": doc.co_quan[0].viet_tat,
        "kinh_gui": doc.kinh_gui[0] if doc.kinh_gui else "",
    }
    groups = {"nguoi_nhan": recipient.fields if recipient else {}, "du_lieu": doc.du_lieu}
    return pattern.name(values, groups)


def unexpected(source: str, origin: Origin, exc: Exception, identity: str = "") -> RecordResult:
    """A failure from a fault of vanthu's own, said in a line like any other problem; its
    traceback travels with it for --verbose."""
    import traceback  # only when something went wrong: it is most of a module's import cost

    return RecordResult(source, identity=identity, problems=[Problem(origin, "", _(
        "unexpected error: {detail}").format(detail=f"{type(exc).__name__}: {exc}"))],
        traceback="".join(traceback.format_exception(exc)))


def render_record(raw: RawRecord, renderer: Renderer, identity: str, previous: Rendered | None,
                  out_dir: Path, force: bool, recipient: Recipient | None = None,
                  strict: bool = False, name_pattern: NamePattern | None = None, draft: bool = False
                  ) -> RecordResult:
    """Validate and render one record into a temporary file in out_dir; the batch names it.
    A draft (generate --draft) is rendered with its marks, số and date left blank."""
    result = RecordResult(raw.label, identity=identity)
    doc, problems = validate_record(_without_auto_number(raw) if draft else raw)
    result.problems += problems
    if doc is None:
        return result
    if draft:
        doc = as_draft(doc)
        result.draft = draft_label(doc)
    result.problems += _warnings(doc, raw)
    result.metadata = document_fields(doc)
    if strict and result.problems:
        result.problems.append(Problem(raw.origin(()), "", _("--strict: the warnings above stop this record")))
        return result
    template = renderer.template_for(doc)
    if template is None:
        result.problems.append(Problem(raw.origin(("loai",)), "loai", _(
            "vanthu has no built-in template for '{type}'; give your own with --template").format(type=doc.loai.name)))
        return result
    result.input_hash = input_hash(raw, template, draft)
    result.name = file_name(doc, recipient, name_pattern)
    # unchanged only under the name it would get now (a new --name pattern renames it)
    if previous and not force and previous.input == result.input_hash \
            and is_numbered_variant(previous.name, result.name):
        existing = out_dir / previous.name
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == previous.sha256:
            result.status, result.name = "unchanged", previous.name
            return result
    try:
        result.temp, result.digest = write_document(doc, template, out_dir, draft)
    except MissingVariablesError as exc:
        for name in exc.names:
            result.problems.append(Problem(raw.origin(()), name, _(
                "the template {template} uses '{name}', which the record does not provide").format(
                template=template.path.name, name=name)))
        return result
    except (jinja2.TemplateError, OverflowError) as exc:  # OverflowError: the sandbox's bound on range()
        result.problems.append(Problem(raw.origin(()), "", _("the template {template} failed: {detail}").format(
            template=template.path.name, detail=exc)))
        return result
    except OSError as exc:
        result.problems.append(Problem(raw.origin(()), "", _("cannot write {path}: {detail}").format(
            path=out_dir, detail=exc.strerror or exc)))
        return result
    result.status = "written"
    return result
