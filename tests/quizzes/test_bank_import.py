"""Question bank import: every rule refuses the whole file, a good file is written in bulk."""

import csv
import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.search.backends import get_search_backend

from quizzes.models import Choice, Question
from quizzes.services.bank_import import (
    ANSWER_COLUMNS,
    COLUMN_ACTIVE,
    COLUMN_CATEGORY,
    COLUMN_CORRECT,
    COLUMN_DIFFICULTY,
    COLUMN_EXPLANATION,
    COLUMN_KIND,
    COLUMN_TEXT,
    COLUMNS,
    MAX_FILE_SIZE,
    MAX_ROWS,
    Problem,
    question_bank_import,
    question_bank_parse,
    question_bank_template_csv,
    question_bank_template_xlsx,
)
from tests.factories.quizzes import QuestionCategoryFactory, QuestionFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/quizzes/import/"
A, B, C, D, E, F = ANSWER_COLUMNS


@pytest.fixture
def category():
    return QuestionCategoryFactory(code="cds", name="Chuyển đổi số")


def question_row(
    text="Cổng Dịch vụ công quốc gia có địa chỉ nào?",
    *,
    code="cds",
    kind="một đáp án",
    answers=("dichvucong.gov.vn", "vneid.gov.vn", "chinhphu.vn"),
    correct="A",
    explanation="",
    difficulty="",
    active="",
):
    """A data row in the template's column order."""
    values = {
        COLUMN_CATEGORY: code,
        COLUMN_KIND: kind,
        COLUMN_TEXT: text,
        COLUMN_CORRECT: correct,
        COLUMN_EXPLANATION: explanation,
        COLUMN_DIFFICULTY: difficulty,
        COLUMN_ACTIVE: active,
    }
    values.update(zip(ANSWER_COLUMNS, answers, strict=False))
    return [values.get(name, "") for name in COLUMNS]


