"""Compile a docxtpl template once, render it for many records.

docxtpl re-reads the package, re-patches the XML and recompiles Jinja on every render
(measured here at several times the cost of writing the result). A CompiledTemplate does
those steps once, as small named passes, and per record only renders and zips.
Templates render in a Jinja sandbox with autoescape, so record text is always data.
"""

from __future__ import annotations

import hashlib
import re
import types
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import ConfigurationError, UnreadableDocument
from ..i18n import _
from ..ooxml.package import PackedMember, pack, read_checked, read_members, zip_packed

_TEMPLATED_PART = re.compile(r"^(word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|docProps/core\.xml)$")
_FINAL_SECTPR = re.compile(r"(<w:sectPr\b(?:(?!<w:sectPr\b).)*?</w:sectPr>)(\s*</w:body>)", re.S)
_FOOTER_DEFAULT = re.compile(r'<w:footerReference w:type="default" r:id="([^"]+)"')


# A user template is code from outside: it runs in a sandbox whose output stays bounded.
MAX_SEQUENCE = 1_000_000  # characters (or items) one '*' may make: 'a' * 10**9 would take gigabytes
MAX_EXPONENT = 1_000  # 10 ** 10 ** 10 would compute for ever
MAX_PART_BYTES = 64 * 1024 * 1024  # of one rendered part (document.xml …); a real document is far below


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox (no attribute tricks, ranges up to 100,000) with '*' and '**' bounded."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_SEQUENCE:
                    raise SecurityError(_("'{expression}' would make {size} characters (at most {limit})").format(
                        expression="… * …", size=len(sequence) * count, limit=MAX_SEQUENCE))
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(_("an exponent of {exponent} is past what a template may compute").format(
                exponent=right))
        return super().call_binop(context, operator, left, right)


def _environment() -> SandboxedEnvironment:
    return BoundedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


# Tags that read other templates: a template is one .docx, and there is no folder to read from.
_OTHER_TEMPLATES = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
                    nodes.Extends: "extends"}


# ---- patching passes, each run once per template -----------------------------------------

def _cache_path(digest: str) -> Path:
    """Where a template's compiled form is kept: keyed by its bytes, vanthu's and Jinja's versions
    and the Python bytecode it holds (a newer Python or Jinja compiles it again)."""
    import os
    import sys

    from .. import __version__

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanthu" / "templates"
    return root / f"{digest}-{__version__}-jinja{jinja2.__version__}-{sys.implementation.cache_tag}.bin"


# What a compiled template is made of, as kept in the cache (marshal: bytes, strings, code objects).
_CACHED_FIELDS = ("members", "missing_styles", "code", "variable_paths", "main_sectpr", "appendix_footer_rid",
                  "packed")


def _cache_read(digest: str) -> dict | None:
    """A template compiled by an earlier run, or None. Compiling (docxtpl's pass with python-docx
    beneath it, the style pass with lxml, Jinja's parse and code generation) is most of a one-
    document run; the cache is the user's own, like Python's __pycache__, and anything in it that
    does not read back whole is compiled again."""
    import marshal
    import os

    path = _cache_path(digest)
    try:
        info = path.stat()
        # code is read back from it: only from a file of the user's own that nobody else may change
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        data = marshal.loads(path.read_bytes())
        os.utime(path)  # used now: the cache keeps the templates used last (_cache_write)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or set(data) != set(_CACHED_FIELDS):
        return None
    return data


def _cache_write(digest: str, data: dict) -> None:
    import marshal

    from ..ooxml.package import atomic_write

    path = _cache_path(digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, marshal.dumps(data))
        _cache_prune(path.parent)
    except (OSError, ValueError):
        pass  # no cache: the next run compiles again


CACHED_TEMPLATES = 64  # the cache keeps this many templates, those used last (a template is 30 KB–1 MB)


