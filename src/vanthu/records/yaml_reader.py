"""Read YAML records, keeping the line and column of every value.

Dates stay text (validated later as dd/mm/yyyy or ISO), so an impossible date such as
2021-02-31 becomes a clear error instead of a crash inside the YAML library.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
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


def _origin(file: str, node: yaml.Node, shift: int = 0) -> Origin:
    """Where a node is; shift: the lines of the file before the text that was parsed."""
    return Origin(file, node.start_mark.line + 1 + shift, node.start_mark.column + 1)


def _convert(loader: _Loader, node: yaml.Node, path: Path_, file: str,
             origins: dict[Path_, Origin], problems: list[Problem], shift: int = 0) -> Any:
    origins[path] = _origin(file, node, shift)
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
                problems.append(Problem(_origin(file, key_node, shift), ".".join(map(str, path + (key,))),
                                        _("duplicate key '{key}'; the later value would silently win")
                                        .format(key=key)))
            out[key] = _convert(loader, value_node, path + (key,), file, origins, problems, shift)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, path + (i,), file, origins, problems, shift)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node)


class _FastLoader(_Loader):  # type: ignore[misc, valid-type]
    """Plain loading, remembering whether any mapping repeats a key."""

    duplicate_key = False

    def construct_mapping(self, node, deep=False):
        keys = [k.value for k, _v in node.value if isinstance(k, yaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            type(self).duplicate_key = True
        return super().construct_mapping(node, deep)


def _compose(file: str, text: str, shift: int = 0) -> tuple[Any, dict[Path_, Origin], list[Problem]]:
    """The data with the line and column of every value (slower: used when a position is needed)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        origins: dict[Path_, Origin] = {}
        problems: list[Problem] = []
        data = _convert(loader, root, (), file, origins, problems, shift) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = Origin(file, mark.line + 1 + shift, mark.column + 1) if mark else Origin(file)
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
    count: int  # its records (the last run of a file that could not be cut to its end: those seen)
    final: bool = False  # the file's last run


PART_RECORDS = 50  # records in one part at most: what a process holds stays the same for any file size


class _LineOffsets:
    """The byte offset where each line of a file starts, read forward as they are asked for."""

    def __init__(self, path: Path, base: int = 0):
        self.handle = path.open("rb")
        self.handle.seek(base)  # lines and offsets counted from here
        self.line, self.offset, self.text = 0, 0, self.handle.readline()

    def at(self, line: int) -> tuple[int, bytes]:
        """The offset of a line (0-based, at or after the last one asked for) and its text."""
        while self.line < line and self.text:
            self.offset += len(self.text)
            self.text = self.handle.readline()
            self.line += 1
        return self.offset, self.text

    def close(self) -> None:
        self.handle.close()


def split_yaml(path: Path) -> Iterator[FilePart] | None:
    """Cut a big YAML list of records into runs of at most PART_RECORDS whole records, so that
    each process reads only its own records (a worker reading the whole file holds all of it in
    memory, and memory would grow with the file). The runs come as the file is read, so the
    first ones are rendered while the rest is still being cut.

    The cut points are the lines starting with "- " at the left edge, each record's text checked
    by libyaml's parser (_line_runs); from the first one that check refuses (a quoted value
    running on over such a line), the YAML parser's own events say where records start. A file
    that is not a plain block list (one mapping, a flow list) gives None and is read whole.
    Where cutting can no longer be trusted — an anchor (an alias may point back to it), a second
    document, a syntax error, bytes that are not UTF-8 — the rest of the file from the current
    run on is one last run, read alone: it says what is wrong, at the file's own line."""
    fast = _line_runs(path)
    return fast if fast is not None else _event_runs(path)


