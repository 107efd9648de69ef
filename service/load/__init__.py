"""Loading the interchange files (SPEC §1): validation in Python and SQL, COPY, merge."""

from service.load.files import FILE_ORDER, LoadPathError, discover_files
from service.load.loader import load_paths
from service.load.report import FileResult, LoadReport, Reject, write_rejects

__all__ = [
    "FILE_ORDER",
    "FileResult",
    "LoadPathError",
    "LoadReport",
    "Reject",
    "discover_files",
    "load_paths",
    "write_rejects",
]
