"""Programme file formats by suffix: one reader function per file type.

The CLI and the admin pages both import through `read_file`, so adding a format (the
admin area adds `.ics`) is one entry in `READERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath

from skill.programme.formats import csv_format, ics_format
from skill.programme.formats.csv_format import ParseResult, RowError

# suffix -> reader(file bytes, programme time zone) -> ParseResult
Reader = Callable[[bytes, str], ParseResult]


def _read_csv(data: bytes, zone: str) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ParseResult(
            errors=(RowError(None, None, f"The file is not UTF-8 text (byte {exc.start})."),)
        )
    return csv_format.parse(text, zone)


READERS: dict[str, Reader] = {".csv": _read_csv, ".ics": ics_format.read}
WRITERS: dict[str, Callable] = {".csv": csv_format.write}


def _unsupported(name: str) -> ParseResult:
    known = ", ".join(sorted(READERS))
    return ParseResult(
        errors=(RowError(None, None, f"{name}: unsupported file type (use {known})."),)
    )


def read_data(name: str, data: bytes, zone: str = "Europe/London") -> ParseResult:
    """Read a file's bytes by the type its name says (uploads to the admin pages)."""
    reader = READERS.get(PurePath(name).suffix.lower())
    return reader(data, zone) if reader else _unsupported(name)


def read_file(path: Path, zone: str = "Europe/London") -> ParseResult:
    """Read a programme file of any known type; unknown types are an error, not a guess."""
    if path.suffix.lower() not in READERS:
        return _unsupported(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ParseResult(errors=(RowError(None, None, f"{path}: {exc.strerror}."),))
    return read_data(path.name, data, zone)
