from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

from vanthu.batch import generate
from vanthu.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "records"


@pytest.fixture(autouse=True, scope="session")
def pdf_service_of_the_run(tmp_path_factory):
    """The PDF service the tests' conversions start: a runtime folder of the run's own, and stopped
    when the run ends (a test run leaves no LibreOffice behind)."""
    import os

    runtime = tmp_path_factory.mktemp("runtime")
    runtime.chmod(0o700)
    saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "VANTHU_PDF_SERVICE_IDLE")}
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ["VANTHU_PDF_SERVICE_IDLE"] = "300"
    yield runtime
    from vanthu.pdf.service import stop

    stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def vietnamese_messages():
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def blank(tmp_path) -> Path:
    """The blank workbook `vanthu excel-template` writes, as a clerk starts from it."""
    from vanthu.cli import main

    path = tmp_path / "mau.xlsx"
    assert main(["excel-template", "-o", str(path)]) == 0
    return path


def load_example(name: str) -> dict:
    (path,) = RECORDS.glob(f"*{name}*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


BASE_RECORD = {
    "loai": "TB",
    "co_quan": {"chu_quan": "UBND TỈNH LẠNG SƠN", "ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"},
    "so": 5,
    "dia_danh": "Lạng Sơn",
    "ngay": "10/09/2021",
    "trich_yeu": "Về việc tổ chức triển lãm",
    "noi_dung": "Nội dung thông báo.",
    "nguoi_ky": {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"},
    "noi_nhan": ["UBND tỉnh (b/c)"],
    "luu": ["VP"],
}


def record(**changes) -> dict:
    data = copy.deepcopy(BASE_RECORD)
    for key, value in changes.items():
        if value is None and key in data:
            del data[key]
        else:
            data[key] = value
    return data


def write_records(folder: Path, *records: dict, name: str = "records.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    body = records[0] if len(records) == 1 else list(records)
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def render(tmp_path: Path, data: dict, template: Path | None = None) -> Path:
    """Render one record; fail the test with its problems if it does not render."""
    source = write_records(tmp_path / "in", data)
    (result,) = list(generate([source], tmp_path / "out", template))
    assert result.ok, [str(p) for p in result.problems]
    return result.output


@pytest.fixture
def render_record(tmp_path):
    counter = iter(range(10_000))

    def _render(data: dict, template: Path | None = None) -> Path:
        return render(tmp_path / f"r{next(counter)}", data, template)

    return _render


@pytest.fixture(scope="session")
def postgres_cluster():
    """A PostgreSQL server of the tests' own (tests/pg.py); in CI it must be there."""
    import os

    from pg import Cluster, binaries

    bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI: PostgreSQL is not installed (scripts/setup.sh installs the postgresql package)")
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
    except Exception as exc:
        cluster.stop()
        detail = getattr(exc, "stderr", "") or exc
        if os.environ.get("CI"):
            pytest.fail(f"CI: PostgreSQL did not start: {detail}")
        pytest.skip(f"PostgreSQL did not start: {detail}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def register_url(request, tmp_path) -> str:
    """A new, empty register: a real SQLite file, then a database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'so-dang-ky.db'}"
    return request.getfixturevalue("postgres_cluster").new_database()


SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """Two SoftHSM2 tokens for the whole run, made before any test loads the PKCS#11 library
    (once loaded in a process it sees only the tokens and SOFTHSM2_CONF it started with):
    'vanthu' holds a signer's key ('signer'), 'van-thu' an agency's ('co-quan'); PIN 1234.
    Returns {'signer': TestPki, 'agency': TestPki}."""
    import os
    import shutil
    import subprocess

    from pki import make_pki

    if not (shutil.which("softhsm2-util") and Path(SOFTHSM_LIB).exists()):
        pytest.skip("SoftHSM2 is not installed")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pkis = {"signer": make_pki(root / "signer"), "agency": make_pki(root / "agency", signer_name="SỞ CÔNG THƯƠNG")}

    def run(*a):
        return subprocess.run(a, check=True, capture_output=True, env={**os.environ})

    for (label, key_label, key_id), pki in zip((("vanthu", "signer", "01"), ("van-thu", "co-quan", "02")),
                                               pkis.values(), strict=True):
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", "1234", "--so-pin", "5678")
        run("softhsm2-util", "--import", str(pki.signer_key_pem), "--token", label, "--label", key_label,
            "--id", key_id, "--pin", "1234")
        run("pkcs11-tool", "--module", SOFTHSM_LIB, "--token-label", label, "--login", "--pin", "1234",
            "--write-object", str(pki.signer_cert_der), "--type", "cert", "--label", key_label, "--id", key_id)
    yield pkis
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by scripts/setup.sh: Playwright drives it, downloads nothing


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium (the review pages, the web application)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI: Debian's chromium is not installed (scripts/setup.sh installs it)")
        pytest.skip("chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium's sandbox refuses root
        instance = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield instance
        instance.close()