_ITEM_LINE = re.compile(rb"^-(?:[ \t]|\r?\n)", re.MULTILINE)  # a line that starts a top-level "- " item
_DOCUMENT_LINE = re.compile(rb"^(?:---|\.\.\.)(?:[ \t]|\r?\n)", re.MULTILINE)
_HEAD_LINE = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t]*(?:#.*)?|---[ \t]*(?:#.*)?|%.*)\r?")
_BLOCK = 1 << 20


def _one_record(chunk: bytes) -> bool:
    """Whether a record's text stands alone: no document marker in it, and libyaml's parser takes
    it without an error (no Python object is made)."""
    if _DOCUMENT_LINE.search(chunk):
        return False
    try:
        _Loader(chunk).raw_parse()
    except yaml.YAMLError:
        return False
    return True


def _line_runs(path: Path) -> Iterator[FilePart] | None:
    """The same cut as the parser's events give, found faster: each line starting with "- " at
    the left edge is taken as a record's start, and every record's text between two such lines
    is given to libyaml's parser (in C, building nothing) before it counts. A "- " line inside a
    value that runs on over lines (quoted, or in brackets) leaves the text before it inside an
    open quote or bracket, which the parser refuses: from the run holding it on, the parser's
    events say where records start. None (the events are used from the start) for a file whose
    head holds more than comments and "---", and where the C parser is not there."""
    if not hasattr(_Loader, "raw_parse"):
        return None
    with path.open("rb") as handle:
        head = handle.read(_BLOCK)
    first = _ITEM_LINE.search(head)
    if first is None or not all(_HEAD_LINE.fullmatch(line) for line in head[:first.start()].split(b"\n")[:-1]):
        return None
    return _verified_runs(path, first.start(), head[:first.start()].count(b"\n"))


def _verified_runs(path: Path, first_item: int, first_line: int) -> Iterator[FilePart]:
    size = path.stat().st_size
    run_start, run_line, run_index, count, index = 0, 0, 0, 0, 0
    item_start, item_line = first_item, first_line  # the record being read
    buffer, buffer_start = b"", first_item
    with path.open("rb") as handle:
        handle.seek(first_item)
        done = False
        while not done:
            block = handle.read(_BLOCK)
            done = not block
            buffer += block
            # the buffer's last line may be incomplete: look for item lines in whole lines only
            limit = len(buffer) if done else buffer.rfind(b"\n") + 1
            position = item_start - buffer_start + 1
            while found := _ITEM_LINE.search(buffer, position, limit):
                ends = found.start()
                chunk = buffer[item_start - buffer_start:ends]
                if not _one_record(chunk):
                    yield from _runs_from(path, run_start, run_line, run_index)
                    return
                index, count = index + 1, count + 1
                line = item_line + chunk.count(b"\n")
                if count >= PART_RECORDS:
                    yield FilePart(run_start, buffer_start + ends, run_index, run_line, count)
                    run_start, run_line, run_index, count = buffer_start + ends, line, index, 0
                item_start, item_line = buffer_start + ends, line
                position = ends + 1
            buffer, buffer_start = buffer[item_start - buffer_start:], item_start  # keep the record being read
    if not _one_record(buffer):  # the last record, to the end of the file
        yield from _runs_from(path, run_start, run_line, run_index)
        return
    yield FilePart(run_start, size, run_index, run_line, count + 1, final=True)


def _events(path: Path, base: int = 0) -> Iterator[yaml.Event]:
    with path.open("rb") as handle:
        handle.seek(base)
        yield from yaml.parse(handle, Loader=_Loader)


def _event_runs(path: Path, base: int = 0, base_line: int = 0, base_index: int = 0) -> Iterator[FilePart] | None:
    """The runs the parser's events give, from byte `base` on (the file's start, or a record's
    first line, its `base_index`th, on line `base_line`); None when that text is not a block list."""
    events = _events(path, base)
    try:
        first = _first_structure(events)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        first = None
    if first is None:
        events.close()
        return None
    return _runs(path, events, base, base_line, base_index)


def _runs_from(path: Path, base: int, base_line: int, base_index: int) -> Iterator[FilePart]:
    """Where the fast cut met a value it cannot see through: the rest is cut as exactly as the
    parser's events cut the whole file (or is one run, read alone, if they cannot)."""
    runs = _event_runs(path, base, base_line, base_index)
    if runs is None:
        yield FilePart(base, path.stat().st_size, base_index, base_line, 0, final=True)
    else:
        yield from runs


def _first_structure(events: Iterator[yaml.Event]) -> yaml.Event | None:
    """The top node's start: a block list of records, else None."""
    for event in events:
        if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
            continue
        if isinstance(event, yaml.SequenceStartEvent) and not event.flow_style and not event.anchor \
                and event.tag is None:
            return event
        return None
    return None


def _runs(path: Path, events: Iterator[yaml.Event], base: int = 0, base_line: int = 0, base_index: int = 0
          ) -> Iterator[FilePart]:
    """The runs of the events of the file from byte `base` on (a record's first line, its
    `base_index`th, on line `base_line`): positions in the events count from there."""
    lines = _LineOffsets(path, base)
    size = path.stat().st_size
    depth, index = 1, 0
    # the current run: its offset, first line and index, its records so far; the first run
    # starts with the text itself (the file's head, comments and ---, read as always)
    start = first_line = first_index = count = 0
    last_line = -1
    try:
        try:
            # two million events for 10,000 records: the loop tests the commonest kinds first
            scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
            ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
            for event in events:
                kind = type(event)
                if kind is scalar:
                    if event.anchor:
                        break  # an alias may point back to it from a later run
                    if depth > 1:
                        continue
                elif kind in ends:
                    depth -= 1
                    continue
                elif kind is mapping or kind is sequence:
                    if event.anchor:
                        break
                elif kind is yaml.StreamEndEvent or kind is yaml.DocumentEndEvent:
                    continue
                else:
                    break  # a second document, or an alias
                if depth == 1:
                    line = event.start_mark.line
                    if count >= PART_RECORDS and line > last_line:
                        offset, text = lines.at(line)
                        if text.lstrip(b"\xef\xbb\xbf \t").startswith(b"-"):  # cut only before a record's own "- "
                            yield FilePart(base + start, base + offset, base_index + first_index,
                                           base_line + first_line, count)
                            start, first_line, first_index, count = offset, line, index, 0
                    last_line = line
                    index += 1
                    count += 1
                if kind is not scalar:
                    depth += 1
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            pass  # the last run holds the fault: read alone, it says what is wrong
        yield FilePart(base + start, size, base_index + first_index, base_line + first_line, count, final=True)
    finally:
        lines.close()
        events.close()


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
    # positions are shifted by the lines before the part: every line and column is the file's own
    return _read_text(file, _decode(file, raw), part.index, part.line)


def _read_text(file: str, text: str, index_offset: int = 0, shift: int = 0) -> list[RawRecord]:
    _FastLoader.duplicate_key = False
    try:
        data = yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError as exc:
        _compose(file, text, shift)  # a syntax error: raises again, with the position
        # it composes: a tag that builds an object (!!python/…), which records never hold
        mark = getattr(exc, "problem_mark", None)
        origin = Origin(file, mark.line + 1 + shift, mark.column + 1) if mark else Origin(file)
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
        data, located, problems = _compose(file, text, shift)
    cache: dict[str, Any] = {}

    def all_origins() -> dict[Path_, Origin]:
        if "all" not in cache:
            cache["all"] = located if located is not None else _compose(file, text, shift)[1]
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