def xlsx_file(rows, header=COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows, header=COLUMNS, *, delimiter=",", bom=False, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    content = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return (b"\xef\xbb\xbf" + content) if bom else content


def cp1258(text):
    """Text as Excel's plain "CSV" saves it on a Vietnamese Windows: base letter + tone mark."""
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            for mark in marks:
                rest = "".join(m for m in marks if m != mark)
                try:
                    encoded += (unicodedata.normalize("NFC", base + rest) + mark).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
    return bytes(encoded)


def found(result):
    return [(p.row, p.column, p.code) for p in result.problems]


def parse_one(row, header=COLUMNS):
    return question_bank_parse(file_name="cau-hoi.xlsx", content=xlsx_file([row], header))


# --- good files -----------------------------------------------------------------------------------


def five_hundred_rows():
    rows = []
    for i in range(500):
        if i % 3 == 0:
            rows.append(question_row(f"Câu hỏi một đáp án số {i}?", answers="ABCD", correct="B"))
        elif i % 3 == 1:
            rows.append(
                question_row(
                    f"Câu hỏi nhiều đáp án số {i}?",
                    kind="nhiều đáp án",
                    answers=("Một", "Hai", "Ba", "Bốn", "Năm"),
                    correct="A, C, E",
                    difficulty=3,
                    explanation="Vì sao",
                )
            )
        else:
            rows.append(
                question_row(
                    f"Câu hỏi đúng sai số {i}?",
                    code="dvc",
                    kind="đúng sai",
                    answers=("Đúng", "Sai"),
                    correct="B",
                    difficulty="dễ",
                    active="không",
                )
            )
    return rows


def test_500_questions_from_xlsx_are_created_in_bulk(
    category, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    dvc = QuestionCategoryFactory(code="dvc", name="Dịch vụ công")
    content = xlsx_file(five_hundred_rows())

    # Bulk inserts: a few dozen queries (SQLite batches by its variable limit), not thousands.
    with django_assert_max_num_queries(40), django_capture_on_commit_callbacks(execute=True):
        result = question_bank_import(file_name="ngan-hang.xlsx", content=content)

    assert result.ok and result.problems == []
    assert result.created == Question.objects.count() == 500
    assert result.choices_created == Choice.objects.count() == 167 * 4 + 167 * 5 + 166 * 2
    single = Question.objects.get(text="Câu hỏi một đáp án số 0?")
    assert single.kind == Question.Kind.SINGLE and single.category == category
    assert single.difficulty == Question.Difficulty.MEDIUM and single.is_active
    assert [(c.text, c.is_correct) for c in single.choices.order_by("sort_order")] == [
        ("A", False),
        ("B", True),
        ("C", False),
        ("D", False),
    ]
    multiple = Question.objects.get(text="Câu hỏi nhiều đáp án số 1?")
    assert multiple.kind == Question.Kind.MULTIPLE
    assert multiple.difficulty == Question.Difficulty.HARD
    assert multiple.explanation == "Vì sao"
    assert [c.is_correct for c in multiple.choices.order_by("sort_order")] == [
        True,
        False,
        True,
        False,
        True,
    ]
    true_false = Question.objects.get(text="Câu hỏi đúng sai số 2?")
    assert true_false.kind == Question.Kind.TRUE_FALSE and true_false.category == dvc
    assert true_false.difficulty == Question.Difficulty.EASY and not true_false.is_active
    assert [(c.text, c.is_correct) for c in true_false.choices.order_by("sort_order")] == [
        ("Đúng", False),
        ("Sai", True),
    ]
    # bulk_create sends no post_save: the import indexes the questions itself after the commit.
    hits = get_search_backend().search("nhiều đáp án", Question)
    assert multiple in list(hits)


def test_one_bad_row_among_500_imports_nothing_and_names_the_row_and_column(category):
    QuestionCategoryFactory(code="dvc")
    rows = five_hundred_rows()
    rows[250][COLUMNS.index(COLUMN_CORRECT)] = "G"

    result = question_bank_import(file_name="ngan-hang.xlsx", content=xlsx_file(rows))

    assert found(result) == [(252, COLUMN_CORRECT, Problem.CORRECT_INVALID)]
    assert result.created == 0
    assert not Question.objects.exists() and not Choice.objects.exists()


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", True), (";", False), (";", True), (",", False)]
)
def test_csv_in_utf8_with_or_without_bom_and_with_commas_or_semicolons(category, delimiter, bom):
    rows = [
        question_row("Câu thứ nhất, có dấu phẩy?", correct="C"),
        question_row("Câu thứ hai; có chấm phẩy?", kind="nhiều đáp án", correct="A; B"),
    ]
    content = csv_file(rows, delimiter=delimiter, bom=bom)

    result = question_bank_import(file_name="CAU-HOI.CSV", content=content)

    assert result.ok, found(result)
    assert result.created == 2
    first = Question.objects.get(text="Câu thứ nhất, có dấu phẩy?")
    assert first.choices.get(is_correct=True).text == "chinhphu.vn"
    second = Question.objects.get(text="Câu thứ hai; có chấm phẩy?")
    assert second.choices.filter(is_correct=True).count() == 2


def test_csv_cell_with_a_line_break_keeps_row_numbers_as_excel_shows_them(category):
    rows = [
        question_row("Dòng một\nvà dòng hai của câu hỏi?"),
        question_row("Câu hỏi có lỗi?", correct="Z"),
    ]
    result = question_bank_parse(file_name="x.csv", content=csv_file(rows, bom=True))
    assert found(result) == [(3, COLUMN_CORRECT, Problem.CORRECT_INVALID)]


def test_columns_in_any_order_extra_columns_ignored_and_optional_columns_absent(category):
    header = ["STT", COLUMN_CORRECT, B, A, COLUMN_TEXT, COLUMN_KIND, COLUMN_CATEGORY]
    rows = [
        [1, "b", "Sai", "Đúng", "Chuyển đổi số là việc riêng của ngành CNTT?", "Đúng Sai", "cds"]
    ]

    result = question_bank_import(file_name="x.xlsx", content=xlsx_file(rows, header))

    assert result.ok, found(result)
    question = Question.objects.get()
    assert question.kind == Question.Kind.TRUE_FALSE
    assert question.difficulty == Question.Difficulty.MEDIUM
    assert question.is_active and question.explanation == ""
    assert question.choices.get(is_correct=True).text == "Sai"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("single", Question.Kind.SINGLE),
        ("multiple", Question.Kind.MULTIPLE),
        ("true_false", Question.Kind.TRUE_FALSE),
        ("  Một   Đáp Án ", Question.Kind.SINGLE),
        ("NHIỀU ĐÁP ÁN", Question.Kind.MULTIPLE),
    ],
)
def test_kind_accepts_vietnamese_and_code_values(category, kind, expected):
    answers = ("Đúng", "Sai") if expected == Question.Kind.TRUE_FALSE else ("X", "Y", "Z")
    content = xlsx_file([question_row(kind=kind, answers=answers)])
    result = question_bank_import(file_name="x.xlsx", content=content)
    assert result.ok, found(result)
    assert Question.objects.get().kind == expected