def _cache_prune(folder: Path) -> None:
    """Only the templates used last are kept (and nothing an older vanthu left there)."""
    entries = []
    for entry in folder.iterdir():
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _used, entry in entries[CACHED_TEMPLATES:]:
        entry.unlink(missing_ok=True)
    for _used, entry in entries[:CACHED_TEMPLATES]:
        if entry.suffix == ".json":  # the cache of the versions before the compiled form
            entry.unlink(missing_ok=True)


def pass_docxtpl_tags(xml: str) -> str:
    """docxtpl's own tag clean-up ({%p %}, {{r }}, tags split across runs …), unchanged."""
    from docxtpl import DocxTemplate  # python-docx underneath: loaded only when a template is compiled

    return DocxTemplate.patch_xml(None, xml)  # it does not use the instance


def pass_movable_final_section(xml: str) -> tuple[str, str]:
    """Lift the body's final sectPr out as a variable, so appendices can take the last section.

    Returns the patched XML and the original sectPr (the main text's page setup).
    """
    match = _FINAL_SECTPR.search(xml)
    if not match or "phu_luc_xml" not in xml:
        return xml, ""
    patched = xml[:match.start()] + "{{ final_sectpr }}" + match.group(2) + xml[match.end():]
    return patched, match.group(1)


_LISTING_CHARS = re.compile(r"<w:t[ >][^<]*[\n\t\a\f]")


def resolve_listing(xml: str) -> str:
    """docxtpl's per-render pass: '\\n' in a value becomes a line break, '\\t' a tab.

    It rewrites every paragraph with regexes, so it runs only when some text holds one of
    those characters (one search instead of a rewrite, for most documents).
    """
    start = xml.find("<w:t")
    # plain finds first: the regex scan costs more than the rest of a render's string work
    if start < 0 or all(xml.find(c, start) < 0 for c in "\n\t\a\f") or _LISTING_CHARS.search(xml) is None:
        return xml
    from docxtpl import DocxTemplate

    return DocxTemplate.resolve_listing(None, xml)


# ---- styles ---------------------------------------------------------------------------------

# A tag of a variable whose XML vanthu writes itself, naming its styles ("VT Nội dung" …).
_USES_VANTHU_XML = re.compile(rb"\{\{[^}]*?\b(\w+_xml|rule_\w+)\b")


