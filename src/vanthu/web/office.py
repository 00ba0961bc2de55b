"""A document's life in the office, each step done by vanthu.api: drafting (a version rendered as
a draft, with its review pages against the version before), submitting, approving or returning,
issuing (the register's number, PDF/A, signatures, edXML) and archiving.

Every version is a batch folder of its own (documents/N/vK/out, and its review site vK/site); an
issued document's is documents/N/issued/out. A record with an error is never kept: the version
row is taken back and its folder removed.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import api
from ..errors import Origin, Problem, VanthuError
from ..i18n import _
from ..nd30.dates import today_in_vietnam
from .settings import MAX_UPLOAD_BYTES, WebSettings
from .store import Document, User, WebStore, documents, versions

RECORD_FILE = "record.yaml"
DRAFT_STATES = ("du-thao", "tra-lai")  # a draft, or one returned to its author: edited and submitted
PREVIEW_HOURS = 2  # a form's preview pages are kept this long


class OfficeError(Exception):
    """A step the document's state or the user's role does not allow; status is the HTTP code."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Outcome:
    """What a drafting step made: the document and version, or the record's problems."""

    document_id: int | None = None
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # preview pictures, addresses under /previews/
    notes: list[str] = field(default_factory=list)
    so_ky_hieu: str = ""  # the number an issued document took

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def dump_record(record: dict[str, Any]) -> str:
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)


def _pictures(site: Path) -> list[Path]:
    """A review site's page pictures (trang/SLUG-N.png), in page order."""
    def page(picture: Path) -> int:
        number = picture.stem.rsplit("-", 1)[-1]
        return int(number) if number.isdigit() else 0

    return sorted((site / "trang").glob("*.png"), key=page)


def _is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


