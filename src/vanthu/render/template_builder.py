"""Build the built-in .docx templates from the layout numbers of Decree 30.

Run `python tools/build_templates.py`; the files in templates/ are this module's output and
a test proves they are in step. The templates hold docxtpl tags and named styles ("VT …"),
so a clerk can open one in Word, restyle an element once and keep the tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..nd30 import layout, texts
from ..nd30.doc_types import DOC_TYPES, GENERIC_TEMPLATE, HEADING_CONG_VAN
from ..ooxml import namespaces as ns
from ..ooxml import write as x
from ..ooxml.package import zip_bytes
from ..ooxml.units import pt_to_half_points
from ..textwidth import text_width_mm

E = layout.ELEMENTS

_DOC_NS = (f'xmlns:w="{ns.W}" xmlns:r="{ns.R}"')



@dataclass(frozen=True)
class TemplateKind:
    """One template file, laid out as the type spec that names it says."""

    file: str
    cong_van: bool = False  # V/v under Số, no tên loại (heading HEADING_CONG_VAN)
    quyet_dinh: bool = False  # authority line, căn cứ, "QUYẾT ĐỊNH:" (a decision)
    lead: str = texts.QUYET_DINH_LEAD  # a decision's lead line: "QUYẾT NGHỊ:" for a Nghị quyết


def kinds() -> list[TemplateKind]:
    """Every built-in template: one per template a type spec names, and the generic Mẫu 1.4 one."""
    specs = {t.template: t for t in DOC_TYPES.values() if t.template and t.template != GENERIC_TEMPLATE}
    out = [TemplateKind(name, cong_van=spec.heading == HEADING_CONG_VAN, quyet_dinh=spec.decision,
                        lead=spec.decision_lead) for name, spec in specs.items()]
    out.append(TemplateKind(GENERIC_TEMPLATE))
    return sorted(out, key=lambda k: k.file)


# ---------------------------------------------------------------- styles.xml

def _element_style(e: layout.ElementStyle) -> str:
    spacing = {"before_pt": 0, "after_pt": 0, "line": 1.0}
    indent: dict[str, float] = {}
    if e.key in ("noi_dung", "can_cu", "muc", "khoan_tieu_de"):
        spacing = {"before_pt": 0, "after_pt": layout.PARAGRAPH_SPACING_PT, "line": layout.LINE_SPACING}
        indent = {"first_line_mm": layout.FIRST_LINE_INDENT_MM}
    elif e.key == "ten_loai":
        spacing["before_pt"] = layout.TITLE_SPACE_BEFORE_PT
    elif e.key == "trich_yeu_cong_van":
        spacing["before_pt"] = layout.HEADER_LINE_SPACE_PT  # ô 5b under Số
    ppr = x.ppr(align=e.align, **spacing, **indent)
    rpr = x.rpr(bold=e.bold, italic=e.italic, size=e.size)
    return (f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{e.style_id}">'
            f'<w:name w:val="{e.style_name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            f"{ppr}{rpr}</w:style>")


def styles_xml() -> str:
    fonts = x.rfonts()
    size = pt_to_half_points(E["noi_dung"].size)
    defaults = (f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}"
                f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN"/>'
                "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>')
    normal = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
              f'<w:qFormat/><w:rPr>{fonts}<w:color w:val="000000"/>'
              f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>')
    char_default = ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
                    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
                    "<w:unhideWhenUsed/></w:style>")
    table_default = ('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
                     '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
                     '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
                     '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
                     '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    elements = "".join(_element_style(e) for e in E.values())
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {_DOC_NS}>'
            f"{defaults}{normal}{char_default}{table_default}{elements}</w:styles>")


# ---------------------------------------------------------------- document.xml

def _p(style_key: str, value: str, **kw) -> str:
    return x.styled(E[style_key].style_id, value, **kw)


def _tag(tag: str) -> str:
    """A paragraph holding only a docxtpl paragraph-level tag ({%p …%} or {{p …}})."""
    return x.paragraph(f'<w:r><w:t xml:space="preserve">{tag}</w:t></w:r>')


def _header_table(kind: TemplateKind) -> str:
    left_w, right_w = layout.HEADER_LEFT_COLUMN_MM, layout.HEADER_RIGHT_COLUMN_MM
    agency = (_tag("{%p if co_quan_chu_quan %}") + _p("co_quan_chu_quan", "{{ co_quan_chu_quan }}")
              + _tag("{%p endif %}") + _p("co_quan_ban_hanh", "{{ co_quan_ban_hanh }}")
              + _tag("{{p rule_co_quan }}"))
    tieu_ngu = E["tieu_ngu"]
    rule_len = text_width_mm(texts.TIEU_NGU, tieu_ngu.size, bold=tieu_ngu.bold)
    national = (_p("quoc_hieu", texts.QUOC_HIEU) + _p("tieu_ngu", texts.TIEU_NGU)
                + x.rule_paragraph(right_w, rule_len))
    number = _p("so_ky_hieu", "{{ so_line }}", before_pt=layout.HEADER_LINE_SPACE_PT)
    if kind.cong_van:
        number += _p("trich_yeu_cong_van", "{{ trich_yeu_cong_van }}")
    number += _tag("{{p dau_xml }}")
    date = _tag("{{p dia_danh_ngay_xml }}")  # condensed where a long place name needs it
    rows = (x.row(x.cell(agency, left_w) + x.cell(national, right_w))
            + x.row(x.cell(number, left_w) + x.cell(date, right_w)))
    return x.table(rows, [left_w, right_w])


def _body(kind: TemplateKind) -> str:
    parts = [_header_table(kind)]
    if not kind.cong_van:
        parts += [_p("ten_loai", "{{ ten_loai }}"), _tag("{%p if trich_yeu %}"),
                  _p("trich_yeu", "{{ trich_yeu }}"), _tag("{%p endif %}"), _tag("{{p rule_trich_yeu }}")]
    if kind.quyet_dinh:
        parts += [_p("tham_quyen_ban_hanh", "{{ tham_quyen }}", before_pt=layout.AUTHORITY_SPACE_BEFORE_PT,
                     after_pt=layout.PARAGRAPH_SPACING_PT),
                  _tag("{%p for dong in can_cu %}"), _p("can_cu", "{{ dong }}"), _tag("{%p endfor %}"),
                  _p("tham_quyen_ban_hanh", kind.lead, after_pt=layout.PARAGRAPH_SPACING_PT)]
    parts += [_tag("{{p kinh_gui_xml }}"), _tag("{{p noi_dung_xml }}"), _tag("{{p chu_ky_xml }}"),
              _tag("{{p phu_luc_xml }}")]
    return "".join(parts)


REFERENCES = ('<w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
              '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
              '<w:footerReference w:type="default" r:id="rIdFooterDefault"/>'
              '<w:footerReference w:type="first" r:id="rIdFooterFirst"/>')
# Appendix sections keep the page-number header but not the page-1 contact footer.
APPENDIX_FOOTER_RID = "rIdFooterDefault"


def document_xml(kind: TemplateKind) -> str:
    sect = x.section_properties(references=REFERENCES)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_DOC_NS}>'
            f"<w:body>{_body(kind)}{sect}</w:body></w:document>")


def _part(root: str, content: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{root} {_DOC_NS}>{content}</w:{root}>'


def header_default_xml() -> str:
    """Page number: Arabic, centred in the top margin (page 1 uses the empty first-page header)."""
    return _part("hdr", x.paragraph(x.page_number_field(), x.ppr(style=E["so_trang"].style_id)))


def empty_part(root: str) -> str:
    return _part(root, x.paragraph())


def footer_first_xml() -> str:
    """Ô 13: contacts on page 1 only, under a rule the full width of the text area."""
    contact = x.paragraph(x.run("{{ lien_he }}"),
                          x.ppr(style=E["lien_he"].style_id, borders=x.border("top", space=4)))
    return _part("ftr", _tag("{%p if lien_he %}") + contact + _tag("{%p endif %}") + x.paragraph())


def settings_xml() -> str:
    return _part("settings", (
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/>'))


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    + "".join(f'<Override PartName="/word/{n}.xml" '
              f'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{k}+xml"/>'
              for n, k in (("header1", "header"), ("header2", "header"), ("footer1", "footer"), ("footer2", "footer")))
    + '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdHeaderDefault" Type="{_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdHeaderFirst" Type="{_REL}/header" Target="header2.xml"/>'
    f'<Relationship Id="rIdFooterFirst" Type="{_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterDefault" Type="{_REL}/footer" Target="footer2.xml"/></Relationships>')
CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
    "<dc:title>{{ tieu_de_tai_lieu }}</dc:title><dc:subject>{{ trich_yeu }}</dc:subject>"
    "<dc:creator>{{ co_quan_ban_hanh }}</dc:creator><cp:keywords>{{ so_ky_hieu }}</cp:keywords>"
    "<dc:language>vi-VN</dc:language></cp:coreProperties>")
APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>vanthu</Application></Properties>")


def build(kind: TemplateKind) -> bytes:
    members = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", CORE_XML),
        ("docProps/app.xml", APP_XML),
        ("word/document.xml", document_xml(kind)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/header1.xml", header_default_xml()),
        ("word/header2.xml", empty_part("hdr")),
        ("word/footer1.xml", footer_first_xml()),
        ("word/footer2.xml", empty_part("ftr")),
    ]
    return zip_bytes([(name, text.encode("utf-8")) for name, text in members])


def build_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds():
        path = out_dir / kind.file
        path.write_bytes(build(kind))
        written.append(path)
    return written

