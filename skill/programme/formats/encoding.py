"""Text encodings as spreadsheet and calendar programs write them, found from the bytes.

Excel alone writes four: "CSV UTF-8" (with a BOM), plain "CSV" (Windows-1252 on a UK
PC), "Unicode text" (UTF-16 with a BOM, tab-separated) and, on a Mac, UTF-8 without a
BOM. Windows-1252 is the last resort: every byte but five decodes, so a file read that
way is named in a warning (a wrong guess shows as odd £ or – signs, never silently).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

UTF8 = "UTF-8"
UTF16 = "UTF-16"
CP1252 = "Windows-1252"


class NotText(ValueError):
    """The bytes are not text in any encoding we can name; the message says what to do."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # UTF8, UTF16 or CP1252

    @property
    def guessed(self) -> bool:
        return self.encoding == CP1252


def decode(data: bytes, save_hint: str) -> Decoded:
    """The file's text. `save_hint` says how to save the file properly, for messages."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[3:].decode("utf-8"), UTF8)
        except UnicodeDecodeError as exc:
            raise NotText(
                f"The file says it is UTF-8 text but is not (byte {exc.start + 3} is wrong). "
                f"{save_hint}"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), UTF16)
        except UnicodeDecodeError:
            raise NotText(f"The file says it is UTF-16 text but is not. {save_hint}") from None
    try:
        return Decoded(data.decode("utf-8"), UTF8)
    except UnicodeDecodeError:
        pass
    if data[:200].count(0) * 3 > min(len(data), 200):  # UTF-16 that lost its BOM
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return Decoded(text, UTF16)
    if b"\x00" in data:
        raise NotText(f"This is not a text file (is it a spreadsheet or a PDF?). {save_hint}")
    try:
        return Decoded(data.decode("cp1252"), CP1252)
    except UnicodeDecodeError:
        raise NotText(f"The file's text encoding could not be recognised. {save_hint}") from None
