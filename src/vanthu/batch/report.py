"""batch-report.json: counts first, then one entry per record, in the order of the inputs.

The entries are streamed to a temporary file as the batch goes, so memory stays flat however
long it is; closing writes the report whole and renames it into place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import __version__
from ..ooxml.package import write_temporary
from .record import RecordResult

REPORT_FILE = "batch-report.json"


def read_entries(folder: Path) -> list[dict]:
    """A batch folder's report entries, for the commands that work on a batch (review, edxml);
    a folder with no report, or a damaged one, is a ConfigurationError saying what to do."""
    from ..errors import ConfigurationError
    from ..i18n import _

    path = folder / REPORT_FILE
    if not folder.is_dir():
        raise ConfigurationError(_("no such folder: {path}").format(path=folder))
    if not path.is_file():
        raise ConfigurationError(_("{path} is not a batch folder: it has no {report} (make one with vanthu generate)")
                                 .format(path=folder, report=REPORT_FILE))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        data = None
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ConfigurationError(_("{path} is damaged: make the batch again with vanthu generate").format(path=path))
    return [r for r in records if isinstance(r, dict)]


class ReportWriter:
    def __init__(self, out_dir: Path):
        self.path = out_dir / REPORT_FILE
        self.counts = {"written": 0, "unchanged": 0, "failed": 0, "removed": 0}
        self.entries = write_temporary(out_dir, b"", "report")
        self.handle = self.entries.open("w", encoding="utf-8")

    def add(self, result: RecordResult) -> None:
        self.counts[result.status] += 1
        entry = {"source": result.source, "status": result.status,
                 "output": str(result.output) if result.output else None,
                 **({"replaced": str(result.replaced)} if result.replaced else {}),
                 **({"key": result.key} if result.key else {}),
                 **({"draft": result.draft} if result.draft else {}),
                 **({"metadata": result.metadata} if result.metadata and result.ok else {}),
                 "problems": [{"where": str(p.origin), "field": p.field, "severity": p.severity,
                               "message": p.message} for p in result.problems]}
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.handle.close()
        head = json.dumps({"vanthu": __version__, **self.counts}, ensure_ascii=False)[:-1]
        tmp = write_temporary(self.path.parent, b"", self.path.name)
        try:
            with tmp.open("w", encoding="utf-8") as out, self.entries.open(encoding="utf-8") as lines:
                out.write(head + ', "records": [\n')
                for i, line in enumerate(lines):
                    out.write((",\n" if i else "") + line.rstrip("\n"))
                out.write("\n]}\n")
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
            self.entries.unlink(missing_ok=True)
