"""Reading an uploaded Excel (.xlsx) or CSV file for an import, and the problems that every such
import reports.

Each importer checks its own header and rows, with its own problem codes (extending
`SpreadsheetProblem`) and messages (extending `SPREADSHEET_MESSAGES`); a file that cannot be read
at all raises `SpreadsheetUnreadable`, whose code is one of `SpreadsheetProblem`'s.
"""

import csv
import io
import logging
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import openpyxl
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

EXTENSIONS = ("xlsx", "csv")
# Text starting with one of these is taken for a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetProblem:
    """Codes of the problems every spreadsheet import reports; tests and callers match on these."""

    FILE_EXTENSION = "file_extension"
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    XLSX_UNREADABLE = "xlsx_unreadable"
    CSV_UNREADABLE = "csv_unreadable"
    CSV_ENCODING = "csv_encoding"
    TOO_MANY_ROWS = "too_many_rows"
    COLUMNS_MISSING = "columns_missing"
    COLUMN_DUPLICATE = "column_duplicate"
    REQUIRED = "required"
    TOO_LONG = "too_long"


# The messages that do not depend on what is imported (FILE_EMPTY and TOO_MANY_ROWS do).
SPREADSHEET_MESSAGES = {
    SpreadsheetProblem.FILE_EXTENSION: _(
        "Unsupported file type “%(extension)s”: upload an Excel file (.xlsx) or a CSV file (.csv)."
    ),
    SpreadsheetProblem.FILE_TOO_LARGE: _(
        "The file is larger than %(limit)s MB: split it into smaller files."
    ),
    SpreadsheetProblem.XLSX_UNREADABLE: _(
        "The Excel file cannot be read: it is damaged or not a real .xlsx file. "
        "Open it in Excel and save it again as .xlsx."
    ),
    SpreadsheetProblem.CSV_UNREADABLE: _(
        "The CSV file cannot be read. Save it again from Excel as “CSV UTF-8”."
    ),
    SpreadsheetProblem.CSV_ENCODING: _(
        "The CSV file is not in UTF-8. In Excel choose Save As, “CSV UTF-8 (Comma delimited)”, "
        "or upload the .xlsx file instead."
    ),
    SpreadsheetProblem.COLUMNS_MISSING: _(
        "The header row lacks the required columns: %(columns)s. "
        "Copy the header row from the template."
    ),
    SpreadsheetProblem.COLUMN_DUPLICATE: _("The column “%(column)s” appears more than once."),
    SpreadsheetProblem.REQUIRED: _("This cell must not be empty."),
    SpreadsheetProblem.TOO_LONG: _("Too long: %(length)s characters, at most %(limit)s."),
}


@dataclass(frozen=True)
class SpreadsheetImportProblem:
    """One problem: the row as Excel numbers it (header = 1; None for the whole file), the column
    as named in the template ("" when the problem is not about one column), and a code.

    An importer subclasses it with its own `messages` (code -> lazily translated message).
    """

    row: int | None
    column: str
    code: str
    params: dict = field(default_factory=dict)

    messages: ClassVar[Mapping[str, str]] = SPREADSHEET_MESSAGES

    @property
    def message(self) -> str:
        """The message in the active language (translated when read, not when found)."""
        return self.messages[self.code] % self.params


class SpreadsheetUnreadable(Exception):
    """The file cannot be read as a table: `code` is one of SpreadsheetProblem's FILE_EXTENSION
    (params: extension), FILE_TOO_LARGE (params: limit, in MB), XLSX_UNREADABLE, CSV_UNREADABLE
    or CSV_ENCODING."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def spreadsheet_cell_text(value) -> str:
    """A cell as text: Excel numbers 2.0 -> "2", booleans -> "true"/"false", line breaks as
    "\\n", NFC, stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    # Text typed on some keyboards comes decomposed (NFD); compare and store the composed form.
    return unicodedata.normalize("NFC", text).strip()


def spreadsheet_header_key(text: str) -> str:
    """Lower case without diacritics, spaces folded: "Mã  Đơn vị" -> "ma don vi", to recognise a
    column name typed without its diacritics."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def spreadsheet_rows(
    *,
    content: bytes,
    filename: str,
    max_size: int,
    max_columns: int,
    narrow_to_first_row: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cell texts) of the first sheet of an .xlsx file or of a CSV
    file, read lazily: the caller may stop early.

    The file type (from the name's extension) and the size (at most `max_size` bytes) are checked
    at once, in that order; damage and encoding problems are raised while the rows are read.
    An .xlsx file is read at most `max_columns` wide (a sheet formatted to its last column would
    give 16,384 cells a row); with `narrow_to_first_row`, the rows after the first non-empty one
    are read only as wide as its last non-empty cell. A CSV file is UTF-8 with or without a BOM,
    separated by `,` or `;`. A workbook without sheets gives no rows.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in EXTENSIONS:
        raise SpreadsheetUnreadable(
            SpreadsheetProblem.FILE_EXTENSION,
            extension=f".{extension}" if extension else filename,
        )
    if len(content) > max_size:
        raise SpreadsheetUnreadable(
            SpreadsheetProblem.FILE_TOO_LARGE, limit=max_size // (1024 * 1024)
        )
    if extension == "xlsx":
        return _xlsx_rows(content, max_columns=max_columns, narrow=narrow_to_first_row)
    return _csv_rows(content)


def _xlsx_rows(
    content: bytes, *, max_columns: int, narrow: bool
) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl's own errors on damaged files
        logger.info("Unreadable xlsx file: %r", error)
        raise SpreadsheetUnreadable(SpreadsheetProblem.XLSX_UNREADABLE) from error
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # The dimension recorded in the file may be wrong; read every row that is there.
        sheet.reset_dimensions()
        header_row, width = None, max_columns
        for number, values in enumerate(
            sheet.iter_rows(max_col=max_columns, values_only=True), start=1
        ):
            cells = [spreadsheet_cell_text(value) for value in values]
            if narrow and any(cells):
                header_row = number
                width = max(i for i, text in enumerate(cells) if text) + 1
                yield number, cells[:width]
                break
            yield number, cells
        if header_row is None:
            return
        rows = sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True)
        for number, values in enumerate(rows, start=header_row + 1):
            yield number, [spreadsheet_cell_text(value) for value in values]
    except Exception as error:  # openpyxl raises many kinds of errors on damaged parts
        logger.info("Unreadable xlsx file: %r", error)
        raise SpreadsheetUnreadable(SpreadsheetProblem.XLSX_UNREADABLE) from error
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetUnreadable(SpreadsheetProblem.CSV_ENCODING) from error
    # Not text, and a NUL cannot be stored in a PostgreSQL text column.
    if "\x00" in text:
        raise SpreadsheetUnreadable(SpreadsheetProblem.CSV_UNREADABLE)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in a Vietnamese locale separates with `;` (the comma is the decimal separator).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [spreadsheet_cell_text(value) for value in values]
    except csv.Error as error:
        raise SpreadsheetUnreadable(SpreadsheetProblem.CSV_UNREADABLE) from error


def formula_text_guard(value):
    """Text that a spreadsheet would take for a formula gets a leading apostrophe; other values
    pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
