"""Batches: one record's pipeline (record), the process pool and crash recovery (pool), the
inputs and work units (inputs), the output folder's rerun state (state), the report (report),
and the batch that composes them (run)."""

from .inputs import default_jobs, record_files
from .record import RecordResult, Renderer, write_document
from .report import REPORT_FILE
from .run import Progress, generate

__all__ = ["REPORT_FILE", "Progress", "RecordResult", "Renderer", "default_jobs", "generate", "record_files",
           "write_document"]