@pytest.mark.parametrize(
    ("difficulty", "expected"),
    [
        (1, Question.Difficulty.EASY),
        (2.0, Question.Difficulty.MEDIUM),
        ("3", Question.Difficulty.HARD),
        ("3.0", Question.Difficulty.HARD),
        ("dễ", Question.Difficulty.EASY),
        ("Trung bình", Question.Difficulty.MEDIUM),
        ("KHÓ", Question.Difficulty.HARD),
        ("", Question.Difficulty.MEDIUM),
        (None, Question.Difficulty.MEDIUM),
    ],
)
def test_difficulty_numbers_words_and_default(category, difficulty, expected):
    content = xlsx_file([question_row(difficulty=difficulty)])
    result = question_bank_import(file_name="x.xlsx", content=content)
    assert result.ok, found(result)
    assert Question.objects.get().difficulty == expected


@pytest.mark.parametrize(
    ("active", "expected"), [("có", True), ("Không", False), ("", True), (True, True), (0, False)]
)
def test_active_values_and_default(category, active, expected):
    content = xlsx_file([question_row(active=active)])
    result = question_bank_import(file_name="x.xlsx", content=content)
    assert result.ok, found(result)
    assert Question.objects.get().is_active is expected


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(category):
    rows = [
        question_row("Câu một?"),
        [None] * len(COLUMNS),
        ["  "] * len(COLUMNS),
        question_row("Câu hai?", correct="D"),
        question_row("Câu ba?"),
    ]
    result = question_bank_parse(file_name="x.xlsx", content=xlsx_file(rows))
    assert found(result) == [(5, COLUMN_CORRECT, Problem.CORRECT_EMPTY_ANSWER)]
    assert result.question_count == 3

    rows[3] = question_row("Câu hai?")
    assert question_bank_import(file_name="x.xlsx", content=xlsx_file(rows)).created == 3


def test_rows_filled_only_in_other_columns_are_blank(category):
    header = ["STT", *COLUMNS]
    rows = [[1, *question_row("Câu một?")], [2, *[""] * len(COLUMNS)], [3]]
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file(rows, header))
    assert result.ok, found(result)
    assert result.created == 1


def test_decomposed_unicode_headers_and_text_are_recognised(category):
    header = [unicodedata.normalize("NFD", name) for name in COLUMNS]
    text = unicodedata.normalize("NFD", "Câu hỏi gõ bằng bộ gõ khác?")
    result = question_bank_import(
        file_name="x.xlsx", content=xlsx_file([question_row(text)], header)
    )
    assert result.ok, found(result)
    assert Question.objects.get().text == "Câu hỏi gõ bằng bộ gõ khác?"


def test_category_code_in_upper_case_matches_the_slug(category):
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file([question_row(code="CDS")]))
    assert result.ok, found(result)
    assert Question.objects.get().category == category


