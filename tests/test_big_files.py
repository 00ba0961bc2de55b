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
    runs = split_yaml(path)
    assert runs is not None
    parts = list(runs)
    assert len(parts) >= 260 // PART_RECORDS and parts[-1].final and not any(p.final for p in parts[:-1])
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
    for path in (flow, one):
        assert split_yaml(path) is None, path.name
    for path in (anchors, dash_alone, broken, legacy):  # one run: the whole file, as read_yaml reads it
        runs = split_yaml(path)
        assert runs is None or [(r.start, r.end) for r in runs] == [(0, path.stat().st_size)], path.name


def test_where_cutting_cannot_be_trusted_the_rest_is_one_run(tmp_path):
    path = _big_file(tmp_path)
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # an anchor at the 150th record, an alias to it at the 160th: no cut may come between them
    starts = [i for i, line in enumerate(text) if line.startswith("- loai:")]  # not the quoted "- " lines
    assert len(starts) == 260
    text[starts[149]] = text[starts[149]].replace("- loai:", "- &mau loai:", 1)
    text.insert(starts[159] + 1, "  ghi_chu_mau: *mau\n")
    path.write_text("".join(text), encoding="utf-8")
    parts = list(split_yaml(path))
    assert parts[-1].start <= len("".join(text[:starts[149]]).encode()) and parts[-1].end == path.stat().st_size
    assert [r.index for part in parts for r in read_yaml_part(path, part)] == list(range(260))
    # a syntax error near the end: the runs before it are records, the last says what is wrong
    broken = tmp_path / "in" / "hong.yaml"
    lines = _big_file(tmp_path / "b").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(len(lines) - 3, "  noi_nhan: [Các sở\n")
    broken.write_text("".join(lines), encoding="utf-8")
    parts = list(split_yaml(broken))
    assert len(parts) > 1
    import pytest

    from vanthu.records.yaml_reader import YamlReadError

    with pytest.raises(YamlReadError) as fault:
        read_yaml_part(broken, parts[-1])
    assert fault.value.problem.origin.line is not None and fault.value.problem.origin.line > len(lines) - 10


def test_a_big_file_renders_like_the_same_records_read_whole(tmp_path, monkeypatch):
    path = _big_file(tmp_path)
    units = list(work_units([path], 2, merge=False))
    assert all(u.span is not None for u in units) and len(units) > 1 and units[-1].last
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


def test_a_syntax_error_near_the_end_of_a_big_file_fails_its_run_and_says_where(tmp_path):
    path = _big_file(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(len(lines) - 3, "  noi_nhan: [Các sở\n")
    path.write_text("".join(lines), encoding="utf-8")
    results = list(generate([path], tmp_path / "out", jobs=2))
    failed = [r for r in results if not r.ok]
    fault = next(r for r in failed if r.order == -1)
    assert fault.problems[0].origin.line > len(lines) - 10  # the line of the fault, in the whole file
    written = [r for r in results if r.status == "written"]
    assert len(written) >= 200  # the runs before the fault are ordinary records
    assert len(written) < 260  # the records of the broken run are not written


def _clean_file(tmp_path, tricky_at: int | None = None):
    lines = ["# gõ tay, có chú thích ở đầu", "---"]
    for i in range(260):
        data = record(so=i + 1, noi_dung=BODY, trich_yeu=f"Về việc số {i + 1}")
        lines.append(yaml.safe_dump([data], allow_unicode=True, sort_keys=False).rstrip("\n"))
        if i == tricky_at:
            lines.append(TRICKY.replace("trich_yeu", "ghi_chu_noi_bo").rstrip("\n"))
    path = tmp_path / "in" / "sach.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_fast_cut_gives_the_parsers_own_runs(tmp_path):
    from vanthu.records.yaml_reader import _line_runs, _runs_from

    for tricky_at in (None, 130):
        path = _clean_file(tmp_path / str(tricky_at), tricky_at)
        fast = _line_runs(path)
        assert fast is not None
        fast_runs = list(fast)
        exact = list(_runs_from(path, 0, 0, 0))  # the parser's events over the whole file
        assert [(r.start, r.end, r.index, r.line, r.count) for r in fast_runs] == \
            [(r.start, r.end, r.index, r.line, r.count) for r in exact]
        whole = read_yaml(path)
        read = [raw for part in fast_runs for raw in read_yaml_part(path, part)]
        assert [r.data for r in read] == [r.data for r in whole]
        assert [r.origin(("so",)) for r in read] == [r.origin(("so",)) for r in whole]