def pass_style_names(members: list[tuple[str, bytes]], uses_vanthu_xml: bool
                     ) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Find vanthu's styles in the template by name, not ID, and give them vanthu's IDs.

    A template restyled and saved by LibreOffice or Word keeps the style names but not the IDs;
    the pieces vanthu writes refer to its own IDs, so the template's are renamed back (once per
    template, in styles.xml and every reference). A style vanthu needs that the template lacks
    is taken from the built-in templates; their IDs are returned, for the caller to say.
    """
    from ..nd30 import layout
    from ..ooxml.styles import add_styles, rename_style_ids, style_definitions, style_ids_by_name
    from .builtin import builtin_template_dir

    parts = dict(members)
    styles_xml = parts.get("word/styles.xml")
    if styles_xml is None or not uses_vanthu_xml:
        return members, []
    ours = {e.style_id: e.style_name for e in layout.ELEMENTS.values()}
    present = style_ids_by_name(styles_xml)  # folded name -> id
    by_id = {sid: name for name, sid in present.items()}
    renames: dict[str, str] = {}
    missing: list[str] = []
    for our_id, name in ours.items():
        found = present.get(" ".join(name.split()).casefold())
        if found is None:
            missing.append(our_id)
        elif found != our_id:
            renames[found] = our_id
            if our_id in by_id:  # the template uses vanthu's ID for another style: move it aside
                renames[our_id] = f"{our_id}Cu"
    if renames:
        members = [(name, rename_style_ids(data, renames) if name == "word/styles.xml" or _TEMPLATED_PART.match(name)
                    else data) for name, data in members]
    if missing:
        builtin = dict(read_members(builtin_template_dir() / "van_ban.docx"))["word/styles.xml"]
        definitions = style_definitions(builtin, set(missing))
        members = [(name, add_styles(data, [definitions[m] for m in missing if m in definitions])
                    if name == "word/styles.xml" else data) for name, data in members]
    return members, missing


def _missing_styles_note(path: Path, missing: list[str]) -> str:
    from ..nd30 import layout

    names = {e.style_id: e.style_name for e in layout.ELEMENTS.values()}
    return _("the template {path} has no style {styles}: vanthu's own are used (add them to the template to "
             "restyle them)").format(path=path.name, styles=", ".join(f"'{names[m]}'" for m in missing))


# ---- variables ----------------------------------------------------------------------------

def _attribute_paths(ast: nodes.Template, roots: set[str]) -> set[str]:
    """Dotted paths used from the undeclared names: su_kien.ten, du_lieu.dia_chi …"""
    paths = set(roots)
    for node in ast.find_all(nodes.Getattr):
        chain = []
        current: nodes.Node = node
        while isinstance(current, nodes.Getattr):
            chain.append(current.attr)
            current = current.node
        if isinstance(current, nodes.Name) and current.name in roots:
            paths.add(".".join([current.name, *reversed(chain)]))
    return paths


def _bounded_render(template: jinja2.Template, context: dict) -> str:
    """The rendered part, refused once it grows past MAX_PART_BYTES (a loop that writes for ever)."""
    chunks, size = [], 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_PART_BYTES:
            raise SecurityError(_("the template writes more than {limit} MB into one part").format(
                limit=MAX_PART_BYTES // (1024 * 1024)))
        chunks.append(chunk)
    return "".join(chunks)


@dataclass
class CompiledTemplate:
    path: Path
    members: list[tuple[str, bytes]]
    compiled: dict[str, jinja2.Template] = field(default_factory=dict)
    code: dict[str, types.CodeType] = field(default_factory=dict, repr=False)  # each templated part's, compiled
    missing_styles: list[str] = field(default_factory=list)  # vanthu's styles the template lacked (taken from ours)
    variable_paths: set[str] = field(default_factory=set)
    main_sectpr: str = ""
    appendix_footer_rid: str = "rIdFooterDefault"
    digest: str = ""  # sha256 of the template file: part of every output's input hash
    packed: dict[str, PackedMember] = field(default_factory=dict)  # unchanging parts, deflated once
    _lookups: list[tuple[str, list[str]]] | None = field(default=None, repr=False)  # variable_paths, split
    notes: list[str] = field(default_factory=list)  # warnings about the template (styles taken from vanthu's)
    trusted: bool = False  # a built-in template: rendered without the per-chunk output bound

    @classmethod
    def load(cls, path: Path) -> CompiledTemplate:
        if not Path(path).is_file():
            raise ConfigurationError(_("template not found: {path}").format(path=path))
        try:
            raw = Path(path).read_bytes()  # read once: the digest and the members are of the same bytes
        except OSError as exc:
            raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(
                path=path, detail=exc.strerror or exc)) from None
        digest = hashlib.sha256(raw).hexdigest()
        cached = _cache_read(digest)
        if cached is not None:
            try:
                return cls._from_cache(Path(path), digest, cached)
            except (TypeError, ValueError, KeyError):
                pass  # a cache from elsewhere that does not fit: compiled again below
        template = cls._compile(Path(path), raw, digest)
        _cache_write(digest, template._cached())
        return template

    @classmethod
    def _compile(cls, path: Path, raw: bytes, digest: str) -> CompiledTemplate:
        import io

        try:
            members = list(read_checked(io.BytesIO(raw)).items())  # bounded: a zip bomb is refused unread
        except UnreadableDocument as exc:
            raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(path=path, detail=exc)) \
                from None
        if not any(name == "word/document.xml" for name, _data in members):
            raise ConfigurationError(_("{path} is not a .docx file ({detail})").format(
                path=path, detail="word/document.xml missing"))
        document = next(data for name, data in members if name == "word/document.xml")
        members, missing = pass_style_names(members, _USES_VANTHU_XML.search(document) is not None)
        template = cls(path, members, digest=digest, missing_styles=missing,
                       notes=[_missing_styles_note(path, missing)] if missing else [])
        env = _environment()
        for name, data in members:
            if not _TEMPLATED_PART.match(name):
                continue
            xml = data.decode("utf-8")
            if "{" not in xml:
                continue
            xml = pass_docxtpl_tags(xml)
            if name == "word/document.xml":
                xml, template.main_sectpr = pass_movable_final_section(xml)
                found = _FOOTER_DEFAULT.search(template.main_sectpr)
                if found:
                    template.appendix_footer_rid = found.group(1)
            try:
                ast = env.parse(xml)
                for kind, tag in _OTHER_TEMPLATES.items():
                    if next(ast.find_all(kind), None) is not None:
                        raise ConfigurationError(_("template {path}: the tag '{{% {tag} %}}' is not allowed: a "
                                                   "template is one .docx and reads no other").format(
                            path=path, tag=tag))
                template.code[name] = env.compile(ast)
            except jinja2.TemplateSyntaxError as exc:
                raise ConfigurationError(_("template {path}: tag error in {part}: {detail}").format(
                    path=path, part=name, detail=exc.message)) from None
            roots = meta.find_undeclared_variables(ast)
            template.variable_paths |= _attribute_paths(ast, roots)
        template.packed = {name: pack(name, data) for name, data in members if name not in template.code}
        template.variable_paths.discard("final_sectpr")
        template._instantiate(env)
        return template

    def _instantiate(self, env: SandboxedEnvironment) -> None:
        """The Jinja templates from their compiled code (as Environment.from_string makes them)."""
        self.compiled = {name: env.template_class.from_code(env, code, env.make_globals(None))
                         for name, code in self.code.items()}

    def _cached(self) -> dict:
        return {"members": self.members, "missing_styles": self.missing_styles, "code": self.code,
                "variable_paths": sorted(self.variable_paths), "main_sectpr": self.main_sectpr,
                "appendix_footer_rid": self.appendix_footer_rid,
                "packed": {name: (m.name, m.crc, m.size, m.deflated) for name, m in self.packed.items()}}

    @classmethod
    def _from_cache(cls, path: Path, digest: str, data: dict) -> CompiledTemplate:
        missing = [str(m) for m in data["missing_styles"]]
        template = cls(path, [(str(name), bytes(content)) for name, content in data["members"]], digest=digest,
                       missing_styles=missing, notes=[_missing_styles_note(path, missing)] if missing else [],
                       code=dict(data["code"]), variable_paths=set(data["variable_paths"]),
                       main_sectpr=str(data["main_sectpr"]), appendix_footer_rid=str(data["appendix_footer_rid"]),
                       packed={name: PackedMember(*fields) for name, fields in data["packed"].items()})
        if not all(isinstance(code, types.CodeType) for code in template.code.values()):
            raise TypeError("not code")
        if set(template.code) | set(template.packed) != {name for name, _data in template.members}:
            raise ValueError("parts do not match")
        template._instantiate(_environment())
        return template

    def missing(self, context: dict) -> list[str]:
        """Variables (and attribute paths) the template reads that the context lacks."""
        if self._lookups is None:
            self._lookups = [(path, path.split(".")) for path in sorted(self.variable_paths)]
        absent: list[str] = []
        for path, parts in self._lookups:
            if len(parts) == 1:
                if parts[0] not in context:
                    absent.append(path)
                continue
            if any(path.startswith(f"{gone}.") for gone in absent):
                continue  # its root is already named
            value: object = context
            for part in parts:
                if isinstance(value, dict) and part in value:
                    value = value[part]
                else:
                    absent.append(path)
                    break
        return absent

    def render(self, context: dict) -> bytes:
        """The finished .docx for one context; raises jinja2 errors for the caller to report."""
        if "final_sectpr" not in context:
            context = {**context, "final_sectpr": self.main_sectpr}
        out = []
        for name, _data in self.members:
            template = self.compiled.get(name)
            if template is None:
                out.append(self.packed[name])
            else:
                text = template.render(context) if self.trusted else _bounded_render(template, context)
                out.append(pack(name, resolve_listing(text).encode("utf-8")))
        return zip_packed(out)