def test_parse_alone_writes_nothing(category):
    result = question_bank_parse(file_name="x.xlsx", content=xlsx_file([question_row()]))
    assert result.ok and result.question_count == 1 and result.created == 0
    assert not Question.objects.exists()


# --- each rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (question_row(code=""), COLUMN_CATEGORY, Problem.REQUIRED),
        (question_row(kind=""), COLUMN_KIND, Problem.REQUIRED),
        (question_row(kind="tự luận"), COLUMN_KIND, Problem.KIND_INVALID),
        (question_row(text=""), COLUMN_TEXT, Problem.REQUIRED),
        (question_row(text="x" * 2001), COLUMN_TEXT, Problem.TOO_LONG),
        (question_row(answers=("", "Hai", "Ba"), correct="B"), A, Problem.REQUIRED),
        (question_row(answers=("Một", "", "Ba")), B, Problem.REQUIRED),
        (question_row(answers=("Một", "Hai", "", "Bốn")), C, Problem.ANSWER_GAP),
        (question_row(answers=("Một", "Hai", "Ba", "", "Năm")), D, Problem.ANSWER_GAP),
        (question_row(answers=("Một", "y" * 1001)), B, Problem.TOO_LONG),
        (question_row(answers=("Có", " có ")), B, Problem.ANSWER_DUPLICATE),
        (
            question_row(kind="đúng sai", answers=("Đúng", "Sai", "Không biết")),
            C,
            Problem.TRUE_FALSE_ANSWERS,
        ),
        (question_row(correct=""), COLUMN_CORRECT, Problem.REQUIRED),
        (question_row(correct="G"), COLUMN_CORRECT, Problem.CORRECT_INVALID),
        (question_row(correct="1"), COLUMN_CORRECT, Problem.CORRECT_INVALID),
        (question_row(correct="AB"), COLUMN_CORRECT, Problem.CORRECT_INVALID),
        (question_row(correct="D"), COLUMN_CORRECT, Problem.CORRECT_EMPTY_ANSWER),
        (question_row(correct="A, B"), COLUMN_CORRECT, Problem.CORRECT_COUNT),
        (
            question_row(kind="đúng sai", answers=("Đúng", "Sai"), correct="A,B"),
            COLUMN_CORRECT,
            Problem.CORRECT_COUNT,
        ),
        (
            question_row(kind="nhiều đáp án", correct="A, F"),
            COLUMN_CORRECT,
            Problem.CORRECT_EMPTY_ANSWER,
        ),
        (question_row(difficulty="rất khó"), COLUMN_DIFFICULTY, Problem.DIFFICULTY_INVALID),
        (question_row(difficulty=4), COLUMN_DIFFICULTY, Problem.DIFFICULTY_INVALID),
        (question_row(active="có lẽ"), COLUMN_ACTIVE, Problem.ACTIVE_INVALID),
    ],
)
def test_each_rule_refuses_the_row_and_writes_nothing(category, row, column, code):
    good = question_row("Một câu hỏi đúng mẫu?")
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file([good, row]))
    assert found(result) == [(3, column, code)]
    assert not Question.objects.exists()


def test_multiple_choice_takes_several_correct_answers_in_any_separator(category):
    row = question_row(kind="nhiều đáp án", answers=("a", "b", "c", "d"), correct="a c;D")
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file([row]))
    assert result.ok, found(result)
    assert list(
        Question.objects.get().choices.filter(is_correct=True).values_list("text", flat=True)
    ) == ["a", "c", "d"]


def test_messages_name_the_value_in_english_and_in_vietnamese(category):
    result = parse_one(question_row(code="khong-co"))
    assert found(result) == [(2, COLUMN_CATEGORY, Problem.CATEGORY_UNKNOWN)]
    with translation.override("en"):
        assert result.problems[0].message == "No question category has the code “khong-co”."
    with translation.override("vi"):
        assert "khong-co" in result.problems[0].message


