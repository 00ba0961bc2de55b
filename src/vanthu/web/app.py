"""The web application: server-rendered pages for the office, and an API for other systems.

Pages use a session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form; the API
uses `Authorization: Bearer TOKEN` and never a cookie, so no other site can make it act. Every
route names the action it performs (auth.PERMISSIONS) and is refused (403) to a role without it.
The work itself is vanthu.api's, through office.Office.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from .. import __version__, api
from ..errors import Problem, VanthuError
from ..i18n import _, current_language
from ..nd30.dates import VIETNAM, today_in_vietnam
from . import auth, forms
from .office import DRAFT_STATES, STATE_NAMES, Office, OfficeError, state_name
from .settings import MAX_UPLOAD_BYTES, WebSettings
from .store import Document, User, WebStore

SESSION_COOKIE = "vanthu_session"
LOGIN_COOKIE = "vanthu_login"  # the login form's own CSRF token, before there is a session
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BODY_LIMIT = 4 * MAX_UPLOAD_BYTES + 64 * 1024  # the largest request: a signed PDF and its form

# what each page may load: nothing from elsewhere; the review pages keep their own inline style and script
CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; " \
      "form-action 'self'; frame-ancestors 'self'; frame-src 'self'; base-uri 'none'"
STATIC = Path(__file__).parent / "static"
PAGE_SIZE = 50  # documents on one list page
# each step of a document's life and the action (auth.PERMISSIONS) it needs
STEP_ACTIONS = {"submit": "submit", "approve": "approve", "return": "return", "issue": "issue", "sign": "issue",
                "seal": "issue", "edxml": "issue"}
REVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; " \
             "frame-ancestors 'self'; base-uri 'none'"


class LoginNeededError(Exception):
    pass


class RefusedError(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


def _local_time(moment: dt.datetime) -> str:
    """Times are kept in UTC and shown in Vietnam's time."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def _issue_day(record: dict[str, Any]) -> dt.date:
    """The date the issuing form offers: the one the drafter meant, unless it has passed; else today."""
    today = today_in_vietnam()
    try:
        day, month, year = (int(p) for p in str(record.get("ngay", "")).split("/"))
        meant = dt.date(year, month, day)
    except ValueError:
        return today
    return meant if meant >= today else today


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(settings: WebSettings) -> FastAPI:
    store = WebStore(settings.database_url)
    office = Office(settings, store)
    env = Environment(loader=PackageLoader("vanthu.web", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["local"] = _local_time
    env.globals.update(_=_, state_name=state_name, STATE_NAMES=STATE_NAMES, DRAFT_STATES=DRAFT_STATES,
                       version=__version__,
                       allowed=auth.allowed, roles=auth.ROLES,
                       action_name=lambda a: _(auth.ACTIONS[a]) if a in auth.ACTIONS else a,
                       type_name=lambda loai: spec.name if (spec := forms.type_of(loai)) else loai)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(title="vanthu", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.settings, app.state.store, app.state.office = settings, store, office

    # ---- plumbing -------------------------------------------------------------------------------

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > BODY_LIMIT):
            return _error(request, _("the request is too large"), 413)
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _error(request: Request, message: str, status: int) -> Response:
        if _is_api(request):
            return JSONResponse({"error": message}, status_code=status)
        return HTMLResponse(env.get_template("error.html").render(message=message, status=status, user=None,
                                                                   lang=current_language()), status_code=status)

    @app.exception_handler(LoginNeededError)
    async def login_needed(request: Request, _exc: LoginNeededError):
        if _is_api(request):
            return JSONResponse({"error": _("log in: send Authorization: Bearer TOKEN")}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(RefusedError)
    async def refused(request: Request, exc: RefusedError):
        return _error(request, exc.message, exc.status)

    @app.exception_handler(OfficeError)
    async def office_error(request: Request, exc: OfficeError):
        return _error(request, exc.message, exc.status)

    @app.exception_handler(VanthuError)
    async def vanthu_error(request: Request, exc: VanthuError):
        return _error(request, str(exc), 422)

    def page_user(request: Request) -> tuple[User, str]:
        found = auth.session_user(store, request.cookies.get(SESSION_COOKIE))
        if found is None:
            raise LoginNeededError()
        return found

    def api_user(request: Request) -> User:
        header = request.headers.get("authorization", "")
        scheme, _sep, token = header.partition(" ")
        user = auth.token_user(store, token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise LoginNeededError()
        return user

    def require(user: User, action: str) -> None:
        if not auth.allowed(user, action):
            raise RefusedError(_("your role ({role}) does not allow this").format(role=_(auth.ROLES[user.role])), 403)

    async def posted(request: Request) -> tuple[User, str, dict[str, Any]]:
        """The user of a form post whose CSRF token is the session's, that token, and the form."""
        user, csrf = page_user(request)
        form = await request.form(max_files=2, max_fields=200, max_part_size=4 * MAX_UPLOAD_BYTES)
        if not auth.same(str(form.get("csrf", "")), csrf):
            raise RefusedError(_("the form has expired or did not come from this site: open the page again"), 403)
        return user, csrf, dict(form)

    def render(name: str, request: Request, user: User | None, csrf: str = "", status: int = 200,
               **context) -> Response:
        html = env.get_template(name).render(user=user, csrf=csrf, lang=current_language(),
                                             path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def document_or_404(document_id: int) -> Document:
        doc = store.document(document_id)
        if doc is None:
            raise RefusedError(_("no such document"), 404)
        return doc

    def visible(user: User, document_id: int, action: str = "view") -> Document:
        """The document, when the user's role allows the action and the user may see it."""
        require(user, action)
        doc = document_or_404(document_id)
        can_see(user, doc)
        return doc

    def can_see(user: User, doc: Document) -> None:
        # a specialist sees their own documents and the issued ones; the other roles see every one
        if user.role == "chuyen-vien" and doc.author_id != user.id and doc.state != "da-ban-hanh":
            raise RefusedError(_("this document is not yours"), 403)

    def safe_next(target: str | None) -> str:
        if not target:
            return "/documents"
        parts = urlsplit(target)
        return target if not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith("//") else "/documents"

    # ---- logging in --------------------------------------------------------------------------------

    @app.get("/login")
    def login_page(request: Request, next: str | None = None):
        token = secrets.token_urlsafe(24)
        response = render("login.html", request, None, csrf=token, next=safe_next(next), error=None)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies,
                            path="/login")
        return response

    @app.post("/login")
    async def login_post(request: Request):
        form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        target = safe_next(str(form.get("next", "")))
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not auth.same(str(form.get("csrf", "")), expected):
            raise RefusedError(_("the form has expired or did not come from this site: open the page again"), 403)
        address = request.client.host if request.client else ""
        if auth.throttled(store, name, address):
            with store.begin() as conn:
                store.log(conn, name[:100], "login-throttled", None, address)
            return render("login.html", request, None, csrf=expected, next=target, status=429,
                          error=_("too many failed attempts: wait {minutes} minutes and try again").format(
                              minutes=auth.THROTTLE_MINUTES))
        user = auth.login(store, name, password, address)
        if user is None:
            return render("login.html", request, None, csrf=expected, next=target, status=401,
                          error=_("wrong name or password"))
        with store.begin() as conn:
            store.log(conn, user.name, "login", None, address)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, auth.new_session(store, user), httponly=True, samesite="strict",
                            secure=settings.secure_cookies, max_age=auth.SESSION_HOURS * 3600)
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @app.post("/logout")
    async def logout(request: Request):
        user, _csrf, _form = await posted(request)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            store.end_session(auth.sha256(token))
        with store.begin() as conn:
            store.log(conn, user.name, "logout")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/")
    def home(request: Request):
        page_user(request)
        return RedirectResponse("/documents", status_code=303)

    # ---- documents ------------------------------------------------------------------------------------

    @app.get("/documents")
    def document_list(request: Request, state: str | None = None, page: int = 1):
        user, csrf = page_user(request)
        require(user, "view")
        if state is None:
            state = {"lanh-dao": "cho-duyet", "van-thu": "da-duyet"}.get(user.role, "")
        states = (state,) if state in STATE_NAMES else ()
        # a specialist's list holds their own documents, and every issued one
        mine = user.role == "chuyen-vien" and state != "da-ban-hanh"
        page = max(page, 1)
        found = store.documents(states=states, author_id=user.id if mine else None, limit=PAGE_SIZE + 1,
                                offset=(page - 1) * PAGE_SIZE)
        return render("documents.html", request, user, csrf, documents=found[:PAGE_SIZE], state=state, page=page,
                      more=len(found) > PAGE_SIZE)

    def form_context(spec, values: dict[str, str], errors: dict[str, list[str]], general: list[str],
                     pages: list[str] | None = None, document: Document | None = None, notes=()) -> dict:
        return {"spec": spec, "types": forms.form_types(), "fields": forms.form_fields(spec), "values": values,
                "errors": errors, "general": general, "pages": pages or [], "document": document,
                "agencies": api.profile_agencies(settings.profile), "notes": list(notes)}

    def problems_by_field(problems: list[Problem], fields: list[forms.FormField]) -> tuple[dict, list[str]]:
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        wrong = {forms.field_of_problem(p.field, fields) for p in problems if p.severity == "error"}
        for problem in problems:
            name = forms.field_of_problem(problem.field, fields)
            if problem.severity != "error" and name in wrong:
                continue  # the field's error says it; a warning about the same value would only repeat it
            text = problem.message if problem.severity == "error" else f"{_('warning')}: {problem.message}"
            (by_field.setdefault(name, []) if name else general).append(text)
        return by_field, general

    @app.get("/documents/new")
    def new_document(request: Request, loai: str = "thong_bao"):
        user, csrf = page_user(request)
        require(user, "draft")
        context = form_context(forms.type_of(loai) or forms.form_types()[0], {}, {}, [])
        context["values"]["co_quan"] = context["agencies"][0].key if context["agencies"] else ""
        return render("form.html", request, user, csrf, **context)

    def form_record(user: User, form: dict[str, Any], document_id: int | None, *, saving: bool):
        """What a drafting form posts: the document edited (None for a new one), its type, the
        form's text fields and the record they make (over the version edited)."""
        doc = base = None
        if document_id is not None:
            doc = visible(user, document_id, "draft")
            if saving and doc.state not in DRAFT_STATES:
                raise RefusedError(_("the document is not a draft: it is {state}").format(
                    state=state_name(doc.state)), 409)
            base = office.record(document_id, doc.versions)
        spec = forms.type_of(str(form.get("loai", ""))) or forms.form_types()[0]
        if spec.key not in forms.FORM_TYPES and base is None:
            raise RefusedError(_("this type is drafted from a YAML file or a workbook"), 422)
        text = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        return doc, spec, text, forms.record_from_form(text, spec, base)

    async def _draft_post(request: Request, document_id: int | None):
        user, csrf, form = await posted(request)
        require(user, "draft")
        preview = form.get("action") == "preview"
        doc, spec, text, record = form_record(user, form, document_id, saving=not preview)
        if preview:
            outcome = await run_in_threadpool(office.preview, record)
        else:
            outcome = await run_in_threadpool(office.save_draft, user, record, document_id)
        by_field, general = problems_by_field(outcome.problems, forms.form_fields(spec))
        if outcome.ok and outcome.document_id is not None:
            return RedirectResponse(f"/documents/{outcome.document_id}?saved={outcome.version}", status_code=303)
        return render("form.html", request, user, csrf, status=200 if outcome.ok else 422,
                      **form_context(spec, text, by_field, general, outcome.pages, doc, outcome.notes))

    @app.post("/documents/new")
    async def new_document_post(request: Request):
        return await _draft_post(request, None)

    @app.post("/documents/preview")
    async def live_preview(request: Request, document: int | None = None):
        """The form's pages as its live preview asks for them: JSON, nothing kept but the pictures."""
        user, _csrf, form = await posted(request)
        require(user, "draft")
        _doc, _spec, _text, record = form_record(user, form, document, saving=False)
        outcome = await run_in_threadpool(office.preview, record)
        errors = [p.message for p in outcome.problems if p.severity == "error"]
        return JSONResponse({"pages": [f"/previews/{p}" for p in outcome.pages] if not errors else [],
                             "problems": errors})

    @app.get("/static/live-preview.js")
    def live_preview_script():
        return FileResponse(STATIC / "live-preview.js", media_type="text/javascript",
                            headers={"Cache-Control": "max-age=3600"})

    @app.get("/documents/{document_id}/edit")
    def edit_document(request: Request, document_id: int):
        user, csrf = page_user(request)
        doc = visible(user, document_id, "draft")
        spec = forms.type_of(doc.loai) or forms.form_types()[0]
        record = office.record(document_id, doc.versions)
        values = forms.values_of(record, forms.form_fields(spec))
        values.update({k: str(record[k]) for k in ("co_quan", "nguoi_ky") if isinstance(record.get(k), str)})
        return render("form.html", request, user, csrf, **form_context(spec, values, {}, [], document=doc))

    @app.post("/documents/{document_id}/edit")
    async def edit_document_post(request: Request, document_id: int):
        return await _draft_post(request, document_id)

    @app.post("/documents/upload")
    async def upload(request: Request):
        user, csrf, form = await posted(request)
        require(user, "draft")
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise RefusedError(_("choose a file to send"), 422)
        body = await upload.read(MAX_UPLOAD_BYTES + 1)
        made, problems = await run_in_threadpool(office.save_upload, user, upload.filename or "", body)
        if made:
            return RedirectResponse("/documents?state=du-thao" if len(made) > 1 else f"/documents/{made[0]}",
                                    status_code=303)
        return render("upload_problems.html", request, user, csrf, status=422, problems=problems,
                      filename=upload.filename)

    @app.get("/documents/{document_id}")
    def document_page(request: Request, document_id: int, version: int | None = None, done: str | None = None):
        user, csrf = page_user(request)
        doc = visible(user, document_id)
        shown = version if version and 1 <= version <= doc.versions else doc.versions
        issued = doc.state == "da-ban-hanh"
        review = office.site_page(document_id, None if issued and version is None else shown)
        record = office.record(document_id, doc.versions)
        review_src = None
        if review:
            base = "issued" if issued and version is None else f"v/{shown}"
            review_src = f"/documents/{document_id}/{base}/site/{review}"
        return render("document.html", request, user, csrf, doc=doc, shown=shown, review_src=review_src,
                      history=store.audit_entries(document_id), has_pdf=office.pdf(document_id) is not None,
                      has_edxml=office.edxml_file(document_id) is not None, today=_issue_day(record).isoformat(),
                      can_sign=settings.signer is not None, can_seal=settings.agency is not None,
                      record_text=office.record_text(document_id, shown), request_done=done)

    def _site(request: Request, document_id: int, version: int | None, relative: str):
        user, _csrf = page_user(request)
        visible(user, document_id)
        found = office.site_file(document_id, version, relative)
        if found is None:
            raise RefusedError(_("no such file"), 404)
        response = FileResponse(found)
        if found.suffix == ".html":
            response.headers["Content-Security-Policy"] = REVIEW_CSP
        return response

    @app.get("/documents/{document_id}/v/{version}/site/{relative:path}")
    def version_site(request: Request, document_id: int, version: int, relative: str):
        return _site(request, document_id, version, relative)

    @app.get("/documents/{document_id}/issued/site/{relative:path}")
    def issued_site(request: Request, document_id: int, relative: str):
        return _site(request, document_id, None, relative)

    @app.get("/previews/{relative:path}")
    def preview_file(request: Request, relative: str):
        user, _csrf = page_user(request)
        require(user, "draft")
        found = office.preview_file(relative)
        if found is None or found.suffix != ".png":
            raise RefusedError(_("no such file"), 404)
        return FileResponse(found)

    def _download(doc: Document, kind: str) -> FileResponse:
        if kind == "docx":
            path = office.docx(doc.id) if doc.state == "da-ban-hanh" else office.docx(doc.id, doc.versions)
            media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        elif kind == "pdf":
            path, media = office.pdf(doc.id), "application/pdf"
        elif kind == "edxml":
            path, media = office.edxml_file(doc.id), "application/xml"
        else:
            raise RefusedError(_("no such file"), 404)
        if path is None:
            raise RefusedError(_("the document has no {kind} file yet").format(kind=kind.upper()), 404)
        return FileResponse(path, media_type=media, filename=path.name)

    @app.get("/documents/{document_id}/download/{kind}")
    def download(request: Request, document_id: int, kind: str):
        user, _csrf = page_user(request)
        doc = visible(user, document_id)
        return _download(doc, kind)

    def _step(user: User, document_id: int, step: str, form: dict[str, Any]) -> str:
        """One step of a document's life; what to say after it."""
        if step not in STEP_ACTIONS:
            raise RefusedError(_("no such step"), 404)
        visible(user, document_id, STEP_ACTIONS[step])
        notes: list[str] = []
        if step == "submit":
            office.submit(user, document_id)
            message = _("submitted for approval")
        elif step == "approve":
            office.approve(user, document_id)
            message = _("approved")
        elif step == "return":
            comment = str(form.get("comment", "")).strip()
            if not comment:
                raise RefusedError(_("say why the draft goes back (a comment)"), 422)
            office.return_(user, document_id, comment)
            message = _("returned to its author")
        elif step == "issue":
            day = None
            if form.get("ngay"):
                try:
                    day = dt.date.fromisoformat(str(form["ngay"]))
                except ValueError:
                    raise RefusedError(_("the date of issue is not a date"), 422) from None
            outcome = office.issue(user, document_id, day, sign=str(form.get("sign", "")) == "1")
            if not outcome.ok:
                raise RefusedError("; ".join(str(p.message) for p in outcome.problems), 422)
            message, notes = _("issued as {number}").format(number=outcome.so_ky_hieu), outcome.notes
        elif step == "sign":
            message, notes = _("signed"), office.sign_on_server(user, document_id)
        elif step == "seal":
            message, notes = _("the agency's signature and seal added"), office.sign_agency(user, document_id)
        else:  # edxml
            office.make_edxml(user, document_id)
            message = _("the edXML package is made")
        return message + "".join(f" — {note}" for note in notes)

    @app.post("/documents/{document_id}/{step}")
    async def step_post(request: Request, document_id: int, step: str):
        user, _csrf, form = await posted(request)
        if step == "signed":
            visible(user, document_id, "issue")
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise RefusedError(_("choose a file to send"), 422)
            body = await upload.read(4 * MAX_UPLOAD_BYTES + 1)
            await run_in_threadpool(office.upload_signed, user, document_id, body)
            message = _("the signed PDF is kept")
        else:
            message = await run_in_threadpool(_step, user, document_id, step, form)
        return RedirectResponse(f"/documents/{document_id}?done={quote(message, safe='')}", status_code=303)

    # ---- the register, the archive, the audit log ------------------------------------------------

    @app.get("/register")
    def register_page(request: Request, year: int | None = None):
        user, csrf = page_user(request)
        require(user, "register")
        year = year or today_in_vietnam().year
        try:
            entries = api.register_entries(settings.register_url, year=year)
        except VanthuError:
            entries = []
        return render("register.html", request, user, csrf, entries=entries, year=year)

    @app.get("/register.xlsx")
    def register_workbook(request: Request, year: int | None = None):
        user, _csrf = page_user(request)
        require(user, "register")
        work = Path(tempfile.mkdtemp(prefix="register-", dir=settings.work))
        year = year or today_in_vietnam().year
        target = work / f"so-dang-ky-{year}.xlsx"
        api.register_export(settings.register_url, target, year=year)
        return FileResponse(target, media_type=XLSX_TYPE, filename=target.name,
                            background=BackgroundTask(shutil.rmtree, work, True))

    @app.get("/archive")
    def archive_page(request: Request):
        user, csrf = page_user(request)
        require(user, "archive")
        today = today_in_vietnam()
        return render("archive.html", request, user, csrf, start=today.replace(month=1, day=1).isoformat(),
                      end=today.isoformat(), error=None)

    @app.post("/archive")
    async def archive_post(request: Request):
        user, _csrf, form = await posted(request)
        require(user, "archive")
        try:
            start = dt.date.fromisoformat(str(form.get("start", "")))
            end = dt.date.fromisoformat(str(form.get("end", "")))
        except ValueError:
            raise RefusedError(_("give the period as two dates"), 422) from None
        work = Path(tempfile.mkdtemp(prefix="archive-", dir=settings.work))
        target = work / f"luu-tru-{start.isoformat()}-{end.isoformat()}.zip"
        try:
            await run_in_threadpool(office.archive, user, start, end, target, str(form.get("ho_so", "")))
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return FileResponse(target, media_type="application/zip", filename=target.name,
                            background=BackgroundTask(shutil.rmtree, work, True))

    @app.get("/audit")
    def audit_page(request: Request):
        user, csrf = page_user(request)
        require(user, "audit")
        return render("audit.html", request, user, csrf, entries=store.audit_entries())

    # ---- the API ---------------------------------------------------------------------------------------

    def document_json(doc: Document) -> dict[str, Any]:
        base = f"/api/documents/{doc.id}"
        pages = len(office.page_pictures(doc.id, None if doc.state == "da-ban-hanh" else doc.versions))
        return {"id": doc.id, "loai": doc.loai, "trich_yeu": doc.trich_yeu, "state": doc.state,
                "author": doc.author, "versions": doc.versions, "so_ky_hieu": doc.so_ky_hieu,
                "ngay_ban_hanh": doc.ngay_ban_hanh.strftime("%d/%m/%Y") if doc.ngay_ban_hanh else None,
                "comment": doc.comment,
                "created": doc.created.isoformat(), "updated": doc.updated.isoformat(), "pages": pages,
                "links": {"docx": f"{base}/docx", **({"pdf": f"{base}/pdf"} if office.pdf(doc.id) else {}),
                          "pages": [f"{base}/pages/{n}.png" for n in range(1, pages + 1)]}}

    def problem_json(problem: Problem) -> dict[str, str]:
        return {"where": str(problem.origin), "field": problem.field, "message": problem.message,
                "severity": problem.severity}

    async def limited_body(request: Request, limit: int) -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RefusedError(_("the file is larger than {size} MB").format(size=limit // 2**20), 413)
            chunks.append(chunk)
        return b"".join(chunks)

    @app.post("/api/records")
    async def api_records(request: Request):
        user = api_user(request)
        require(user, "draft")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in YAML_TYPES:
            name = "records.yaml"
        elif kind == XLSX_TYPE:
            name = "records.xlsx"
        else:
            raise RefusedError(_("send the records as application/yaml or as an .xlsx workbook ({type})").format(
                type=XLSX_TYPE), 415)
        body = await limited_body(request, MAX_UPLOAD_BYTES)
        made, problems = await run_in_threadpool(office.save_upload, user, name, body)
        if not made:
            return JSONResponse({"problems": [problem_json(p) for p in problems]}, status_code=422)
        return JSONResponse({"documents": made, "warnings": [problem_json(p) for p in problems]}, status_code=201)

    @app.get("/api/documents/{document_id}")
    def api_document(request: Request, document_id: int):
        user = api_user(request)
        doc = visible(user, document_id)
        return document_json(doc)

    @app.get("/api/documents/{document_id}/{kind}")
    def api_file(request: Request, document_id: int, kind: str):
        user = api_user(request)
        doc = visible(user, document_id)
        return _download(doc, kind)

    @app.get("/api/documents/{document_id}/pages/{number}.png")
    def api_page(request: Request, document_id: int, number: int):
        user = api_user(request)
        doc = visible(user, document_id)
        pictures = office.page_pictures(document_id, None if doc.state == "da-ban-hanh" else doc.versions)
        if not 1 <= number <= len(pictures):
            raise RefusedError(_("no such page"), 404)
        return FileResponse(pictures[number - 1], media_type="image/png")

    @app.post("/api/documents/{document_id}/{step}")
    async def api_step(request: Request, document_id: int, step: str):
        user = api_user(request)
        if step not in ("submit", "approve", "return", "issue"):
            raise RefusedError(_("no such step"), 404)
        form: dict[str, Any] = {}
        body = await limited_body(request, 64 * 1024)
        if body:
            try:
                form = json.loads(body)
            except ValueError:
                raise RefusedError(_("the body is not JSON"), 400) from None
            if not isinstance(form, dict):
                raise RefusedError(_("the body is not a JSON object"), 400)
        await run_in_threadpool(_step, user, document_id, step, form)
        doc = document_or_404(document_id)
        return document_json(doc)

    return app