class Office:
    def __init__(self, settings: WebSettings, store: WebStore):
        self.settings, self.store = settings, store
        for folder in (settings.documents, settings.previews, settings.work):
            folder.mkdir(parents=True, exist_ok=True)

    # ---- where things are ------------------------------------------------------------------------

    def folder(self, document_id: int) -> Path:
        return self.settings.documents / str(document_id)

    def version_folder(self, document_id: int, version: int) -> Path:
        return self.folder(document_id) / f"v{version}"

    def issued_folder(self, document_id: int) -> Path:
        return self.folder(document_id) / "issued"

    def record(self, document_id: int, version: int) -> dict[str, Any]:
        data = yaml.safe_load(self.record_text(document_id, version) or "{}")
        return data if isinstance(data, dict) else {}

    def record_text(self, document_id: int, version: int) -> str:
        """The version's record as saved; "" while it is still being rendered."""
        try:
            return (self.version_folder(document_id, version) / RECORD_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def _folder_of(self, document_id: int, version: int | None) -> Path:
        """A version's folder, or (version None) the issued document's."""
        return self.issued_folder(document_id) if version is None else self.version_folder(document_id, version)

    def docx(self, document_id: int, version: int | None = None) -> Path | None:
        folder = self._folder_of(document_id, version) / "out"
        found = sorted(folder.glob("*.docx")) if folder.is_dir() else []
        return found[0] if found else None

    def pdf(self, document_id: int) -> Path | None:
        docx = self.docx(document_id)
        pdf = docx.with_suffix(".pdf") if docx else None
        return pdf if pdf and pdf.is_file() else None

    def edxml_file(self, document_id: int) -> Path | None:
        folder = self.issued_folder(document_id) / "edxml"
        found = sorted(folder.glob("*.edxml")) if folder.is_dir() else []
        return found[0] if found else None

    def site_page(self, document_id: int, version: int | None) -> str | None:
        """The review page of a version (or of the issued document), relative to its site."""
        pages = sorted((self._folder_of(document_id, version) / "site" / "van-ban").glob("*.html"))
        return f"van-ban/{pages[0].name}" if pages else None

    def page_pictures(self, document_id: int, version: int | None) -> list[Path]:
        return _pictures(self._folder_of(document_id, version) / "site")

    def site_file(self, document_id: int, version: int | None, relative: str) -> Path | None:
        root = self._folder_of(document_id, version) / "site"
        target = root / relative
        return target if _is_inside(target, root) and target.is_file() else None

    # ---- drafting ----------------------------------------------------------------------------------

    def _render(self, record: dict[str, Any], out: Path, version: int) -> tuple[list[Problem], list[str]]:
        """Render a record as a draft into out (a batch folder): its problems, and the batch's notes."""
        source = out.parent / RECORD_FILE
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(dump_record({**record, "du_thao": version}), encoding="utf-8")
        summary = api.generate([source], out, jobs=1, draft=True, profile=self.settings.profile, keep_all=True)
        problems = [p for d in summary.documents for p in d.problems]
        if summary.written + summary.unchanged != 1 and not any(p.severity == "error" for p in problems):
            problems.append(Problem(_origin_of(source), "", _("the record made no document")))
        return problems, summary.notes

    def save_draft(self, user: User, record: dict[str, Any], document_id: int | None = None) -> Outcome:
        """A new document (document_id None) or a new version of one, rendered as a draft with its
        review pages against the version before."""
        record = {k: v for k, v in record.items() if k != "du_thao"}
        with self.store.begin() as conn:
            if document_id is None:
                document_id = self.store.add_document(conn, str(record.get("loai", "")),
                                                      str(record.get("trich_yeu", "")), user)
                version = self.store.add_version(conn, document_id, user)
            else:
                version = self.store.add_version(conn, document_id, user, str(record.get("trich_yeu", "")))
        folder = self.version_folder(document_id, version)
        shutil.rmtree(folder, ignore_errors=True)  # a version taken back before, under the same number
        problems, notes = self._render(record, folder / "out", version)
        outcome = Outcome(document_id, version, problems, notes=notes)
        if not outcome.ok:
            shutil.rmtree(folder, ignore_errors=True)
            with self.store.begin() as conn:
                conn.execute(versions.delete().where((versions.c.document_id == document_id)
                                                     & (versions.c.number == version)))
                if version == 1:
                    conn.execute(documents.delete().where(documents.c.id == document_id))
            return Outcome(None, None, problems)
        previous = self.version_folder(document_id, version - 1) / "out" if version > 1 else None
        report = api.review(folder / "out", folder / "site", previous=previous if previous and previous.is_dir()
                            else None, jobs=1)
        outcome.notes += report.problems
        with self.store.begin() as conn:
            self.store.log(conn, user.name, "draft", document_id, f"v{version}")
        return outcome

    def preview(self, record: dict[str, Any]) -> Outcome:
        """The pages a record would make as a draft, without keeping anything but the pictures."""
        self._sweep_previews()
        token = secrets.token_urlsafe(12)
        work = Path(tempfile.mkdtemp(prefix="preview-", dir=self.settings.work))
        try:
            problems, notes = self._render(record, work / "out", 1)
            outcome = Outcome(problems=problems, notes=notes)
            if not outcome.ok:
                return outcome
            site = self.settings.previews / token
            report = api.review(work / "out", site, jobs=1)
            outcome.notes += report.problems
            outcome.pages = [f"{token}/{p.relative_to(site).as_posix()}" for p in _pictures(site)]
            return outcome
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _sweep_previews(self) -> None:
        limit = time.time() - PREVIEW_HOURS * 3600
        for folder in self.settings.previews.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def preview_file(self, relative: str) -> Path | None:
        target = self.settings.previews / relative
        return target if _is_inside(target, self.settings.previews) and target.is_file() else None

    def records_from_upload(self, filename: str, body: bytes) -> tuple[list[dict[str, Any]], list[Problem]]:
        """The records of an uploaded YAML file or workbook, read and checked as the batch reads a
        file (encodings, formulas, zip bombs …); a file with any problem gives no record."""
        if len(body) > MAX_UPLOAD_BYTES:
            raise OfficeError(_("the file is larger than {size} MB").format(size=MAX_UPLOAD_BYTES // 2**20), 413)
        suffix = Path(filename or "").suffix.lower()
        if suffix not in (".yaml", ".yml", ".xlsx"):
            raise OfficeError(_("send a .yaml, .yml or .xlsx file"), 415)
        work = Path(tempfile.mkdtemp(prefix="upload-", dir=self.settings.work))
        try:
            path = work / f"upload{suffix}"
            path.write_bytes(body)
            records, _read = api.records_of(path)  # the records' data; what is wrong, the batch says
            # the whole file is checked as a batch would check it: every record valid, or none is kept
            summary = api.generate([path], work / "out", jobs=1, draft=True, profile=self.settings.profile,
                                   keep_all=True)
            problems = [p for d in summary.documents for p in d.problems]
            return records, [_renamed(p, path, filename) for p in problems]
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def save_upload(self, user: User, filename: str, body: bytes) -> tuple[list[int], list[Problem]]:
        records, problems = self.records_from_upload(filename, body)
        if any(p.severity == "error" for p in problems) or not records:
            if not problems:
                problems = [Problem(_origin_of(Path(filename)), "", _("the file holds no record"))]
            return [], problems
        made: list[int] = []
        for record in records:
            outcome = self.save_draft(user, record)
            if outcome.document_id is None:  # cannot happen for a record the batch just rendered
                problems += outcome.problems
                continue
            made.append(outcome.document_id)
        return made, problems

    # ---- the review ---------------------------------------------------------------------------------

    def _document(self, document_id: int) -> Document:
        found = self.store.document(document_id)
        if found is None:
            raise OfficeError(_("no such document"), 404)
        return found

    def submit(self, user: User, document_id: int) -> None:
        doc = self._document(document_id)
        if doc.author_id != user.id and user.role != "van-thu":
            raise OfficeError(_("only the document's author submits it"), 403)
        if doc.state not in DRAFT_STATES:
            raise OfficeError(_("the document is not a draft: it is {state}").format(state=state_name(doc.state)))
        with self.store.begin() as conn:
            self.store.set_state(conn, document_id, "cho-duyet", comment=None)
            self.store.log(conn, user.name, "submit", document_id, f"v{doc.versions}")

    def _waiting(self, document_id: int) -> Document:
        """A document submitted for approval, and nothing else."""
        doc = self._document(document_id)
        if doc.state != "cho-duyet":
            raise OfficeError(_("the document is not waiting for approval: it is {state}").format(
                state=state_name(doc.state)))
        return doc

    def approve(self, user: User, document_id: int) -> None:
        doc = self._waiting(document_id)
        with self.store.begin() as conn:
            self.store.set_state(conn, document_id, "da-duyet")
            self.store.log(conn, user.name, "approve", document_id, f"v{doc.versions}")

    def return_(self, user: User, document_id: int, comment: str) -> None:
        self._waiting(document_id)
        comment = " ".join(comment.split())[:2000]
        with self.store.begin() as conn:
            self.store.set_state(conn, document_id, "tra-lai", comment=comment)
            self.store.log(conn, user.name, "return", document_id, comment)

    # ---- issuing ------------------------------------------------------------------------------------

    def issue(self, user: User, document_id: int, day: dt.date | None = None, sign: bool = False) -> Outcome:
        """Number the approved document from the register, on `day` (today), render it with its
        PDF/A; with sign, sign it on the server with the configured key and add the agency's seal."""
        doc = self._document(document_id)
        if doc.state != "da-duyet":
            raise OfficeError(_("only an approved document is issued: it is {state}").format(
                state=state_name(doc.state)))
        record = self.record(document_id, doc.versions)
        record.pop("du_thao", None)
        record.setdefault("ma", f"web-{document_id}")  # its number stays with it if issuing is run again
        record["so"] = "auto"
        record.pop("ngay", None)  # the date of issue is the allocation date (Điều 15)
        folder = self.issued_folder(document_id)
        source = folder / RECORD_FILE
        folder.mkdir(parents=True, exist_ok=True)
        source.write_text(dump_record(record), encoding="utf-8")
        summary = api.generate([source], folder / "out", jobs=1, pdfa=True, register=self.settings.register_url,
                               today=day, profile=self.settings.profile, keep_all=True)
        problems = [p for d in summary.documents for p in d.problems]
        if summary.pdf is not None:
            problems += [Problem(_origin_of(source), "", "; ".join(o.problems)) for o in summary.pdf.documents
                         if not o.ok]
        outcome = Outcome(document_id, doc.versions, problems, notes=list(summary.notes))
        docx = self.docx(document_id)
        if not outcome.ok or docx is None or self.pdf(document_id) is None:
            if not problems:
                outcome.problems.append(Problem(_origin_of(source), "", _("the document could not be issued")))
            return outcome
        entry = api.register_entries(self.settings.register_url)
        number = next((e for e in entry if e.record_key == f"ma:{record['ma']}"), None)
        so_ky_hieu = number.so_ky_hieu if number else ""
        ngay = number.ngay if number and number.ngay else (day or today_in_vietnam())
        with self.store.begin() as conn:
            self.store.set_state(conn, document_id, "da-ban-hanh", so_ky_hieu=so_ky_hieu, ngay_ban_hanh=ngay)
            self.store.log(conn, user.name, "issue", document_id, so_ky_hieu)
        outcome.so_ky_hieu = so_ky_hieu
        if sign:
            outcome.notes += self.sign_on_server(user, document_id)
        outcome.notes += self._issued_pages(document_id)
        return outcome

    def _issued_pages(self, document_id: int) -> list[str]:
        folder = self.issued_folder(document_id)
        try:
            return api.review(folder / "out", folder / "site", jobs=1).problems
        except VanthuError as exc:
            return [exc.message]

    def _replace_pdf(self, document_id: int, signed: Path) -> None:
        """The signed PDF takes the place of the one beside the .docx (what edXML and the archive
        take); the one before is kept in issued/history."""
        pdf = self.pdf(document_id)
        assert pdf is not None
        history = self.issued_folder(document_id) / "history"
        history.mkdir(exist_ok=True)
        shutil.copy2(pdf, history / f"{int(time.time() * 1000)}-{pdf.name}")
        os.replace(signed, pdf)

    def sign_on_server(self, user: User, document_id: int) -> list[str]:
        """The competent person's signature with the server's key ([ky_so] in web.toml), then the
        agency's with its seal ([con_dau]); what is not configured is said."""
        notes: list[str] = []
        for signing, agency in ((self.settings.signer, False), (self.settings.agency, True)):
            if signing is None:
                notes.append(_("no signing key is configured on the server ([{section}] in web.toml)").format(
                    section="con_dau" if agency else "ky_so"))
                continue
            notes += self._sign(user, document_id, signing, agency)
        return notes

    def sign_agency(self, user: User, document_id: int) -> list[str]:
        if self.settings.agency is None:
            raise OfficeError(_("no signing key is configured on the server ([{section}] in web.toml)").format(
                section="con_dau"))
        return self._sign(user, document_id, self.settings.agency, True)

    def _sign(self, user: User, document_id: int, signing, agency: bool) -> list[str]:
        doc = self._document(document_id)
        pdf = self.pdf(document_id)
        if doc.state != "da-ban-hanh" or pdf is None:
            raise OfficeError(_("only an issued document is signed"))
        work = Path(tempfile.mkdtemp(prefix="sign-", dir=self.settings.work))
        try:
            target = work / pdf.name
            secret = signing.secret()
            report = api.sign([pdf], target, pkcs12=signing.pkcs12, passphrase=secret if signing.pkcs12 else None,
                              pkcs11_lib=signing.pkcs11_lib, token_label=signing.token_label,
                              key_label=signing.key_label, pin=secret if signing.pkcs11_lib else None,
                              agency=agency, seal=signing.seal if agency else None)
            failed = [f.error for f in report.files if f.error]
            if failed:
                raise OfficeError("; ".join(str(f) for f in failed))
            self._replace_pdf(document_id, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with self.store.begin() as conn:
            self.store.log(conn, user.name, "sign-agency" if agency else "sign", document_id, "")
        return list(report.warnings)

    def upload_signed(self, user: User, document_id: int, body: bytes) -> list[str]:
        """A PDF signed elsewhere (the leader's USB token): accepted when it is this document's PDF
        with signatures added (an incremental update of it) and every signature is intact."""
        doc = self._document(document_id)
        pdf = self.pdf(document_id)
        if doc.state != "da-ban-hanh" or pdf is None:
            raise OfficeError(_("only an issued document is signed"))
        if len(body) > 4 * MAX_UPLOAD_BYTES:
            raise OfficeError(_("the file is larger than {size} MB").format(size=4 * MAX_UPLOAD_BYTES // 2**20), 413)
        if not body.startswith(pdf.read_bytes()):
            raise OfficeError(_("this PDF is not the issued document with signatures added: sign the PDF "
                                "downloaded from this page"), 422)
        work = Path(tempfile.mkdtemp(prefix="signed-", dir=self.settings.work))
        try:
            target = work / pdf.name
            target.write_bytes(body)
            report = api.verify([target])
            checked = report.files[0]
            if checked.error or not checked.signatures:
                raise OfficeError(checked.error or _("the PDF has no signature"), 422)
            broken = [s for s in checked.signatures if not s.intact]
            if broken or not checked.signatures[-1].whole_document:
                raise OfficeError(_("a signature of the PDF is broken: the file was changed after it was signed"), 422)
            self._replace_pdf(document_id, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with self.store.begin() as conn:
            self.store.log(conn, user.name, "upload-signed", document_id, f"{len(checked.signatures)}")
        return []

    def make_edxml(self, user: User, document_id: int) -> Path:
        doc = self._document(document_id)
        if doc.state != "da-ban-hanh":
            raise OfficeError(_("only an issued document is sent"))
        folder = self.issued_folder(document_id)
        out = folder / "edxml"
        shutil.rmtree(out, ignore_errors=True)
        packages = api.edxml(folder / "out", out, organ_id=self.settings.organ_id, config=self.settings.edxml_config)
        errors = [p.error for p in packages if p.error]
        if errors or not packages:
            raise OfficeError("; ".join(errors) or _("no edXML package was made"), 422)
        with self.store.begin() as conn:
            self.store.log(conn, user.name, "edxml", document_id, packages[0].target.name if packages[0].target else "")
        found = self.edxml_file(document_id)
        assert found is not None
        return found

    # ---- archive -------------------------------------------------------------------------------------

    def archive(self, user: User, start: dt.date, end: dt.date, target: Path, ho_so: str = "") -> int:
        chosen = self.store.documents(states=("da-ban-hanh",), issued_from=start, issued_to=end)
        folders = [self.issued_folder(d.id) / "out" for d in chosen if (self.issued_folder(d.id) / "out").is_dir()]
        if not folders:
            raise OfficeError(_("no document was issued between {start} and {end}").format(
                start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y")), 404)
        api.archive_batches(folders, target, ho_so=ho_so, year=start.year if start.year == end.year else None)
        with self.store.begin() as conn:
            self.store.log(conn, user.name, "archive", None, f"{start.isoformat()}..{end.isoformat()}: {len(folders)}")
        return len(folders)


STATE_NAMES = {
    "du-thao": "Dự thảo", "cho-duyet": "Chờ duyệt", "da-duyet": "Đã duyệt", "tra-lai": "Trả lại",
    "da-ban-hanh": "Đã ban hành",
}
STATE_NAMES_EN = {
    "du-thao": "Draft", "cho-duyet": "Waiting for approval", "da-duyet": "Approved", "tra-lai": "Returned",
    "da-ban-hanh": "Issued",
}


def state_name(state: str) -> str:
    from ..i18n import current_language

    return (STATE_NAMES_EN if current_language() == "en" else STATE_NAMES).get(state, state)


def _origin_of(path: Path) -> Origin:
    return Origin(path.name)


def _renamed(problem: Problem, path: Path, filename: str) -> Problem:
    """A problem of an upload named by the file the user sent, not the server's copy."""
    from dataclasses import replace

    origin = problem.origin
    file = origin.file.replace(str(path), Path(filename).name or path.name)
    return replace(problem, origin=replace(origin, file=file))
