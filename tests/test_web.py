"""vanthu serve: the office's web application, started as its users start it (`vanthu users add`,
`vanthu serve` in a process of its own), talked to over real HTTP, and driven in a real headless
Chromium: a chuyên viên drafts a Thông báo, a lãnh đạo compares and approves it, the văn thư
issues it. Screenshots are kept in test-artifacts/web/."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from pki import make_pki, seal_png
from vanthu import api

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
ARTIFACTS = Path(os.environ.get("VANTHU_ARTIFACTS", ROOT / "test-artifacts")) / "web"
PASSWORD = "mat-khau-9-ky-tu"
PEOPLE = {"chuyenvien": "chuyen-vien", "chuyenvien2": "chuyen-vien", "lanhdao": "lanh-dao", "vanthu": "van-thu",
          "quantri": "quan-tri"}

NOTICE = """\
loai: TB
co_quan: sct
nguoi_ky: pho-giam-doc
trich_yeu: Về việc họp giao ban tháng 12
noi_dung: |
  Sở Công Thương thông báo lịch họp giao ban tháng 12 năm 2026 như sau.
su_kien:
  ten: Họp giao ban
  bat_dau: 15/12/2026 08:00
  dia_diem: Phòng họp số 1
"""


def _vanthu(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanthu.cli", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data: Path, *extra: str):
        self.data, self.port = data, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (data.parent / f"serve-{self.port}.log").open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "vanthu.cli", "serve", "--data", str(data),
                                         "--port", str(self.port), *extra], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert self.process.poll() is None, (data.parent / f"serve-{self.port}.log").read_text()
                time.sleep(0.2)
        else:
            raise AssertionError("vanthu serve did not answer")
        self.tokens = {name: _vanthu("users", "token", name, "--data", str(data)).stdout.strip() for name in PEOPLE}

    def call(self, method: str, path: str, body: bytes | None = None, *, who: str | None = None,
             content_type: str | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if who:
            request.add_header("Authorization", f"Bearer {self.tokens[who]}")
        if content_type:
            request.add_header("Content-Type", content_type)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=180) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def json(self, method: str, path: str, body: bytes | None = None, **kwargs) -> tuple[int, dict]:
        status, _headers, data = self.call(method, path, body, **kwargs)
        return status, json.loads(data or b"{}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def make_data(root: Path, *, signing: bool = True) -> Path:
    """A data folder as an agency sets one up: the profile, the people, the keys in web.toml."""
    data = root / "data"
    password = root / "password.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    for name, role in PEOPLE.items():
        done = _vanthu("users", "add", name, "--role", role, "--password-file", str(password), "--data", str(data))
        assert done.returncode == 0, done.stderr
    api.init_profile(data, key="sct", ten="SỞ CÔNG THƯƠNG", viet_tat="SCT", chu_quan="UBND TỈNH LẠNG SƠN",
                     ten_goi="Sở Công Thương tỉnh Lạng Sơn", dia_danh="Lạng Sơn", ma_dinh_danh="000.00.00.H41",
                     signers={"pho-giam-doc": {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC",
                                               "ho_ten": "Nguyễn Văn An"},
                              "giam-doc": {"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Hoàng Văn Bình"}},
                     noi_nhan=["UBND tỉnh (b/c)"], luu=["VP"])
    if signing:
        signer = make_pki(root / "pki-signer")
        agency = make_pki(root / "pki-agency", signer_name="SỞ CÔNG THƯƠNG")
        keys = data / "ky-so"
        keys.mkdir()
        for name, pki in (("lanh-dao", signer), ("co-quan", agency)):
            shutil.copy(pki.signer_p12, keys / f"{name}.p12")
            (keys / f"{name}.pass").write_bytes(pki.passphrase)
        seal_png(keys / "con-dau.png")
        (data / "web.toml").write_text(
            '[ky_so]\npkcs12 = "ky-so/lanh-dao.p12"\npassphrase_file = "ky-so/lanh-dao.pass"\n'
            '[con_dau]\npkcs12 = "ky-so/co-quan.p12"\npassphrase_file = "ky-so/co-quan.pass"\n'
            'seal = "ky-so/con-dau.png"\n', encoding="utf-8")
        (root / "signer-root.pem").write_bytes(signer.root_pem.read_bytes())
        (root / "signer.p12").write_bytes(signer.signer_p12.read_bytes())
        (root / "signer.pass").write_bytes(signer.passphrase)
    return data


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    running = Server(make_data(root))
    running.root = root
    yield running
    running.stop()


def _new_notice(server: Server, who: str = "chuyenvien", text: str = NOTICE) -> int:
    status, body = server.json("POST", "/api/records", text.encode(), who=who, content_type="application/yaml")
    assert status == 201, body
    (document_id,) = body["documents"]
    return document_id


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


# ---- over HTTP ----------------------------------------------------------------------------------

def test_no_login_is_401_on_the_api_and_a_redirect_elsewhere(server):
    status, headers, _body = server.call("GET", "/api/documents/1")
    assert status == 401 and headers.get("www-authenticate") == "Bearer"
    status, _h, _b = server.call("GET", "/api/documents/1", who=None)
    request = urllib.request.Request(server.url + "/api/documents/1", headers={"Authorization": "Bearer vt_wrong"})
    with pytest.raises(urllib.error.HTTPError) as wrong:
        urllib.request.urlopen(request)
    assert wrong.value.code == 401
    for path in ("/documents", "/documents/new", "/register", "/audit"):
        status, headers, _body = server.call("GET", path)
        assert status == 303 and headers["location"].startswith("/login?next="), path


def test_records_posted_as_yaml_become_drafts_and_a_bad_one_is_422_with_its_problems(server):
    item = "- " + NOTICE.replace("\n", "\n  ").rstrip() + "\n"
    two = item + item  # a list of two records, as a YAML file of a batch holds them
    status, body = server.json("POST", "/api/records", two.encode(), who="chuyenvien",
                               content_type="application/yaml")
    assert status == 201 and len(body["documents"]) == 2
    status, doc = server.json("GET", f"/api/documents/{body['documents'][0]}", who="chuyenvien")
    assert status == 200 and doc["state"] == "du-thao" and doc["loai"] == "TB" and doc["pages"] >= 1
    status, headers, png = server.call("GET", doc["links"]["pages"][0], who="chuyenvien")
    assert status == 200 and png.startswith(b"\x89PNG") and headers["content-type"] == "image/png"
    status, _h, docx = server.call("GET", doc["links"]["docx"], who="chuyenvien")
    assert status == 200 and docx.startswith(b"PK")
    before = body["documents"][-1]
    bad = NOTICE.replace("bat_dau: 15/12/2026 08:00", "bat_dau: 31/02/2026 08:00")
    status, body = server.json("POST", "/api/records", bad.encode(), who="chuyenvien",
                               content_type="application/yaml")
    assert status == 422
    (problem,) = [p for p in body["problems"] if p["severity"] == "error"]
    assert problem["field"] == "su_kien.bat_dau" and "31/02/2026" in problem["message"]
    assert problem["where"].startswith("records.yaml:9:")  # the line of the body sent, not a server path
    assert server.json("GET", f"/api/documents/{before + 1}", who="chuyenvien")[0] == 404  # nothing was kept


def test_a_workbook_body_as_excel_users_write_it(server, tmp_path):
    template = tmp_path / "mau.xlsx"
    assert _vanthu("excel-template", "-o", str(template)).returncode == 0
    from test_excel import NOTICE as ROW
    from test_excel import fill

    workbook = fill(template, [ROW], body=[("TB01", "Giới thiệu năng lực sản xuất.")])
    status, body = server.json("POST", "/api/records", workbook.read_bytes(), who="chuyenvien",
                               content_type=api_xlsx())
    assert status == 201 and len(body["documents"]) == 1
    # a formula where a clerk should type: refused, naming the cell
    book = openpyxl.load_workbook(workbook)
    sheet = book["VanBan"] if "VanBan" in book.sheetnames else book.worksheets[0]
    sheet["K2"] = "=1+1"
    formula = tmp_path / "formula.xlsx"
    book.save(formula)
    status, body = server.json("POST", "/api/records", formula.read_bytes(), who="chuyenvien",
                               content_type=api_xlsx())
    assert status == 422 and any("K2" in p["where"] for p in body["problems"]), body


def api_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_uploads_are_bounded_and_checked_like_every_input(server):
    status, _h, _b = server.call("POST", "/api/records", b"a: b\n" * (1_200_000), who="chuyenvien",
                                 content_type="application/yaml")
    assert status == 413
    legacy = NOTICE.encode("cp1258", errors="replace")
    status, body = server.json("POST", "/api/records", legacy, who="chuyenvien", content_type="application/yaml")
    assert status == 422 and "UTF-8" in body["problems"][0]["message"]
    assert len(body["problems"]) == 1  # said once, not once by the reader and again by the batch
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 300_000_000 + b">")
    status, body = server.json("POST", "/api/records", bomb.getvalue(), who="chuyenvien", content_type=api_xlsx())
    assert status == 422 and body["problems"]
    status, _b = server.json("POST", "/api/records", b"{}", who="chuyenvien", content_type="text/plain")
    assert status == 415
    status, body = server.json("POST", "/api/records", b"!!python/object/apply:os.system ['true']\n",
                               who="chuyenvien", content_type="application/yaml")
    assert status == 422


def test_every_step_checks_the_role_and_the_state_and_issuing_takes_the_registers_number(server):
    document_id = _new_notice(server)
    path = f"/api/documents/{document_id}"
    assert server.json("POST", f"{path}/approve", who="chuyenvien")[0] == 403
    assert server.json("POST", f"{path}/approve", who="lanhdao")[0] == 409  # not submitted yet
    assert server.json("GET", path, who="chuyenvien2")[0] == 403  # another specialist's draft
    assert server.json("POST", f"{path}/submit", who="lanhdao")[0] == 403
    status, doc = server.json("POST", f"{path}/submit", who="chuyenvien")
    assert status == 200 and doc["state"] == "cho-duyet"
    status, doc = server.json("POST", f"{path}/return", json.dumps({"comment": "Sửa thời gian họp"}).encode(),
                              who="lanhdao")
    assert status == 200 and doc["state"] == "tra-lai" and doc["comment"] == "Sửa thời gian họp"
    assert server.json("POST", f"{path}/submit", who="chuyenvien")[1]["state"] == "cho-duyet"
    assert server.json("POST", f"{path}/issue", who="vanthu")[0] == 409  # not approved
    assert server.json("POST", f"{path}/approve", who="lanhdao")[1]["state"] == "da-duyet"
    assert server.json("POST", f"{path}/issue", who="lanhdao")[0] == 403
    status, doc = server.json("POST", f"{path}/issue", json.dumps({"ngay": "2026-12-03"}).encode(), who="vanthu")
    assert status == 200 and doc["state"] == "da-ban-hanh", doc
    entries = api.register_entries(str(server.data / "register.db"))
    entry = next(e for e in entries if e.record_key == f"ma:web-{document_id}")
    assert doc["so_ky_hieu"] == entry.so_ky_hieu and doc["ngay_ban_hanh"] == "03/12/2026"
    status, headers, pdf = server.call("GET", f"{path}/pdf", who="chuyenvien")
    assert status == 200 and headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf)
    assert f"Số: {entry.so_ky_hieu}" in text and "Lạng Sơn, ngày 03 tháng 12 năm 2026" in text
    assert b"pdfaid:part" in pdf  # PDF/A
    assert server.json("POST", f"{path}/issue", who="vanthu")[0] == 409  # issued once


def test_issuing_with_the_servers_keys_signs_then_seals(server):
    document_id = _new_notice(server)
    path = f"/api/documents/{document_id}"
    server.json("POST", f"{path}/submit", who="chuyenvien")
    server.json("POST", f"{path}/approve", who="lanhdao")
    status, doc = server.json("POST", f"{path}/issue", json.dumps({"sign": "1"}).encode(), who="vanthu")
    assert status == 200, doc
    _status, _h, pdf = server.call("GET", f"{path}/pdf", who="vanthu")
    signed = server.root / "signed-on-server.pdf"
    signed.write_bytes(pdf)
    report = _off_loop(api.verify, [signed])
    names = [s.signer for s in report.files[0].signatures]
    assert len(names) == 2 and "Nguyễn Văn An" in names[0] and "SỞ CÔNG THƯƠNG" in names[1]
    assert all(s.intact for s in report.files[0].signatures)


def test_the_audit_log_says_who_did_what_and_cannot_be_changed(server):
    _new_notice(server)
    status, _h, _b = server.call("POST", "/audit")
    assert status in (303, 405)
    from vanthu.web.store import WebStore

    store = WebStore(f"sqlite:///{server.data / 'web.db'}")
    try:
        actions = [(e["user"], e["action"]) for e in store.audit_entries()]
    finally:
        store.close()
    assert ("chuyenvien", "draft") in actions and ("vanthu", "issue") in actions and ("lanhdao", "approve") in actions


def test_the_state_can_live_in_postgresql(tmp_path, postgres_cluster):
    data = make_data(tmp_path, signing=False)
    state, register = postgres_cluster.new_database(), postgres_cluster.new_database()
    for name, role in PEOPLE.items():  # the people of this database
        password = tmp_path / "password.txt"
        env = {"VANTHU_PASSWORD": PASSWORD}
        assert _vanthu("users", "add", name, "--role", role, "--data", str(data), env=env).returncode == 0
        del password
    running = Server(data, "--database", state, "--register", register)
    try:
        # --database is the server's: users were added to the folder's SQLite, so add them here too
        from vanthu.web.auth import hash_password, new_api_token
        from vanthu.web.store import WebStore

        store = WebStore(state.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            running.tokens = {n: new_api_token(store, store.add_user(n, r, hash_password(PASSWORD)))
                              for n, r in PEOPLE.items()}
        finally:
            store.close()
        document_id = _new_notice(running)
        running.json("POST", f"/api/documents/{document_id}/submit", who="chuyenvien")
        running.json("POST", f"/api/documents/{document_id}/approve", who="lanhdao")
        status, doc = running.json("POST", f"/api/documents/{document_id}/issue", who="vanthu")
        assert status == 200 and doc["so_ky_hieu"] == "01/TB-SCT"
        assert [e.so_ky_hieu for e in api.register_entries(register)] == ["01/TB-SCT"]
        assert not (data / "register.db").exists()
    finally:
        running.stop()


# ---- in a real browser ---------------------------------------------------------------------------

def _context(browser, server: Server, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", accept_downloads=True)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.requests = requests
    return context


def _login(page, server: Server, name: str) -> None:
    page.goto(server.url + "/documents")
    assert "/login" in page.url
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/documents**")


def _off_loop(function, *args):
    """A library call that runs its own event loop (pyHanko's), away from Playwright's."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_notice_from_draft_to_issued_in_the_browser(browser, server):
    clerk = _context(browser, server)
    page = clerk.new_page()
    _login(page, server, "chuyenvien")
    page.get_by_role("link", name="Soạn mới").click()
    page.get_by_label("Loại văn bản").select_option("thong_bao")
    page.get_by_role("button", name="Chọn loại này").click()
    page.get_by_label("Trích yếu").fill("Về việc tổ chức Hội nghị tổng kết năm 2026")
    page.get_by_label("Nội dung").fill("Sở Công Thương tổ chức Hội nghị tổng kết công tác năm 2026.")
    date_field = page.get_by_label("Ngày ban hành dự kiến")
    date_field.fill("31/02/2026")
    page.get_by_role("button", name="Lưu dự thảo").click()
    assert date_field.get_attribute("aria-invalid") == "true"
    error = page.locator("#e-f-ngay")
    assert "31/02/2026" in error.inner_text() and "không có ngày 31" in error.inner_text()
    assert date_field.get_attribute("aria-describedby") == "e-f-ngay"  # the message is the field's
    assert page.evaluate("el => getComputedStyle(el).borderTopColor", date_field.element_handle()) \
        == "rgb(164, 18, 28)"  # and it is marked, not only described
    assert page.get_by_label("Trích yếu").input_value() == "Về việc tổ chức Hội nghị tổng kết năm 2026"  # kept
    _shot(page, "1-error-next-to-the-date")
    date_field.fill("20/12/2026")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("section.pages img").first
    preview.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 500", preview.element_handle())
    _shot(page, "2-preview")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url("**/documents/*?saved=1")
    document_id = int(page.url.split("/documents/")[1].split("?")[0])
    # a second version: the leader will see what changed
    page.get_by_role("link", name="Sửa (phiên bản mới)").click()
    page.get_by_label("Nội dung").fill("Sở Công Thương tổ chức Hội nghị tổng kết công tác năm 2026 và triển khai "
                                       "nhiệm vụ năm 2027.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url("**?saved=2")
    assert page.get_by_role("button", name="Duyệt", exact=True).count() == 0  # a chuyên viên has no approve button
    page.get_by_role("button", name="Trình duyệt").click()
    page.wait_for_url(f"**/documents/{document_id}?done=*")
    assert page.locator("#doc-state").inner_text() == "Chờ duyệt"
    _shot(page, "3-submitted")
    # the chuyên viên's session cannot approve, even by posting the form itself
    token = page.locator("input[name=csrf]").first.input_value()
    refused = page.request.post(f"{server.url}/documents/{document_id}/approve", form={"csrf": token},
                                max_redirects=0)
    assert refused.status == 403

    leader = _context(browser, server)
    lead = leader.new_page()
    _login(lead, server, "lanhdao")
    assert lead.get_by_role("link", name="Về việc tổ chức Hội nghị tổng kết năm 2026").count() == 1  # waiting
    lead.get_by_role("link", name="Về việc tổ chức Hội nghị tổng kết năm 2026").click()
    frame = lead.frame_locator("iframe.review")
    inserted = frame.locator("ins").filter(has_text="2027")
    inserted.first.wait_for()
    assert "triển khai" in frame.locator("ins").all_inner_texts().__str__()
    _shot(lead, "4-leader-sees-the-difference")
    lead.get_by_role("button", name="Duyệt", exact=True).click()
    lead.wait_for_url("**?done=*")
    assert lead.locator("#doc-state").inner_text() == "Đã duyệt"

    office = _context(browser, server)
    clerk2 = office.new_page()
    _login(clerk2, server, "vanthu")
    clerk2.goto(f"{server.url}/documents/{document_id}")
    clerk2.get_by_role("button", name="Ban hành: lấy số từ sổ đăng ký").click()
    clerk2.wait_for_url("**?done=*")
    number = clerk2.locator("#doc-number").inner_text()
    entry = next(e for e in api.register_entries(str(server.data / "register.db"))
                 if e.record_key == f"ma:web-{document_id}")
    assert number == entry.so_ky_hieu
    with clerk2.expect_download() as download:
        clerk2.get_by_role("link", name="PDF", exact=True).click()
    pdf = Path(download.value.path()).read_bytes()
    assert f"Số: {entry.so_ky_hieu}" in _pdf_text(pdf)
    _shot(clerk2, "5-issued")
    # the văn thư signs elsewhere with the leader's token and sends the signed PDF back
    signed = server.root / "signed-elsewhere.pdf"
    downloaded = server.root / "downloaded.pdf"
    downloaded.write_bytes(pdf)
    done = _vanthu("sign", str(downloaded), "-o", str(signed), "--pkcs12", str(server.root / "signer.p12"),
                   "--passphrase-file", str(server.root / "signer.pass"))
    assert done.returncode == 0, done.stderr
    tampered = server.root / "tampered.pdf"
    tampered.write_bytes(signed.read_bytes()[:-200] + b"\n" * 200)  # its last revision damaged
    clerk2.get_by_label("Bản PDF đã ký bằng thiết bị ký số của lãnh đạo").set_input_files(str(tampered))
    clerk2.get_by_role("button", name="Gửi bản PDF đã ký").click()
    assert clerk2.locator(".problems").count() == 1  # refused, said why
    clerk2.go_back()
    clerk2.get_by_label("Bản PDF đã ký bằng thiết bị ký số của lãnh đạo").set_input_files(str(signed))
    clerk2.get_by_role("button", name="Gửi bản PDF đã ký").click()
    clerk2.wait_for_url("**?done=*")
    clerk2.get_by_role("button", name="Đóng dấu, ký số của cơ quan").click()
    clerk2.wait_for_url("**?done=*")
    with clerk2.expect_download() as download:
        clerk2.get_by_role("link", name="PDF", exact=True).click()
    final = server.root / "final.pdf"
    final.write_bytes(Path(download.value.path()).read_bytes())
    checked = _off_loop(api.verify, [final]).files[0]
    assert len(checked.signatures) == 2 and all(s.intact for s in checked.signatures)
    clerk2.get_by_role("button", name="Tạo gói edXML").click()
    clerk2.wait_for_url("**?done=*")
    with clerk2.expect_download() as download:
        clerk2.get_by_role("link", name="Gói edXML").click()
    package = server.root / "sent.edxml"
    package.write_bytes(Path(download.value.path()).read_bytes())
    received = _off_loop(api.edxml_read, package, server.root / "received")
    assert received.ok, received
    for context in (clerk, leader, office):
        assert all(u.startswith(server.url) for u in context.requests), "nothing fetched from elsewhere"
        context.close()


def test_sessions_csrf_and_throttled_logins(browser, server):
    context = _context(browser, server)
    page = context.new_page()
    _login(page, server, "vanthu")
    document_id = _new_notice(server)
    # a form post without the session's token, or with another, is refused
    assert page.request.post(f"{server.url}/documents/{document_id}/submit", form={}, max_redirects=0).status == 403
    assert page.request.post(f"{server.url}/documents/{document_id}/submit", form={"csrf": "x" * 43},
                             max_redirects=0).status == 403
    cookies = {c["name"]: c for c in context.cookies()}
    session = cookies["vanthu_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login")
    # the old cookie is worth nothing once logged out
    other = browser.new_context()
    other.add_cookies([{"name": "vanthu_session", "value": session["value"], "url": server.url}])
    response = other.request.get(f"{server.url}/documents", max_redirects=0)
    assert response.status == 303 and "/login" in response.headers["location"]
    other.close()
    # five wrong passwords, then even the right one waits
    tab = context.new_page()
    for _attempt in range(5):
        tab.goto(server.url + "/login")
        tab.get_by_label("Tên đăng nhập").fill("quantri")
        tab.get_by_label("Mật khẩu").fill("sai-mat-khau")
        tab.get_by_role("button", name="Đăng nhập").click()
        assert "Sai tên đăng nhập hoặc mật khẩu" in tab.locator("#login-error").inner_text()
    tab.goto(server.url + "/login")
    tab.get_by_label("Tên đăng nhập").fill("quantri")
    tab.get_by_label("Mật khẩu").fill(PASSWORD)
    with tab.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        tab.get_by_role("button", name="Đăng nhập").click()
    assert answer.value.status == 429
    context.close()


def test_keyboard_and_200_percent_zoom(browser, server):
    context = _context(browser, server, width=640)
    page = context.new_page()
    _login(page, server, "lanhdao")
    page.goto(server.url + "/documents?state=all")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Bỏ qua, đến nội dung"
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"
    _shot(page, "6-list-at-640px")
    page.goto(server.url + "/register")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(page, "7-register-at-640px")
    context.close()


def _issued_notice(server: Server) -> int:
    document_id = _new_notice(server)
    for step, who in (("submit", "chuyenvien"), ("approve", "lanhdao"), ("issue", "vanthu")):
        status, body = server.json("POST", f"/api/documents/{document_id}/{step}", who=who)
        assert status == 200, body
    return document_id


def test_the_register_page_workbook_and_the_archive_of_a_period(browser, server):
    _issued_notice(server)
    context = _context(browser, server)
    page = context.new_page()
    _login(page, server, "vanthu")
    page.goto(server.url + "/register")
    issued = [e.so_ky_hieu for e in api.register_entries(str(server.data / "register.db"))]
    assert issued and all(page.get_by_role("cell", name=n, exact=True).count() == 1 for n in issued)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải sổ đăng ký (mẫu Phụ lục IV)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = server.root / download.value.suggested_filename
    download.value.save_as(workbook)
    book = openpyxl.load_workbook(workbook)
    values = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any(n.split("/")[0] in v for n in issued for v in values)
    page.goto(server.url + "/archive")
    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_label("Đến ngày").fill("2026-12-31")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tạo gói lưu trữ (.zip)").click()
    archive = server.root / "luu-tru.zip"
    archive.write_bytes(Path(download.value.path()).read_bytes())
    checked = _off_loop(api.archive_verify, archive)
    assert checked.ok, checked
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert len([f for f in z.namelist() if f.endswith(".docx")]) == len(issued)
    assert manifest
    context.close()


def test_english_pages_on_request(server):
    english = Server(server.data, "--lang", "en")
    try:
        _status, _h, page = english.call("GET", "/login")
        assert b">Log in<" in page and b'lang="en"' in page
        status, body = english.json("POST", "/api/documents/999999/approve", who="lanhdao")
        assert status == 404 and body["error"] == "no such document"
    finally:
        english.stop()


def test_editing_an_uploaded_record_keeps_what_the_form_does_not_show(browser, server):
    record = (ROOT / "records" / "02-ke-hoach-tuyen-truyen-bien-dao.yaml").read_text(encoding="utf-8")
    document_id = _new_notice(server, text=record)  # its own agency and signer, appendix tables
    context = _context(browser, server)
    page = context.new_page()
    _login(page, server, "chuyenvien")
    page.goto(f"{server.url}/documents/{document_id}/edit")
    assert page.get_by_label("Cơ quan ban hành").input_value() == ""  # as in the record sent
    page.get_by_label("Trích yếu").fill("Tuyên truyền biển, đảo năm 2027")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url("**?saved=2")
    import yaml

    first = yaml.safe_load((server.data / "documents" / str(document_id) / "v1" / "record.yaml").read_text("utf-8"))
    second = yaml.safe_load((server.data / "documents" / str(document_id) / "v2" / "record.yaml").read_text("utf-8"))
    assert second["trich_yeu"] == "Tuyên truyền biển, đảo năm 2027"
    assert second["co_quan"] == first["co_quan"] and second["nguoi_ky"] == first["nguoi_ky"]
    assert second["phu_luc"] == first["phu_luc"]
    context.close()


def test_record_text_is_shown_as_text_never_run(browser, server):
    hostile = NOTICE.replace("trich_yeu: Về việc họp giao ban tháng 12",
                             "trich_yeu: 'Về việc <script>alert(1)</script><img src=x onerror=alert(2)> họp'")
    document_id = _new_notice(server, text=hostile)
    context = _context(browser, server)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, server, "chuyenvien")
    page.goto(f"{server.url}/documents/{document_id}")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    page.frame_locator("iframe.review").locator("h1").wait_for()
    page.goto(f"{server.url}/documents")
    page.goto(f"{server.url}/documents/{document_id}/edit")
    assert page.get_by_label("Trích yếu").input_value().startswith("Về việc <script>")
    assert dialogs == []
    assert all(u.startswith(server.url) for u in context.requests)
    context.close()


def test_signing_on_the_server_with_pkcs11_tokens(tmp_path, softhsm):
    from conftest import SOFTHSM_LIB

    data = make_data(tmp_path, signing=False)
    keys = data / "ky-so"
    keys.mkdir()
    (keys / "pin").write_text("1234\n", encoding="utf-8")
    seal_png(keys / "con-dau.png")
    (data / "web.toml").write_text(
        f'[ky_so]\npkcs11_lib = "{SOFTHSM_LIB}"\ntoken_label = "vanthu"\nkey_label = "signer"\npin_file = "ky-so/pin"\n'
        f'[con_dau]\npkcs11_lib = "{SOFTHSM_LIB}"\ntoken_label = "van-thu"\nkey_label = "co-quan"\n'
        'pin_file = "ky-so/pin"\nseal = "ky-so/con-dau.png"\n', encoding="utf-8")
    running = Server(data)  # started with SOFTHSM2_CONF naming the run's tokens
    try:
        document_id = _new_notice(running)
        running.json("POST", f"/api/documents/{document_id}/submit", who="chuyenvien")
        running.json("POST", f"/api/documents/{document_id}/approve", who="lanhdao")
        status, doc = running.json("POST", f"/api/documents/{document_id}/issue", json.dumps({"sign": "1"}).encode(),
                                   who="vanthu")
        assert status == 200, doc
        _status, _h, pdf = running.call("GET", f"/api/documents/{document_id}/pdf", who="vanthu")
        signed = tmp_path / "signed.pdf"
        signed.write_bytes(pdf)
        roots = [softhsm["signer"].root_pem, softhsm["agency"].root_pem]
        signatures = _off_loop(lambda: api.verify([signed], trust=roots)).files[0]
        names = [s.signer for s in signatures.signatures]
        assert len(names) == 2 and "Nguyễn Văn An" in names[0] and "SỞ CÔNG THƯƠNG" in names[1]
        assert all(s.intact and s.trusted for s in signatures.signatures)
    finally:
        running.stop()


def test_the_data_folder_may_come_from_the_environment(server):
    done = _vanthu("users", "token", "vanthu", env={"VANTHU_DATA": str(server.data)})
    assert done.returncode == 0 and done.stdout.strip().startswith("vt_")
    missing = _vanthu("users", "token", "vanthu", env={"VANTHU_DATA": ""})
    assert missing.returncode == 2 and "--data" in missing.stderr
    unknown = _vanthu("users", "token", "khong-co", "--data", str(server.data))
    assert unknown.returncode == 2 and "khong-co" in unknown.stderr and "Traceback" not in unknown.stderr
    weak = _vanthu("users", "add", "x", "--role", "van-thu", "--data", str(server.data),
                   env={"VANTHU_PASSWORD": "ngan"})
    assert weak.returncode == 2 and "8" in weak.stderr
    bad_role = _vanthu("users", "add", "x", "--role", "giam-doc", "--data", str(server.data),
                       env={"VANTHU_PASSWORD": PASSWORD})
    assert bad_role.returncode == 2 and "chuyen-vien" in bad_role.stderr


def test_the_form_previews_its_pages_as_the_clerk_types(browser, server):
    context = _context(browser, server)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, server, "chuyenvien")
    page.goto(server.url + "/documents/new?loai=thong_bao")
    page.get_by_label("Trích yếu").fill("Về việc kiểm tra an toàn thực phẩm")
    page.get_by_label("Nội dung").fill("Sở Công Thương thông báo kế hoạch kiểm tra an toàn thực phẩm.")
    page.get_by_label("Nội dung").press("End")
    status = page.locator("#live-status")
    status.filter(has_text="Bản xem trước đã được cập nhật.").wait_for(timeout=60000)
    picture = page.locator("#live-pages img").first
    picture.wait_for()
    page.wait_for_function("() => { const i = document.querySelector('#live-pages img'); "
                           "return i && i.complete && i.naturalWidth > 500; }")
    first = picture.get_attribute("src")
    # a wrong value: said in the status, the pictures stay as they were
    page.get_by_label("Ngày ban hành dự kiến").fill("31/02/2026")
    status.filter(has_text="Chưa xem trước được").wait_for(timeout=60000)
    assert "31/02/2026" in status.inner_text() and picture.get_attribute("src") == first
    assert page.url.endswith("/documents/new?loai=thong_bao")  # nothing was submitted, nothing saved
    _shot(page, "8-live-preview")
    assert errors == []  # the page's script ran under its Content-Security-Policy without complaint
    context.close()


def test_a_long_list_comes_a_page_at_a_time(browser, server):
    from vanthu.web.store import WebStore

    store = WebStore(f"sqlite:///{server.data / 'web.db'}")
    try:
        author = store.user_by_name("chuyenvien2")[0]
        with store.begin() as conn:  # many drafts, as a year of an office's work leaves them
            for n in range(120):
                store.add_document(conn, "TB", f"Về việc số {n:03d} của danh sách dài", author)
    finally:
        store.close()
    context = _context(browser, server)
    page = context.new_page()
    _login(page, server, "chuyenvien2")
    page.goto(server.url + "/documents?state=du-thao")
    rows = page.locator("tbody tr")
    assert rows.count() == 50
    first_page = rows.all_inner_texts()
    page.get_by_role("link", name="Cũ hơn").click()
    assert rows.count() == 50 and not set(rows.all_inner_texts()) & set(first_page)
    page.get_by_role("link", name="Cũ hơn").click()
    assert rows.count() == 20 and page.get_by_role("link", name="Cũ hơn").count() == 0
    page.get_by_role("link", name="Mới hơn").click()
    assert rows.count() == 50
    context.close()