def test_same_question_twice_in_the_file_names_both_rows(category):
    rows = [
        question_row("Chữ ký số là gì?"),
        question_row("Câu khác?"),
        question_row("  chữ KÝ số   là gì?  "),
    ]
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file(rows))
    assert found(result) == [(4, COLUMN_TEXT, Problem.DUPLICATE_IN_FILE)]
    with translation.override("en"):
        assert result.problems[0].message == "Same question as row 2."
    assert not Question.objects.exists()


def test_question_already_in_the_category_is_refused_but_another_category_is_fine(category):
    QuestionFactory(category=category, text="Chữ ký số là gì?")
    other = QuestionCategoryFactory(code="khac", name="Khác")
    QuestionFactory(category=other, text="Câu chỉ có ở chủ đề khác?")

    refused = question_bank_import(
        file_name="x.xlsx", content=xlsx_file([question_row("Chữ ký số là gì?")])
    )
    assert found(refused) == [(2, COLUMN_TEXT, Problem.DUPLICATE_IN_BANK)]
    with translation.override("en"):
        assert "“Chuyển đổi số”" in refused.problems[0].message
    assert Question.objects.count() == 2

    accepted = question_bank_import(
        file_name="x.xlsx", content=xlsx_file([question_row("Câu chỉ có ở chủ đề khác?")])
    )
    assert accepted.ok and Question.objects.count() == 3


def test_every_row_is_reported_not_only_the_first(category):
    rows = [
        question_row("Một?", code="khong-co"),
        question_row("Hai?", correct="E"),
        question_row("Ba?"),
        question_row("Bốn?", kind="?", difficulty="9"),
    ]
    result = question_bank_parse(file_name="x.xlsx", content=xlsx_file(rows))
    assert found(result) == [
        (2, COLUMN_CATEGORY, Problem.CATEGORY_UNKNOWN),
        (3, COLUMN_CORRECT, Problem.CORRECT_EMPTY_ANSWER),
        (5, COLUMN_KIND, Problem.KIND_INVALID),
        (5, COLUMN_DIFFICULTY, Problem.DIFFICULTY_INVALID),
    ]


# --- the header -----------------------------------------------------------------------------------


def test_missing_required_columns_are_one_problem_about_the_file(category):
    header = [name for name in COLUMNS if name not in (COLUMN_KIND, COLUMN_CORRECT)]
    rows = [[v for name, v in zip(COLUMNS, question_row(), strict=True) if name in header]]
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file(rows, header))
    assert found(result) == [(1, f"{COLUMN_KIND}, {COLUMN_CORRECT}", Problem.COLUMNS_MISSING)]
    with translation.override("en"):
        assert COLUMN_KIND in result.problems[0].message
    assert not Question.objects.exists()


def test_column_without_diacritics_is_named_as_misspelt(category):
    header = ["Cau hoi" if name == COLUMN_TEXT else name for name in COLUMNS]
    result = parse_one(question_row(), header)
    assert found(result) == [(1, "Cau hoi", Problem.COLUMN_MISSPELT)]


def test_column_twice_is_refused(category):
    header = [*COLUMNS, COLUMN_TEXT]
    result = parse_one([*question_row(), "Câu khác?"], header)
    assert found(result) == [(1, COLUMN_TEXT, Problem.COLUMN_DUPLICATE)]


# --- the file -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty csv"),
        pytest.param(csv_file([]), id="header-only csv"),
        pytest.param(b"\xef\xbb\xbf\r\n\r\n", id="blank csv"),
    ],
)
def test_empty_csv_is_refused(category, content):
    result = question_bank_import(file_name="x.csv", content=content)
    assert found(result) == [(None, "", Problem.FILE_EMPTY)]


@pytest.mark.parametrize("header", [None, COLUMNS])
def test_empty_or_header_only_xlsx_is_refused(category, header):
    result = question_bank_import(file_name="x.xlsx", content=xlsx_file([], header))
    assert found(result) == [(None, "", Problem.FILE_EMPTY)]


