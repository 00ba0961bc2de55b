"""A template is compiled once (docxtpl's pass, the style pass, Jinja's code) and kept under
~/.cache/vanthu/templates, keyed by its bytes: later runs read the compiled form back. Each test
has a cache folder of its own (XDG_CACHE_HOME)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx

from conftest import RECORDS, ROOT

RECORD = RECORDS / "01-thong-bao-trien-lam.yaml"

# One document rendered by the library in a fresh process; it prints which of the compiling
# stage's libraries the run loaded, and the template's notes.
RUN = """
import json, sys
from pathlib import Path
from vanthu import api
notes = []
summary = api.generate([Path(sys.argv[1])], Path(sys.argv[2]), template=Path(sys.argv[3]), jobs=1)
print(json.dumps({"written": summary.written, "failed": summary.failed,
                  "problems": [str(p) for d in summary.documents for p in d.problems],
                  "loaded": sorted(m for m in ("docxtpl", "docx", "lxml.etree") if m in sys.modules)}))
"""


def run(tmp_path: Path, template: Path, out: str) -> dict:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", RUN, str(RECORD), str(tmp_path / out), str(template)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def document_xml(folder: Path) -> bytes:
    (output,) = folder.glob("*.docx")
    return zipfile.ZipFile(output).read("word/document.xml")


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "vanthu" / "templates").glob("*.bin"))


def without_a_style(tmp_path: Path) -> Path:
    """A user template that lacks one of vanthu's styles (the run says so, from the cache too)."""
    template = docx.Document(ROOT / "templates" / "thong_bao.docx")
    style = template.styles["VT Danh sách nơi nhận"]
    style.element.getparent().remove(style.element)
    path = tmp_path / "thieu-style.docx"
    template.save(path)
    return path


def test_the_second_run_reads_the_compiled_template_and_makes_the_same_document(tmp_path):
    template = without_a_style(tmp_path)
    first = run(tmp_path, template, "first")
    assert first["written"] == 1 and "docxtpl" in first["loaded"] and "lxml.etree" in first["loaded"]
    assert len(cache_files(tmp_path)) == 1
    second = run(tmp_path, template, "second")
    assert second["written"] == 1
    assert second["loaded"] == [], "nothing of the compiling stage is loaded from the cache"
    assert document_xml(tmp_path / "first") == document_xml(tmp_path / "second")
    assert (tmp_path / "first" / "batch-report.json").exists()


def test_a_damaged_cache_is_compiled_again_and_replaced(tmp_path):
    template = ROOT / "templates" / "thong_bao.docx"
    run(tmp_path, template, "first")
    (cached,) = cache_files(tmp_path)
    good = cached.read_bytes()
    for damage in (good[: len(good) // 2], b"\x00garbage", b""):
        cached.write_bytes(damage)
        again = run(tmp_path, template, f"again-{len(damage)}")
        assert again["written"] == 1 and "docxtpl" in again["loaded"]
        assert document_xml(tmp_path / f"again-{len(damage)}") == document_xml(tmp_path / "first")
        assert cached.read_bytes() == good


def test_a_changed_template_is_compiled_anew(tmp_path):
    template = tmp_path / "mau.docx"
    template.write_bytes((ROOT / "templates" / "thong_bao.docx").read_bytes())
    run(tmp_path, template, "first")
    changed = docx.Document(template)
    changed.add_paragraph("Dòng thêm của người dùng")
    changed.save(template)
    second = run(tmp_path, template, "second")
    assert second["written"] == 1 and "docxtpl" in second["loaded"]
    assert len(cache_files(tmp_path)) == 2
    assert "Dòng thêm của người dùng".encode() in document_xml(tmp_path / "second")
    assert "Dòng thêm của người dùng".encode() not in document_xml(tmp_path / "first")


def test_a_refused_template_is_refused_on_every_run(tmp_path):
    template = docx.Document(ROOT / "templates" / "thong_bao.docx")
    template.add_paragraph("{% include 'x.xml' %}")
    path = tmp_path / "include.docx"
    template.save(path)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for attempt in range(2):
        done = subprocess.run([str(Path(sys.executable).with_name("vanthu")), "generate", str(RECORD), "-o",
                               str(tmp_path / f"out-{attempt}"), "--template", str(path)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 2 and "include" in done.stderr and "Traceback" not in done.stderr
    assert cache_files(tmp_path) == []


def test_a_cache_file_others_may_change_is_not_read(tmp_path):
    """Compiled code is read back from the cache, so a file anyone else could have written is
    compiled again instead, and replaced by a file of the user's own."""
    template = ROOT / "templates" / "thong_bao.docx"
    run(tmp_path, template, "first")
    (cached,) = cache_files(tmp_path)
    cached.chmod(0o666)
    again = run(tmp_path, template, "again")
    assert again["written"] == 1 and "docxtpl" in again["loaded"]
    assert cached.stat().st_mode & 0o022 == 0
    assert run(tmp_path, template, "third")["loaded"] == []


def test_the_cache_keeps_the_templates_used_last(tmp_path, monkeypatch):
    import time

    from vanthu.render import engine

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "CACHED_TEMPLATES", 3)
    folder = tmp_path / "cache" / "vanthu" / "templates"
    folder.mkdir(parents=True)
    (folder / "old-0.1.0.json").write_text("{}")  # what an older vanthu kept
    templates = []
    for i in range(5):
        document = docx.Document(ROOT / "templates" / "thong_bao.docx")
        document.add_paragraph(f"Bản {i}")
        templates.append(tmp_path / f"mau-{i}.docx")
        document.save(templates[-1])

    def cached(template: Path) -> Path:
        return engine._cache_path(engine.hashlib.sha256(template.read_bytes()).hexdigest())

    for template in [*templates[:3], templates[0], templates[3], templates[4]]:  # the first used again
        engine.CompiledTemplate.load(template)
        time.sleep(0.02)  # file times are a few ms coarse
    assert sorted(folder.iterdir()) == sorted(cached(templates[i]) for i in (0, 3, 4))
