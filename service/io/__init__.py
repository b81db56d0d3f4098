"""Import and export: spreadsheets (CSV, a Kumu map) in; GraphML, dynamic GEXF, JSON and
CSV out; and backups of the whole store, to move it (e.g. from SQLite to PostgreSQL).

The column names and formats are in docs/import.md.
"""

from service.io.backup import BackupError, BackupSummary, backup, check_backup, log_digest, restore
from service.io.csv_import import ImportKind
from service.io.export import Export, ExportFormat, export
from service.io.importing import ImportStoppedError, plan_import, write_plan
from service.io.reading import Problem
from service.io.report import ImportReport

__all__ = [
    "BackupError",
    "BackupSummary",
    "Export",
    "ExportFormat",
    "ImportKind",
    "ImportReport",
    "ImportStoppedError",
    "Problem",
    "backup",
    "check_backup",
    "export",
    "log_digest",
    "plan_import",
    "restore",
    "write_plan",
]
