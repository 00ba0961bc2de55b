"""vanthu review: the static site for leaders, built from real batches (the examples as first
drafts, then edited as a clerk edits them), converted by the real LibreOffice, and driven in a
real headless Chromium. Screenshots are kept in test-artifacts/review/."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import RECORDS, ROOT, record, write_records
from vanthu import api
from vanthu.cli import main
from vanthu.review.diff import paragraph_diff, word_diff

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
ARTIFACTS = Path(os.environ.get("VANTHU_ARTIFACTS", ROOT / "test-artifacts")) / "review"

INSERTED = "rộng rãi"  # put into the notice's purpose paragraph
DELETED = "Trang thông tin điện tử Sở"  # taken out of its Nơi nhận
NEW_PARAGRAPH = "Đề nghị các đơn vị phối hợp thực hiện."


def _edit(folder: Path) -> None:
    """What a clerk does between two drafts: edits the notice word by word and adds a paragraph,
    drops the report, adds a new invitation (its own mã)."""
    notice = folder / "01-thong-bao-trien-lam.yaml"
    data = yaml.safe_load(notice.read_text(encoding="utf-8"))
    data["noi_dung"] = data["noi_dung"].replace("Giới thiệu năng lực", f"Giới thiệu {INSERTED} năng lực")
    data["noi_dung"] += f"\n{NEW_PARAGRAPH}\n"
    data["noi_nhan"] = [n for n in data["noi_nhan"] if n != DELETED]
    data["du_thao"] = 2
    notice.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "06-bao-cao-ket-qua-trien-lam.yaml").unlink()
    write_records(folder, record(loai="GM", ma="gm-hop-bao", trich_yeu="Dự họp báo <về> triển lãm & hội chợ",
                                 su_kien={"ten": "Họp báo", "bat_dau": "15/09/2021 14:00",
                                          "dia_diem": "Hội trường Sở"}), name="08-giay-moi-hop-bao.yaml")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(RECORDS, root / "v1")
    shutil.copytree(RECORDS, root / "v2")
    _edit(root / "v2")
    for version in ("v1", "v2"):
        summary = api.generate([root / version], root / f"b{version[1]}", draft=True)
        assert summary.ok, [str(p) for d in summary.documents for p in d.problems]
    final = api.generate([RECORDS], root / "final")
    assert final.ok
    return {"root": root, "draft1": root / "b1", "draft2": root / "b2", "final": root / "final"}


@pytest.fixture(scope="module")
def review_site(sites):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    site = sites["root"] / "site"
    report = api.review(sites["draft2"], site, previous=sites["draft1"])
    assert report.ok, report.problems
    return site


@pytest.fixture(scope="module")
def final_site(sites):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    site = sites["root"] / "final-site"
    assert api.review(sites["final"], site).ok
    return site


# ---- the library: pairing, statuses, differences -------------------------------------------------

def test_each_document_is_paired_with_the_same_records_previous_draft(sites):
    batch = api.review_batch(sites["draft2"], previous=sites["draft1"])
    status = {d.type_name + ("/" + d.key if d.key.startswith("ma:") else ""): d.status for d in batch.documents}
    assert status == {"Thông báo": "changed", "Kế hoạch": "unchanged", "Giấy mời": "unchanged",
                      "Công văn": "unchanged", "Quyết định": "unchanged", "Tờ trình": "unchanged",
                      "Giấy mời/ma:gm-hop-bao": "new", "Báo cáo": "removed"}
    (notice,) = [d for d in batch.documents if d.type_name == "Thông báo"]
    assert notice.draft == "Dự thảo lần 2" and notice.number == ""
    kinds = [p.kind for p in notice.diff]
    # the edited paragraph; the one that was last, which hands its closing "./." to the new last one
    assert kinds.count("changed") == 2 and kinds.count("inserted") == 1 and kinds.count("deleted") == 1
    edited, was_last = [p for p in notice.diff if p.kind == "changed"]
    assert [piece.text.strip() for piece in edited.pieces if piece.op == "insert"] == [INSERTED]
    assert [(piece.op, piece.text) for piece in was_last.pieces if piece.op != "equal"] == [("delete", "/.")]
    assert [p.old for p in notice.diff if p.kind == "deleted"] == [f"- {DELETED};"]
    assert [p.new for p in notice.diff if p.kind == "inserted"] == [f"{NEW_PARAGRAPH}/."]


def test_word_diff_reads_back_both_texts_exactly():
    old = ["Kính gửi: Sở Tài chính", "Thời gian: 08 giờ, ngày 20/9/2021.", "Đoạn sẽ bỏ đi hoàn toàn.", "Hết."]
    new = ["Kính gửi: Sở Tài chính", "Thời gian: 14 giờ 30, ngày 21/9/2021 (chiều).", "Một đoạn mới 🙂.", "Hết."]
    diff = paragraph_diff(old, new)
    assert [p.old for p in diff if p.kind != "inserted"] == old
    assert [p.new for p in diff if p.kind != "deleted"] == new
    pieces = word_diff("ngày 20/9/2021", "ngày 21/9/2021")
    assert [(p.op, p.text) for p in pieces] == [("equal", "ngày "), ("delete", "20"), ("insert", "21"),
                                                 ("equal", "/9/2021")]
    # decomposed letters are the same text once normalised (NFC): no difference shown …
    assert paragraph_diff(["Ho\u0300a Bi\u0300nh"], ["Hòa Bình"])[0].kind == "equal"
    # … but the other tone placement is the clerk's own change, shown as one
    assert paragraph_diff(["Hòa Bình"], ["Hoà Bình"])[0].kind == "changed"


# ---- the site on disk --------------------------------------------------------------------------

class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs += [v for k, v in attrs if k in ("href", "src") and v]


def test_the_site_opens_from_disk_with_nothing_from_elsewhere(review_site):
    pages = list(review_site.rglob("*.html"))
    assert len(pages) == 1 + 8  # the index and a page per document, the removed one too
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<html lang=\"vi\">" in html
        parser = _Refs()
        parser.feed(html)
        for ref in parser.refs:
            assert not re.match(r"[a-z]+:", ref), f"{page.name}: {ref}"  # no http:, no file: — relative only
            if ref.startswith("#"):
                continue
            assert (page.parent / ref.split("#")[0]).resolve().is_file(), f"{page.name}: {ref}"
    assert len(list((review_site / "trang").glob("*.png"))) >= 8


def test_record_text_is_escaped_in_the_pages(review_site):
    html = (review_site / "index.html").read_text(encoding="utf-8")
    assert "Dự họp báo &lt;về&gt; triển lãm &amp; hội chợ" in html
    assert "<về>" not in html


def test_a_rerun_replaces_the_site_and_other_folders_are_refused(sites, review_site, tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["review", str(sites["draft2"]), "-o", str(tmp_path / "mine"), "--lang", "en"]) == 2
    assert "is not a review site" in capsys.readouterr().err
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert main(["review", str(sites["draft2"]), "-o", str(sites["draft2"] / "site")]) == 2
    assert not (sites["draft2"] / "site").exists()
    assert main(["review", str(tmp_path / "mine"), "-o", str(tmp_path / "s")]) == 2  # no batch-report.json
    assert main(["review", str(sites["draft2"]), "-o", str(tmp_path / "s2"), "--previous", str(sites["draft2"])]) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no work folder left behind


@needs_soffice
def test_rerun_into_the_same_site_replaces_it_whole(sites, tmp_path):
    site = tmp_path / "site"
    api.review(sites["draft1"], site)
    stale = site / "trang" / "stale.png"
    stale.write_bytes(b"x")
    report = api.review(sites["draft2"], site, previous=sites["draft1"])
    assert report.ok and not stale.exists() and (site / "index.html").is_file()


# ---- in a real browser ---------------------------------------------------------------------------

@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    yield tab
    context.close()
    assert dialogs == []  # nothing in a record ran as script
    assert all(u.startswith("file://") for u in requests), requests


def shot(tab, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def visible_rows(tab) -> list[list[str]]:
    return tab.eval_on_selector_all("#danh-sach tbody tr:not([hidden])",
                                    "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))")


def test_the_index_lists_every_document_and_filters_narrow_it(review_site, page):
    page.goto((review_site / "index.html").as_uri())
    rows = visible_rows(page)
    assert len(rows) == 8
    assert sorted(r[0] for r in rows) == sorted(["Thông báo", "Kế hoạch", "Giấy mời", "Công văn", "Quyết định",
                                                 "Tờ trình", "Giấy mời", "Báo cáo"])
    shot(page, "index")
    page.select_option("#loc-loai", "Giấy mời")
    assert [r[0] for r in visible_rows(page)] == ["Giấy mời", "Giấy mời"]
    assert page.inner_text("#dem") == "Hiển thị 2/8 văn bản"
    page.select_option("#loc-loai", "")
    page.select_option("#loc-thay-doi", "removed")
    assert [(r[0], r[5]) for r in visible_rows(page)] == [("Báo cáo", "Đã bỏ")]
    page.select_option("#loc-thay-doi", "")
    page.fill("#loc-chu", "hop bao")  # typed without diacritics, as people search
    assert [r[2] for r in visible_rows(page)] == ["Dự họp báo <về> triển lãm & hội chợ"]
    shot(page, "index-filtered")


def test_a_sort_orders_the_index_both_ways(final_site, page, sites):
    page.goto((final_site / "index.html").as_uri())
    numbers = [d.number_value for d in api.review_batch(sites["final"]).documents]
    page.click("th button[data-col='1']")
    assert page.get_attribute("th:nth-child(2)", "aria-sort") == "ascending"
    shown = [int(re.match(r"\d+", r[1])[0]) if re.match(r"\d+", r[1]) else 0 for r in visible_rows(page)]
    assert shown == sorted(numbers)
    page.click("th button[data-col='1']")
    assert page.get_attribute("th:nth-child(2)", "aria-sort") == "descending"
    shown = [int(re.match(r"\d+", r[1])[0]) if re.match(r"\d+", r[1]) else 0 for r in visible_rows(page)]
    assert shown == sorted(numbers, reverse=True)
    shot(page, "index-sorted")


def test_a_document_page_shows_its_pages_and_the_highlighted_difference(review_site, page):
    page.goto((review_site / "index.html").as_uri())
    page.click("text=Về việc tổ chức Triển lãm quốc tế")
    assert page.inner_text("h1") == "Thông báo (Dự thảo lần 2)"
    images = page.eval_on_selector_all(".pages img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])")
    assert images and all(done and width > 500 for done, width in images)
    inserted = page.eval_on_selector_all("#khac-biet ins", "els => els.map(e => e.innerText)")
    deleted = page.eval_on_selector_all("#khac-biet del", "els => els.map(e => e.innerText)")
    assert any(INSERTED in t for t in inserted) and any(NEW_PARAGRAPH in t for t in inserted)
    assert any(DELETED in t for t in deleted)
    # understandable without colour: underline and strike-through, and a label for each paragraph
    assert page.eval_on_selector("#khac-biet ins", "e => getComputedStyle(e).textDecorationLine") == "underline"
    assert page.eval_on_selector("#khac-biet del", "e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert page.locator("#khac-biet .kind").all_inner_texts() .count("[đoạn mới]") == 1
    shot(page, "document-diff")
    total = page.locator("#khac-biet p").count()
    page.check("#chi-thay-doi")
    shown = page.eval_on_selector_all("#khac-biet p", "ps => ps.filter(p => p.offsetParent !== null).length")
    assert shown == 4 < total
    assert page.locator(".problem").count() == 0


def test_everything_works_from_the_keyboard_with_visible_focus(review_site, page):
    page.goto((review_site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown when focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "loc-chu"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.type("to trinh")
    assert [r[0] for r in visible_rows(page)] == ["Tờ trình"]
    page.fill("#loc-chu", "")
    for _ in range(16):  # on to the first sort button, then Enter sorts
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.col") == "0":
            break
    page.keyboard.press("Enter")
    assert page.get_attribute("th:nth-child(1)", "aria-sort") == "ascending"
    # a document's link is reached and followed with the keyboard too
    page.focus("#danh-sach tbody tr a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/van-ban/" in page.url
    shot(page, "keyboard-document")


def test_readable_at_200_percent_zoom(review_site, browser):
    # 200 % zoom on a 1280-pixel window lays the page out in 640 CSS pixels
    context = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    tab = context.new_page()
    try:
        for target in [review_site / "index.html", *sorted((review_site / "van-ban").glob("thong-bao*.html"))]:
            tab.goto(target.as_uri())
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (target.name, overflow)  # no sideways scrolling of the page itself
            size = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 16
            shot(tab, f"zoom-200-{target.stem[:20]}")
        # the index's rows become labelled cards; sorting stays at hand in the form
        tab.goto((review_site / "index.html").as_uri())
        label = tab.eval_on_selector("#danh-sach tbody td", "td => getComputedStyle(td, '::before').content")
        assert label == '"Loại"'
        tab.select_option("#sap-xep", "4:descending")
        assert tab.get_attribute("th:nth-child(5)", "aria-sort") == "descending"
    finally:
        context.close()


def test_findings_are_counted_on_the_index_and_listed_on_the_page(tmp_path):
    """A batch made with a template from python-docx: Word's default 1-inch margins break the decree."""
    import docx

    template = docx.Document()
    for line in ("{{ co_quan_ban_hanh }}", "{{ so_line }}", "{{ dia_danh_ngay }}", "{{ ten_loai }}", "{{ trich_yeu }}"):
        template.add_paragraph(line)
    template.save(str(tmp_path / "mau.docx"))
    source = write_records(tmp_path / "in", record())
    assert api.generate([source], tmp_path / "out", template=tmp_path / "mau.docx").ok
    batch = api.review_batch(tmp_path / "out")
    (doc,) = batch.documents
    expected = api.check([doc.docx]).files[0]
    assert doc.errors == expected.errors > 0 and doc.warnings == expected.warnings
    assert any(f.code.startswith("LY") for f in doc.findings), [f.code for f in doc.findings]
    index = api.review_index_html(batch)
    assert f"{doc.errors} lỗi" in index
    page = api.review_document_html(batch, doc, index="/", link=lambda d: f"/d/{d.slug}", prefix="/files/")
    from markupsafe import escape

    assert all(str(escape(f.message)) in page for f in doc.findings)
    assert 'href="/"' in page  # the web application's addresses, as it gives them


def test_a_report_pointing_outside_its_folder_is_not_followed(sites, tmp_path):
    import json

    batch = tmp_path / "batch"
    shutil.copytree(sites["final"], batch)
    outside = tmp_path / "secret.docx"
    shutil.copy(next(batch.glob("thong-bao*.docx")), outside)
    report = json.loads((batch / "batch-report.json").read_text(encoding="utf-8"))
    report["records"][0]["output"] = str(outside)
    (batch / "batch-report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    documents = api.review_batch(batch).documents
    assert all(d.docx.parent == batch for d in documents)
    assert len(documents) == len(report["records"]) - 1  # secret.docx is not in the batch folder