def test_more_than_2000_rows_is_refused(category):
    rows = [question_row(f"Câu {i}?") for i in range(MAX_ROWS + 1)]
    result = question_bank_import(file_name="x.csv", content=csv_file(rows))
    assert found(result) == [(None, "", Problem.TOO_MANY_ROWS)]
    assert not Question.objects.exists()


def test_exactly_2000_rows_is_accepted(category):
    rows = [question_row(f"Câu {i}?") for i in range(MAX_ROWS)]
    result = question_bank_parse(file_name="x.csv", content=csv_file(rows))
    assert result.ok and result.question_count == MAX_ROWS


def test_file_larger_than_5_mb_is_refused(category):
    content = csv_file([question_row()]) + b" " * MAX_FILE_SIZE
    result = question_bank_import(file_name="x.csv", content=content)
    assert found(result) == [(None, "", Problem.FILE_TOO_LARGE)]
    with translation.override("en"):
        assert "5 MB" in result.problems[0].message
    assert not Question.objects.exists()


@pytest.mark.parametrize("file_name", ["x.xls", "x.txt", "x.pdf", "x", "x.xlsx.exe"])
def test_unsupported_extension_is_refused(category, file_name):
    result = question_bank_import(file_name=file_name, content=xlsx_file([question_row()]))
    assert found(result) == [(None, "", Problem.FILE_EXTENSION)]
    assert not Question.objects.exists()


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_csv_not_in_utf8_is_refused(category, encoding):
    content = csv_file([question_row("Câu hỏi có dấu tiếng Việt?")], encoding=encoding)
    result = question_bank_import(file_name="x.csv", content=content)
    assert found(result) == [(None, "", Problem.CSV_ENCODING)]
    assert not Question.objects.exists()


def not_an_xlsx_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"this is not a spreadsheet", id="text"),
        pytest.param(not_an_xlsx_zip(), id="zip without a workbook"),
        pytest.param(xlsx_file([question_row()])[:2000], id="truncated"),
        pytest.param(csv_file([question_row()]), id="csv named xlsx"),
    ],
)
def test_corrupt_xlsx_is_one_clear_problem(category, content):
    result = question_bank_import(file_name="x.xlsx", content=content)
    assert found(result) == [(None, "", Problem.XLSX_UNREADABLE)]
    with translation.override("en"):
        assert "cannot be read" in result.problems[0].message
    assert not Question.objects.exists()


# --- the template ---------------------------------------------------------------------------------


