"""Read YAML records, keeping the line and column of every value.

Dates stay text (validated later as dd/mm/yyyy or ISO), so an impossible date such as
2021-02-31 becomes a clear error instead of a crash inside the YAML library.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Origin, Problem, VanthuError
from ..i18n import _
from .source import Path_, RawRecord

# libyaml's parser (positions included) is many times faster than the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]+")
MAX_VALUES = 1_000_000  # values in one file, aliases expanded: far beyond any batch of records
MAX_DEPTH = 100  # a record nests four or five levels deep


class YamlReadError(VanthuError):
    """A YAML file that cannot be read (syntax, aliases that loop or explode)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message, origin=problem.origin, field=problem.field)
        self.problem = problem


def _origin(file: str, node: yaml.Node) -> Origin:
    return Origin(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(loader: _Loader, node: yaml.Node, path: Path_, file: str,
             origins: dict[Path_, Origin], problems: list[Problem]) -> Any:
    origins[path] = _origin(file, node)
    problem = _alias_problem(len(path), len(origins))
    if problem:
        raise YamlReadError(Problem(origins[path], "", problem))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = str(key) if key is not None else ""
            if key in out:
                problems.append(Problem(_origin(file, key_node), ".".join(map(str, path + (key,))),
                                        _("duplicate key '{key}'; the later value would silently win")
                                        .format(key=key)))
            out[key] = _convert(loader, value_node, path + (key,), file, origins, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, path + (i,), file, origins, problems) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


class _FastLoader(_Loader):  # type: ignore[misc, valid-type]
    """Plain loading, remembering whether any mapping repeats a key."""

    duplicate_key = False

    def construct_mapping(self, node, deep=False):
        keys = [k.value for k, _v in node.value if isinstance(k, yaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            type(self).duplicate_key = True
        return super().construct_mapping(node, deep)


def _compose(file: str, text: str) -> tuple[Any, dict[Path_, Origin], list[Problem]]:
    """The data with the line and column of every value (slower: used when a position is needed)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        origins: dict[Path_, Origin] = {}
        problems: list[Problem] = []
        data = _convert(loader, root, (), file, origins, problems) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = Origin(file, mark.line + 1, mark.column + 1) if mark else Origin(file)
        raise YamlReadError(Problem(origin, "", _("YAML syntax error: {detail}").format(
            detail=exc.problem or exc.context or ""))) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(Problem(Origin(file), "", _("YAML syntax error: {detail}").format(detail=exc))) from None
    finally:
        loader.dispose()
    return data, origins, problems


def _alias_problem(depth: int, count: int) -> str | None:
    """An alias to its own parent nests without end, aliases of aliases multiply a small file
    into billions of values: either would hang or crash what reads the records after."""
    if depth > MAX_DEPTH:
        return _("a value contains itself (a YAML alias to one of its own parents)")
    if count > MAX_VALUES:
        return _("the file expands to more than {count} values (YAML aliases?)").format(count=MAX_VALUES)
    return None


def _shape_problem(data: Any) -> str | None:
    """_alias_problem over loaded data (depth first, so a loop reaches the depth bound at once)."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        problem = _alias_problem(depth, count)
        if problem:
            return problem
        if isinstance(value, (dict, list)):
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return None


def _encoding_of(raw: bytes) -> str:
    """A name for the encoding of text that is not UTF-8, for the message that says so."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 10:
        return "UTF-16"
    try:
        decoded = raw.decode("cp1258")
    except UnicodeDecodeError:
        return _("an unknown encoding")
    if re.search("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", decoded.lower()) \
            or re.search("[\u0300-\u0323]", decoded):
        return "Windows-1258"
    return _("a legacy 8-bit encoding (Windows-1252 or TCVN3)")


@dataclass(frozen=True)
class FilePart:
    """Consecutive records of a YAML list: bytes start to end of the file, from whole lines."""

    start: int
    end: int
    index: int  # the position in the file of the part's first record
    line: int  # the 0-based line the part starts on
    count: int


PART_RECORDS = 50  # records in one part at most: what a process holds stays the same for any file size


def split_yaml(path: Path, parts: int) -> list[FilePart] | None:
    """Cut a big YAML list of records into at least `parts` runs of whole records, of at most
    PART_RECORDS each, so that each process reads only its own records (a worker reading the
    whole file holds all of it in memory, and memory would grow with the file).

    The cut points come from the YAML parser's events (a text search for "- " lines would be
    fooled by a quoted value running on over lines); only a plain block list is cut: None for
    anything else (one mapping, a flow list, anchors and aliases, explicit tags, a syntax error,
    not UTF-8), which is read whole as before and reports its problems the same way."""
    starts: list[int] = []
    depth = 0
    try:
        with path.open("rb") as handle:
            for event in yaml.parse(handle, Loader=_Loader):
                if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                    continue
                if isinstance(event, yaml.DocumentStartEvent):
                    if starts or depth:
                        return None  # a second document
                    continue
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) \
                        or getattr(event, "tag", None) is not None:
                    return None
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
                    continue
                if depth == 0 and not (isinstance(event, yaml.SequenceStartEvent) and not event.flow_style):
                    return None  # one record, or a flow list
                if depth == 1:
                    line = event.start_mark.line
                    if starts and line <= starts[-1]:
                        return None  # two records on one line
                    starts.append(line)
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    if len(starts) < 2:
        return None
    parts = min(max(parts, -(-len(starts) // PART_RECORDS)), len(starts))
    firsts = [len(starts) * k // parts for k in range(parts)]
    wanted = {starts[i] for i in firsts}
    offsets: dict[int, int] = {}
    with path.open("rb") as handle:  # the byte offset of each part's first line
        position = 0
        for number, text in enumerate(handle):
            if number in wanted:
                if not text.lstrip(b"\xef\xbb\xbf \t").startswith(b"-"):
                    return None  # a record whose "-" stands on a line of its own, before it
                offsets[number] = position
                if len(offsets) == len(wanted):
                    break
            position += len(text)
    size = path.stat().st_size
    bounds = [offsets[starts[i]] for i in firsts] + [size]
    counts = [b - a for a, b in zip(firsts, [*firsts[1:], len(starts)], strict=True)]
    return [FilePart(bounds[k], bounds[k + 1], firsts[k], starts[firsts[k]], counts[k]) for k in range(parts)]


def _renumbered(problem: Problem, local: int, offset: int) -> Problem:
    """A problem of a part's record, its field path starting with the record's place in the file."""
    if not offset:
        return problem
    return dataclasses.replace(problem, field=f"{local + offset}{problem.field[len(str(local)):]}")


def _decode(file: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlReadError(Problem(Origin(file), "", _(
            "the file is in {encoding}, not UTF-8: open it in a text editor and save it as UTF-8 (in Notepad: "
            "File › Save As, Encoding UTF-8)").format(encoding=_encoding_of(raw)))) from None
    return text[1:] if text.startswith("\ufeff") else text  # a byte-order mark, as Notepad writes: harmless


def read_yaml(path: Path) -> list[RawRecord]:
    """All records of a YAML file: one mapping, or a list of mappings.

    The file is loaded plainly; the position of each value is worked out only when a
    problem has to be reported (or when a key repeats, which plain loading would hide).
    """
    file = str(path)
    return _read_text(file, _decode(file, path.read_bytes()))


def read_yaml_part(path: Path, part: FilePart) -> list[RawRecord]:
    """The records of one part of a big YAML list (see split_yaml), read alone: the same records,
    positions and problems as read_yaml gives for them, without reading the rest of the file."""
    file = str(path)
    with path.open("rb") as handle:
        handle.seek(part.start)
        raw = handle.read(part.end - part.start)
    # the lines before the part stay as empty lines: every line and column is the file's own
    return _read_text(file, "\n" * part.line + _decode(file, raw), part.index)


def _read_text(file: str, text: str, index_offset: int = 0) -> list[RawRecord]:
    _FastLoader.duplicate_key = False
    try:
        data = yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError as exc:
        _compose(file, text)  # a syntax error: raises again, with the position
        # it composes: a tag that builds an object (!!python/…), which records never hold
        mark = getattr(exc, "problem_mark", None)
        origin = Origin(file, mark.line + 1, mark.column + 1) if mark else Origin(file)
        tag = re.search(r"'(tag:yaml.org,2002:[^']+|![^']*)'", str(exc))
        raise YamlReadError(Problem(origin, "", _(
            "the YAML tag {tag} is not allowed: a record holds text, numbers, lists and mappings, nothing that "
            "builds an object").format(tag=(tag[1].replace("tag:yaml.org,2002:", "!!") if tag else "?")))) from None
    shape = _shape_problem(data) if _ANCHOR.search(text) else None  # no anchor, no alias
    if shape:
        raise YamlReadError(Problem(Origin(file), "", shape))
    problems = []
    located: dict[Path_, Origin] | None = None
    if _FastLoader.duplicate_key:
        data, located, problems = _compose(file, text)
    cache: dict[str, Any] = {}

    def all_origins() -> dict[Path_, Origin]:
        if "all" not in cache:
            cache["all"] = located if located is not None else _compose(file, text)[1]
        return cache["all"]

    def record_origins(i: int) -> dict[Path_, Origin]:
        if "split" not in cache:  # one pass over the file's origins, shared by its records
            split: dict[int, dict[Path_, Origin]] = {}
            for path_, origin in all_origins().items():
                if path_:
                    split.setdefault(path_[0], {})[path_[1:]] = origin
            cache["split"] = split
        return cache["split"].get(i, {})

    if isinstance(data, dict):
        return [RawRecord(data, located, file, 0, problems, locate=all_origins)]
    if isinstance(data, list) and data:
        def locator(i: int):
            return lambda: record_origins(i)

        return [RawRecord(item, None, file, i + index_offset, [_renumbered(pr, i, index_offset) for pr in problems
                                                               if pr.field.startswith(f"{i}.")],
                          in_list=True, locate=locator(i)) for i, item in enumerate(data)]
    raise YamlReadError(Problem(Origin(file, 1, 1), "", _(
        "a record file holds one document (a mapping) or a list of documents")))
