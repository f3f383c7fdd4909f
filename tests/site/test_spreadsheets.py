"""Reading uploaded .xlsx and CSV files for the importers: rows, cells, and unreadable files."""

import io

import openpyxl
import pytest
from django.utils import translation

from portal.core.spreadsheets import (
    SpreadsheetImportProblem,
    SpreadsheetProblem,
    SpreadsheetUnreadable,
    spreadsheet_cell_text,
    spreadsheet_header_key,
    spreadsheet_rows,
)

MB = 1024 * 1024


def rows(content, filename, **options):
    options.setdefault("max_size", 5 * MB)
    options.setdefault("max_columns", 32)
    return list(spreadsheet_rows(content=content, filename=filename, **options))


def xlsx(*rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(content, filename, **options) -> SpreadsheetUnreadable:
    with pytest.raises(SpreadsheetUnreadable) as caught:
        rows(content, filename, **options)
    return caught.value


def test_xlsx_rows_are_numbered_as_excel_shows_them_with_cells_as_text():
    content = xlsx(
        [None],
        ["Họ và tên", "Số"],
        ["Nguyễn Văn An", 912345678.0],
        [None, None],
        ["Có", True],
    )
    assert rows(content, "Can-bo.XLSX") == [
        (1, [""] * 32),
        (2, ["Họ và tên", "Số"] + [""] * 30),
        (3, ["Nguyễn Văn An", "912345678"] + [""] * 30),
        (4, [""] * 32),
        (5, ["Có", "true"] + [""] * 30),
    ]


def test_xlsx_rows_narrowed_to_the_first_non_empty_row():
    content = xlsx([None], ["A", None, "C"], ["1", "2", "3", "ngoài"])
    assert rows(content, "x.xlsx", max_columns=64, narrow_to_first_row=True) == [
        (1, [""] * 64),
        (2, ["A", "", "C"]),
        (3, ["1", "2", "3"]),
    ]


def test_csv_with_a_bom_semicolons_and_decomposed_text():
    text = 'Mã đơn vị;Ghi chú\r\ncds;"một; hai"\r\n\r\n' + "Viê\u0323t;x\r\n"
    content = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert rows(content, "don-vi.csv") == [
        (1, ["Mã đơn vị", "Ghi chú"]),
        (2, ["cds", "một; hai"]),
        (3, []),
        (4, ["Việt", "x"]),
    ]


def test_csv_without_a_bom_separated_by_commas():
    assert rows(b" a , b \n1,2\n", "x.csv") == [(1, ["a", "b"]), (2, ["1", "2"])]


def test_csv_not_in_utf8_is_refused_while_reading():
    iterator = spreadsheet_rows(
        content="Tên,Đơn\nAn,cds\n".encode("cp1258"),  # Excel's plain "CSV"
        filename="x.csv",
        max_size=MB,
        max_columns=32,
    )
    with pytest.raises(SpreadsheetUnreadable) as caught:
        next(iterator)
    assert caught.value.code == SpreadsheetProblem.CSV_ENCODING


def test_csv_with_a_nul_byte_is_unreadable():
    assert refused(b"a,b\n1,\x002\n", "x.csv").code == SpreadsheetProblem.CSV_UNREADABLE


@pytest.mark.parametrize(
    "content",
    [b"not a zip file", xlsx(["a"])[:200], b"PK\x03\x04" + b"\x00" * 100],
)
def test_damaged_xlsx_is_unreadable(content):
    assert refused(content, "x.xlsx").code == SpreadsheetProblem.XLSX_UNREADABLE


@pytest.mark.parametrize(
    ("filename", "extension"),
    [("cau-hoi.xls", ".xls"), ("bang.PDF", ".pdf"), ("khong-duoi", "khong-duoi")],
)
def test_unsupported_extension_is_refused_at_once(filename, extension):
    # Before any reading, and before the size: the type is what the user must fix first.
    with pytest.raises(SpreadsheetUnreadable) as caught:
        spreadsheet_rows(content=b"x" * 100, filename=filename, max_size=10, max_columns=32)
    assert caught.value.code == SpreadsheetProblem.FILE_EXTENSION
    assert caught.value.params == {"extension": extension}


def test_too_large_file_is_refused_at_once_with_the_limit_in_mb():
    with pytest.raises(SpreadsheetUnreadable) as caught:
        spreadsheet_rows(
            content=b"x" * (2 * MB + 1), filename="x.csv", max_size=2 * MB, max_columns=1
        )
    assert caught.value.code == SpreadsheetProblem.FILE_TOO_LARGE
    assert caught.value.params == {"limit": 2}


def test_cell_text():
    assert spreadsheet_cell_text(None) == ""
    assert spreadsheet_cell_text(2.0) == "2"
    assert spreadsheet_cell_text(2.5) == "2.5"
    assert spreadsheet_cell_text(False) == "false"
    assert spreadsheet_cell_text(" a\r\nb\rc ") == "a\nb\nc"
    assert spreadsheet_cell_text("Vie\u0302\u0323t") == "Việt"


def test_header_key_folds_case_diacritics_and_spaces():
    assert spreadsheet_header_key("  Mã   ĐƠN vị ") == "ma don vi"
    assert spreadsheet_header_key("Đáp án đúng") == spreadsheet_header_key("dap an DUNG")
    assert spreadsheet_header_key("ma_don_vi") == "ma_don_vi"


def test_problem_messages_are_translated_when_read():
    problem = SpreadsheetImportProblem(
        None, "", SpreadsheetProblem.FILE_EXTENSION, {"extension": ".xls"}
    )
    with translation.override("en"):
        assert problem.message.startswith("Unsupported file type “.xls”")
    with translation.override("vi"):
        assert ".xls" in problem.message and "Unsupported" not in problem.message
