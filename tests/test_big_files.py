"""One big YAML file of records: cut into parts each process reads alone, with the same records,
positions, problems, order and rerun identities as reading the file whole."""

from __future__ import annotations

import json

import yaml

from conftest import record
from vanthu.batch import REPORT_FILE, generate, inputs
from vanthu.batch.inputs import work_units
from vanthu.records.yaml_reader import PART_RECORDS, read_yaml, read_yaml_part, split_yaml

# what people type that a line-by-line cut would get wrong: a quoted value running on over
# lines, one of them starting with "- " at the left edge; comments between records
TRICKY = '''  trich_yeu: "Về việc tổ chức hội nghị
- tổng kết năm 2026"
'''


BODY = "Các đơn vị phối hợp chặt chẽ, thường xuyên trao đổi thông tin, bảo đảm tiến độ. " * 12


def _big_file(tmp_path, count: int = 260, bad: int = 123, duplicate: int = 201):
    lines = ["# danh sách thông báo, gõ tay", "---"]
    for i in range(count):
        data = record(so=i + 1, trich_yeu=None, ngay="31/02/2021" if i == bad else "10/09/2021",
                      noi_dung=BODY)
        text = yaml.safe_dump([data], allow_unicode=True, sort_keys=False)
        lines.append(text.rstrip("\n"))
        lines.append(TRICKY.rstrip("\n") if i % 7 else f"  trich_yeu: Về việc số {i + 1} – Hoà Bình 🙂")
        if i == duplicate:
            lines.append("  dia_danh: Lạng Sơn")  # a key given twice: reported, never silently replaced
        lines.append(f"# hết văn bản {i + 1}")
    path = tmp_path / "in" / "thong-bao.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 256 * 1024  # big enough to be cut (batch/inputs.py)
    return path


def test_parts_hold_exactly_the_records_of_the_whole_file(tmp_path):
    path = _big_file(tmp_path)
    whole = read_yaml(path)
    parts = split_yaml(path, 4)
    assert parts is not None and len(parts) >= 260 // PART_RECORDS
    assert all(p.count <= PART_RECORDS for p in parts)
    read = [raw for part in parts for raw in read_yaml_part(path, part)]
    assert [r.index for r in read] == [r.index for r in whole] == list(range(260))
    assert [r.data for r in read] == [r.data for r in whole]
    assert read[1].data["trich_yeu"] == "Về việc tổ chức hội nghị - tổng kết năm 2026"
    # positions are the file's own lines, wherever the part starts
    for i in (0, 57, 123, 259):
        assert read[i].origin(("ngay",)) == whole[i].origin(("ngay",))
    assert [str(p) for p in read[201].problems] == [str(p) for p in whole[201].problems]
    assert read[201].problems and read[201].problems[0].field.startswith("201.")


def test_what_cannot_be_cut_is_read_whole(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    anchors = folder / "anchors.yaml"
    anchors.write_text("- &a {loai: TB}\n- *a\n", encoding="utf-8")
    flow = folder / "flow.yaml"
    flow.write_text("[{loai: TB}, {loai: TB}]\n", encoding="utf-8")
    one = folder / "one.yaml"
    one.write_text("loai: TB\nnoi_nhan:\n- Như trên\n- Lưu\n", encoding="utf-8")
    dash_alone = folder / "dash.yaml"
    dash_alone.write_text("-\n  loai: TB\n-\n  loai: TB\n", encoding="utf-8")
    broken = folder / "broken.yaml"
    broken.write_text("- loai: TB\n- loai: [TB\n", encoding="utf-8")
    legacy = folder / "legacy.yaml"
    legacy.write_bytes("- loai: Thông báo\n- loai: TB\n".encode("cp1258"))
    for path in (anchors, flow, one, dash_alone, broken, legacy):
        assert split_yaml(path, 4) is None, path.name


def test_a_big_file_renders_like_the_same_records_read_whole(tmp_path, monkeypatch):
    path = _big_file(tmp_path)
    units = work_units([path], 2, merge=False)
    assert all(u.span is not None for u in units) and len(units) > 1
    out = tmp_path / "out"
    results = list(generate([path], out, jobs=2))
    assert len(results) == 260
    failed = [r for r in results if not r.ok]
    assert [r.source.rsplit("#", 1)[1] for r in failed] == ["124", "202"]  # the date; the key given twice
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "31/02/2021" in text)
    assert f"{path}:{line}:" in str(failed[0].problems[0])  # the file's own line, from a part read alone
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    assert [e["source"] for e in report["records"]] == [f"{path}#{i + 1}" for i in range(260)]
    assert len(list(out.glob("*.docx"))) == 258
    # the rerun finds every record by its place in the file: nothing to do
    again = list(generate([path], out, jobs=2))
    assert sum(r.status == "unchanged" for r in again) == 258
    # the first record removed: every later one moves up a place; the folder ends as a batch
    # reading the file whole leaves it (one document fewer, the others renamed into place)
    text = path.read_text(encoding="utf-8")
    first = text.index("- loai:")
    path.write_text(text[:first] + text[text.index("- loai:", first + 1):], encoding="utf-8")
    third = list(generate([path], out, jobs=2))
    assert [r.status for r in third].count("written") == 257
    names = sorted(p.name for p in out.glob("*.docx"))
    assert len(names) == 257
    whole_out = tmp_path / "whole"
    monkeypatch.setattr(inputs, "_SPLIT_BYTES", 10**12)
    assert all(u.span is None for u in work_units([path], 2, merge=False))
    list(generate([path], whole_out, jobs=2))
    assert sorted(p.name for p in whole_out.glob("*.docx")) == names


def test_so_auto_is_found_in_a_big_file_read_a_piece_at_a_time(tmp_path):
    from vanthu.batch.numbering import _AUTO_IN_YAML, _file_matches

    path = tmp_path / "many.yaml"
    filler = "".join(f"- loai: TB\n  so: {i + 1}\n" for i in range(2000))
    for cut in (0, 7, 4096):  # "so: auto" at the start, across a piece's end, further on
        path.write_text(filler[:cut] + "- loai: TB\n  so: auto\n" + filler[cut:], encoding="utf-8")
        assert _file_matches(path, _AUTO_IN_YAML, chunk=64)
    path.write_text(filler + "- loai: TB\n  so: autonomous\n  ghi_chu: so: auto", encoding="utf-8")
    assert not _file_matches(path, _AUTO_IN_YAML, chunk=64)


def test_progress_counts_documents_across_files_and_parts(tmp_path):
    from conftest import write_records
    from vanthu import api

    path = _big_file(tmp_path)
    for n in range(2):  # small files beside the big one: counted as they are read
        write_records(tmp_path / "in", *[record(so=500 + 10 * n + k) for k in range(n + 2)], name=f"nho-{n}.yaml")
    events: list[api.ProgressEvent] = []
    summary = api.generate([path.parent], tmp_path / "out", jobs=2, progress=events.append)
    counted = [e for e in events if e.stage == "render" and e.outcome is None and e.note is None]
    total = 260 + 2 + 3
    assert summary.written + summary.failed == total
    done = [e.documents_done for e in counted]
    assert done == sorted(done) and done[-1] == total  # documents, not files or parts
    assert counted[-1].documents == total  # exact once every file is read
    assert len(counted) > 4 and all(e.documents >= e.documents_done for e in counted)
