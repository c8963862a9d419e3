"""Programme file formats by suffix: one reader function per file type.

The CLI (`voice-demo programme import`) and the admin upload both read through
`read_data` / `read_file`, so every file meets the same rules: nothing with an error is
published, and no library message or traceback reaches the admin (a reader that fails
unexpectedly gives a plain refusal, never a 500).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

from skill.programme.formats import csv_format, ics_format
from skill.programme.formats.result import ParseResult, RejectedRow, RowError, failed
from skill.programme.model import Session

__all__ = ["READERS", "WRITERS", "ParseResult", "RejectedRow", "RowError", "read_data", "read_file"]

log = logging.getLogger(__name__)

# suffix -> reader(file bytes, programme time zone) -> ParseResult
Reader = Callable[[bytes, str], ParseResult]
# Excel saves "Unicode text" (UTF-16, tabs) as .txt; the reader finds the separator itself.
READERS: dict[str, Reader] = {
    ".csv": csv_format.read_bytes,
    ".tsv": csv_format.read_bytes,
    ".txt": csv_format.read_bytes,
    ".ics": ics_format.read,
}
WRITERS: dict[str, Callable[[Iterable[Session]], str]] = {".csv": csv_format.write}


SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


def _unsupported(name: str) -> ParseResult:
    known = ", ".join(sorted(READERS))
    if PurePath(name).suffix.lower() in SPREADSHEETS:
        return failed(
            f"{name}: a spreadsheet cannot be read as it is; save it as “CSV UTF-8” "
            f"(File › Save As) and import that file (use {known})."
        )
    return failed(f"{name}: unsupported file type (use {known}).")


def read_data(name: str, data: bytes, zone: str = "Europe/London") -> ParseResult:
    """Read a file's bytes by the type its name says (uploads to the admin pages)."""
    reader = READERS.get(PurePath(name).suffix.lower())
    if reader is None:
        return _unsupported(name)
    try:
        return reader(data, zone)
    except Exception:  # a bug of ours or a library's: log it, tell the admin plainly
        log.info("reading %s failed", name, exc_info=True)
        return failed(
            f"{PurePath(name).name} could not be read: something in it confused the reader. "
            "Nothing was imported. Export the file again, or send it to the team that "
            "runs the demo."
        )


def read_file(path: Path, zone: str = "Europe/London") -> ParseResult:
    """Read a programme file of any known type; unknown types are an error, not a guess."""
    if path.suffix.lower() not in READERS:
        return _unsupported(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return failed(f"{path}: {exc.strerror}.")
    return read_data(path.name, data, zone)
