"""The wheel works: built from this checkout, installed (not editable) into a fresh venv, run
from another folder, it finds its templates, font widths and messages inside itself."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from conftest import RECORDS

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installs_into_a_fresh_venv_and_renders_the_examples(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("vanthu-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"vanthu/templates/{p.name}" for p in (ROOT / "templates").glob("*.docx")} <= names
    assert "vanthu/data/tnr_widths.json" in names and "vanthu/locale/vi/LC_MESSAGES/vanthu.mo" in names
    assert {f"vanthu/review/templates/{p.name}" for p in (ROOT / "src/vanthu/review/templates").iterdir()} <= names
    assert {"vanthu/edxml/edxml-qcvn102-2016.xsd", "vanthu/edxml/defaults.yaml"} <= names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # vanthu itself from the wheel; its dependencies from the test's environment, whose own
    # vanthu (the editable install's .pth) a plain path line does not bring along
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, capture_output=True, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import vanthu; print(vanthu.__file__)"], cwd=elsewhere,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(site), where
    vanthu = env_dir / "bin" / "vanthu"
    types = subprocess.run([str(vanthu), "types"], cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert types.returncode == 0, types.stderr
    assert "thong_bao.docx" in types.stdout and "quyet_dinh.docx" in types.stdout
    run = subprocess.run([str(vanthu), "generate", str(RECORDS), "-o", "out"], cwd=elsewhere,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    written = sorted((elsewhere / "out").glob("*.docx"))
    assert len(written) == len(list(RECORDS.glob("*.yaml")))
    # the message catalog travelled too: the summary is in Vietnamese
    assert f"{len(written)} văn bản đã tạo, 0 không đổi, 0 không tạo được" in run.stdout, run.stdout