def test_template_xlsx_and_csv_match_the_parser_and_import_as_they_are(category):
    sheet = openpyxl.load_workbook(io.BytesIO(question_bank_template_xlsx())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 3

    first = question_bank_import(file_name="mau.xlsx", content=question_bank_template_xlsx())
    assert first.ok and first.created == 2

    Question.objects.all().delete()
    second = question_bank_import(file_name="mau.csv", content=question_bank_template_csv())
    assert second.ok and second.created == 2
    assert (
        Question.objects.filter(kind=Question.Kind.MULTIPLE)
        .get()
        .choices.filter(is_correct=True)
        .count()
        == 2
    )


def test_the_documented_csv_example_imports(category):
    docs = Path(__file__).resolve().parents[2] / "docs" / "question-import.md"
    example = docs.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    result = question_bank_import(file_name="vi-du.csv", content=example.encode())
    assert result.ok, found(result)
    assert sorted(Question.objects.values_list("kind", flat=True)) == [
        Question.Kind.MULTIPLE,
        Question.Kind.SINGLE,
        Question.Kind.TRUE_FALSE,
    ]


# --- the admin screen -----------------------------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_admin_page_shows_the_form_and_the_template_links(superuser, client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="file"' in body
    assert reverse("quizzes_bank_import_template_xlsx") in body
    assert reverse("quizzes_bank_import_template_csv") in body


def test_admin_bad_file_gets_400_with_the_problem_table_and_writes_nothing(
    superuser, client, category
):
    rows = [question_row("Câu đúng?"), question_row("Câu sai?", correct="Z")]
    response = client.post(IMPORT_URL, {"file": upload("cau-hoi.xlsx", xlsx_file(rows))})

    assert response.status_code == 400
    assert [(p.row, p.column, p.code) for p in response.context["problems"]] == [
        (3, COLUMN_CORRECT, Problem.CORRECT_INVALID)
    ]
    body = response.content.decode()
    assert 'data-problem-code="correct_invalid"' in body
    assert "<td>3</td>" in body and f"<td>{COLUMN_CORRECT}</td>" in body
    assert not Question.objects.exists()


def test_admin_corrupt_file_is_a_400_not_a_500(superuser, client, category):
    response = client.post(IMPORT_URL, {"file": upload("hong.xlsx", b"PK\x03\x04 broken")})
    assert response.status_code == 400
    assert response.context["problems"][0].code == Problem.XLSX_UNREADABLE


def test_admin_empty_file_is_reported_by_the_importer(superuser, client, category):
    response = client.post(IMPORT_URL, {"file": upload("rong.csv", b"")})
    assert response.status_code == 400
    assert [p.code for p in response.context["problems"]] == [Problem.FILE_EMPTY]


def test_admin_post_without_a_file_is_a_400(superuser, client):
    response = client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_admin_good_file_imports_and_redirects_to_the_questions(superuser, client, category):
    rows = [question_row("Câu một?"), question_row("Câu hai?")]
    with translation.override("en"):
        response = client.post(
            IMPORT_URL, {"file": upload("cau-hoi.csv", csv_file(rows, bom=True))}
        )

    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_quizzes_question:list")
    assert Question.objects.count() == 2
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("2" in message for message in messages)


def test_admin_template_downloads_open_in_openpyxl_and_round_trip(superuser, client, category):
    response = client.get(reverse("quizzes_bank_import_template_xlsx"))
    assert response.status_code == 200
    assert 'filename="mau-nhap-cau-hoi.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(COLUMNS)

    imported = client.post(IMPORT_URL, {"file": upload("mau.xlsx", response.content)})
    assert imported.status_code == 302 and Question.objects.count() == 2

    csv_response = client.get(reverse("quizzes_bank_import_template_csv"))
    assert csv_response.status_code == 200
    assert 'filename="mau-nhap-cau-hoi.csv"' in csv_response["Content-Disposition"]
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    # The same two examples again: refused as already in the bank, which proves they parse.
    again = client.post(IMPORT_URL, {"file": upload("mau.csv", csv_response.content)})
    assert again.status_code == 400
    assert {p.code for p in again.context["problems"]} == {Problem.DUPLICATE_IN_BANK}


@pytest.fixture
def admin_without_question_rights(client):
    group = Group.objects.create(name="Chỉ vào trang quản trị")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(is_staff=True, groups=[group])
    client.force_login(user)
    return user


def test_user_without_permission_cannot_reach_the_screen_nor_see_the_menu(
    admin_without_question_rights, client, category
):
    for url in (
        IMPORT_URL,
        reverse("quizzes_bank_import_template_xlsx"),
        reverse("quizzes_bank_import_template_csv"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")

    response = client.post(IMPORT_URL, {"file": upload("x.xlsx", xlsx_file([question_row()]))})
    assert response.status_code in (302, 403)
    assert not Question.objects.exists()

    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert IMPORT_URL not in home.content.decode()


def test_user_with_the_add_question_permission_sees_the_menu_and_imports(client, category):
    group = Group.objects.create(name="Ngân hàng câu hỏi")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_question"),
    )
    client.force_login(UserFactory(is_staff=True, groups=[group]))

    assert IMPORT_URL in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(IMPORT_URL, {"file": upload("x.xlsx", xlsx_file([question_row()]))})
    assert response.status_code == 302 and Question.objects.count() == 1


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url
