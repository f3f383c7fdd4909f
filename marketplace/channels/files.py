"""A channel's bulk-upload file: one row per product, the columns in the channel's mapping order,
as CSV (UTF-8 with a BOM, which Excel needs to show Vietnamese letters) or XLSX.

Text that a spreadsheet would read as a formula (= + - @ at the start) is defused: in CSV it gets
a leading apostrophe, in XLSX it is stored as a text cell that Excel keeps as text (quote
prefix). A product name typed as "=HYPERLINK(...)" must not become a link in a seller's Excel.
"""

import csv
import datetime
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.core.spreadsheets import FORMULA_START, formula_text_guard

from .fields import mapping_columns, mapping_fields, product_field_value

CSV_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_TEXT_FORMAT = "%d/%m/%Y"
DATE_CELL_FORMAT = "DD/MM/YYYY"
SHEET_TITLE = "San pham"


def channel_file_rows(*, mapping: list[dict], products: Iterable) -> list[list]:
    """Typed values (int, date, str) of each product, in the mapping's column order."""
    fields = mapping_fields(mapping)
    return [[product_field_value(product, field) for field in fields] for product in products]


def channel_file_csv(*, mapping: list[dict], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer)
    writer.writerow([formula_text_guard(column) for column in mapping_columns(mapping)])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime(DATE_TEXT_FORMAT)
    if isinstance(value, int):
        return str(value)
    return formula_text_guard(str(value))


def channel_file_xlsx(*, mapping: list[dict], rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    columns = mapping_columns(mapping)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(column) + 4))
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _xlsx_text(sheet, column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(sheet, value: str) -> WriteOnlyCell:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    # openpyxl writes text starting with "=" as a formula unless told it is a string.
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _xlsx_value(sheet, value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_CELL_FORMAT
        return cell
    if isinstance(value, int):
        return value
    return _xlsx_text(sheet, str(value))
