"""Read YAML records, keeping the line and column of every value.

Dates stay text (validated later as dd/mm/yyyy or ISO), so an impossible date such as
2021-02-31 becomes a clear error instead of a crash inside the YAML library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Origin, Problem
from ..i18n import _
from .source import Path_, RawRecord


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


class YamlReadError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _origin(file: str, node: yaml.Node) -> Origin:
    return Origin(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(loader: _Loader, node: yaml.Node, path: Path_, file: str,
             origins: dict[Path_, Origin], problems: list[Problem]) -> Any:
    origins[path] = _origin(file, node)
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


def read_yaml(path: Path) -> list[RawRecord]:
    """All records of a YAML file: one mapping, or a list of mappings."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlReadError(Problem(Origin(file), "", _("the file is not UTF-8 text ({detail})")
                                    .format(detail=exc.reason))) from None
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
    if isinstance(data, dict):
        return [RawRecord(data, origins, file, 0, problems)]
    if isinstance(data, list) and data:
        records = []
        for i, item in enumerate(data):
            sub = {p[1:]: o for p, o in origins.items() if p[:1] == (i,)}
            mine = [pr for pr in problems if pr.field.startswith(f"{i}.")]
            records.append(RawRecord(item, sub, file, i, mine, in_list=True))
        return records
    raise YamlReadError(Problem(Origin(file, 1, 1), "", _(
        "a record file holds one document (a mapping) or a list of documents")))
