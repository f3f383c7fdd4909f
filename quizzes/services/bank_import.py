"""Importing a question bank from an Excel (.xlsx) or CSV file: every row is checked, then all or
nothing is written.

The column names are the file format, so they stay in Vietnamese whatever the interface language;
the problems reported are translated when they are displayed.
"""

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from wagtail.search.backends import get_search_backends_with_name

from portal.core.spreadsheets import (
    SpreadsheetImportProblem,
    SpreadsheetProblem,
    SpreadsheetUnreadable,
    spreadsheet_header_key,
    spreadsheet_rows,
)

from ..models import Choice, Question, QuestionCategory

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = Choice._meta.get_field("text").max_length
TEMPLATE_FILE_STEM = "mau-nhap-cau-hoi"

COLUMN_CATEGORY = "Mã chủ đề"
COLUMN_KIND = "Loại"
COLUMN_TEXT = "Câu hỏi"
ANSWER_LETTERS = "ABCDEF"
ANSWER_COLUMNS = tuple(f"Đáp án {letter}" for letter in ANSWER_LETTERS)
COLUMN_CORRECT = "Đáp án đúng"
COLUMN_EXPLANATION = "Giải thích"
COLUMN_DIFFICULTY = "Độ khó"
COLUMN_ACTIVE = "Kích hoạt"

# The template's order; the parser accepts any order.
COLUMNS = (
    COLUMN_CATEGORY,
    COLUMN_KIND,
    COLUMN_TEXT,
    *ANSWER_COLUMNS,
    COLUMN_CORRECT,
    COLUMN_EXPLANATION,
    COLUMN_DIFFICULTY,
    COLUMN_ACTIVE,
)
REQUIRED_COLUMNS = (
    COLUMN_CATEGORY,
    COLUMN_KIND,
    COLUMN_TEXT,
    ANSWER_COLUMNS[0],
    ANSWER_COLUMNS[1],
    COLUMN_CORRECT,
)

KIND_VALUES = {
    "một đáp án": Question.Kind.SINGLE,
    "nhiều đáp án": Question.Kind.MULTIPLE,
    "đúng sai": Question.Kind.TRUE_FALSE,
    "đúng/sai": Question.Kind.TRUE_FALSE,
    "single": Question.Kind.SINGLE,
    "multiple": Question.Kind.MULTIPLE,
    "true_false": Question.Kind.TRUE_FALSE,
}
DIFFICULTY_VALUES = {
    "1": Question.Difficulty.EASY,
    "2": Question.Difficulty.MEDIUM,
    "3": Question.Difficulty.HARD,
    "dễ": Question.Difficulty.EASY,
    "trung bình": Question.Difficulty.MEDIUM,
    "khó": Question.Difficulty.HARD,
    "easy": Question.Difficulty.EASY,
    "medium": Question.Difficulty.MEDIUM,
    "hard": Question.Difficulty.HARD,
}
ACTIVE_VALUES = {
    "có": True,
    "không": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}
LETTER_SEPARATORS = re.compile(r"[\s,;]+")


class Problem(SpreadsheetProblem):
    """Codes of the problems an import reports; tests and callers match on these."""

    COLUMN_MISSPELT = "column_misspelt"
    CATEGORY_UNKNOWN = "category_unknown"
    KIND_INVALID = "kind_invalid"
    ANSWER_GAP = "answer_gap"
    TRUE_FALSE_ANSWERS = "true_false_answers"
    ANSWER_DUPLICATE = "answer_duplicate"
    CORRECT_INVALID = "correct_invalid"
    CORRECT_EMPTY_ANSWER = "correct_empty_answer"
    CORRECT_COUNT = "correct_count"
    DIFFICULTY_INVALID = "difficulty_invalid"
    ACTIVE_INVALID = "active_invalid"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    DUPLICATE_IN_BANK = "duplicate_in_bank"
    INVALID = "invalid"


MESSAGES = {
    **SpreadsheetImportProblem.messages,
    Problem.FILE_EMPTY: _("The file has no questions: it is empty or has only the header row."),
    Problem.TOO_MANY_ROWS: _(
        "The file has more than %(limit)s questions: split it into several files."
    ),
    Problem.COLUMN_MISSPELT: _(
        "The column “%(found)s” looks like “%(column)s”: write the column name exactly as in the "
        "template, with its diacritics."
    ),
    Problem.CATEGORY_UNKNOWN: _("No question category has the code “%(code)s”."),
    Problem.KIND_INVALID: _(
        "Unknown question type “%(value)s”: use “một đáp án”, “nhiều đáp án” or “đúng sai”."
    ),
    Problem.ANSWER_GAP: _(
        "Answer %(letter)s is empty but answer %(later)s is filled: "
        "fill the answers in order, without gaps."
    ),
    Problem.TRUE_FALSE_ANSWERS: _("A true/false question has exactly two answers, A and B."),
    Problem.ANSWER_DUPLICATE: _("Same answer as answer %(other)s."),
    Problem.CORRECT_INVALID: _(
        "“%(value)s” is not an answer letter: write letters from A to F separated by commas, "
        "e.g. “A” or “A, C”."
    ),
    Problem.CORRECT_EMPTY_ANSWER: _("Answer %(letter)s is marked correct but it is empty."),
    Problem.CORRECT_COUNT: _(
        "This type of question has exactly one correct answer, but %(count)s are given."
    ),
    Problem.DIFFICULTY_INVALID: _(
        "Unknown difficulty “%(value)s”: use 1, 2, 3 or “dễ”, “trung bình”, “khó”."
    ),
    Problem.ACTIVE_INVALID: _("Unknown value “%(value)s”: use “có” or “không”."),
    Problem.DUPLICATE_IN_FILE: _("Same question as row %(other)s."),
    Problem.DUPLICATE_IN_BANK: _(
        "This question already exists in the question category “%(category)s”."
    ),
}


class ImportProblem(SpreadsheetImportProblem):
    """One problem with a question file; INVALID carries the model's own message."""

    messages = MESSAGES

    @property
    def message(self) -> str:
        if self.code == Problem.INVALID:
            return self.params["error"]
        return super().message


@dataclass
class ParsedQuestion:
    """One valid-looking row, ready to be written once its category is known."""

    row: int
    category_code: str
    question: Question
    choices: list[Choice]


@dataclass
class ImportResult:
    """What an import found and did: `problems` (sorted by row), the number of questions read,
    and how many questions and choices were created (both 0 unless there is no problem)."""

    problems: list[ImportProblem]
    question_count: int = 0
    created: int = 0
    choices_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _FileRefused(Exception):
    def __init__(self, problem: ImportProblem):
        self.problem = problem
        super().__init__(problem.code)


def _file_problem(code: str, row: int | None = None, column: str = "", **params) -> _FileRefused:
    return _FileRefused(ImportProblem(row=row, column=column, code=code, params=params))


# --- reading the file ---------------------------------------------------------------------------


# --- checking rows ------------------------------------------------------------------------------


def _question_key(text: str) -> str:
    """Two questions are the same when they differ only in case and spacing."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _value_key(text: str) -> str:
    return " ".join(text.split()).casefold()


_FOLDED_COLUMNS = {spreadsheet_header_key(name): name for name in COLUMNS}


def _read_header(number: int, cells: list[str]) -> tuple[dict[str, int], list[ImportProblem]]:
    positions: dict[str, int] = {}
    problems: list[ImportProblem] = []
    misspelt: set[str] = set()
    for index, name in enumerate(cells):
        if not name:
            continue
        if name in _FOLDED_COLUMNS.values():
            if name in positions:
                problems.append(
                    ImportProblem(number, name, Problem.COLUMN_DUPLICATE, {"column": name})
                )
            else:
                positions[name] = index
            continue
        known = _FOLDED_COLUMNS.get(spreadsheet_header_key(name))
        if known:
            misspelt.add(known)
            problems.append(
                ImportProblem(
                    number, name, Problem.COLUMN_MISSPELT, {"found": name, "column": known}
                )
            )
        # Any other column (e.g. "STT", notes) is ignored.
    missing = [c for c in REQUIRED_COLUMNS if c not in positions and c not in misspelt]
    if missing:
        names = ", ".join(missing)
        problems.append(ImportProblem(number, names, Problem.COLUMNS_MISSING, {"columns": names}))
    return positions, problems


def _parse_row(
    number: int, cells: dict[str, str], problems: list[ImportProblem]
) -> ParsedQuestion | None:
    """Checks one row on its own (no database); appends its problems; None when it has any."""
    found: list[ImportProblem] = []

    def problem(column: str, code: str, **params) -> None:
        found.append(ImportProblem(number, column, code, params))

    category_code = cells.get(COLUMN_CATEGORY, "")
    if not category_code:
        problem(COLUMN_CATEGORY, Problem.REQUIRED)

    kind = None
    kind_value = cells.get(COLUMN_KIND, "")
    if not kind_value:
        problem(COLUMN_KIND, Problem.REQUIRED)
    else:
        kind = KIND_VALUES.get(_value_key(kind_value))
        if kind is None:
            problem(COLUMN_KIND, Problem.KIND_INVALID, value=kind_value)

    text = cells.get(COLUMN_TEXT, "")
    if not text:
        problem(COLUMN_TEXT, Problem.REQUIRED)
    elif len(text) > MAX_QUESTION_LENGTH:
        problem(COLUMN_TEXT, Problem.TOO_LONG, length=len(text), limit=MAX_QUESTION_LENGTH)

    answers = [cells.get(column, "") for column in ANSWER_COLUMNS]
    for index in (0, 1):
        if not answers[index]:
            problem(ANSWER_COLUMNS[index], Problem.REQUIRED)
    last_filled = max((i for i, answer in enumerate(answers) if answer), default=-1)
    for index in range(2, last_filled):
        if not answers[index]:
            problem(
                ANSWER_COLUMNS[index],
                Problem.ANSWER_GAP,
                letter=ANSWER_LETTERS[index],
                later=ANSWER_LETTERS[last_filled],
            )
            break
    seen_answers: dict[str, int] = {}
    for index, answer in enumerate(answers):
        if not answer:
            continue
        if len(answer) > MAX_ANSWER_LENGTH:
            problem(
                ANSWER_COLUMNS[index],
                Problem.TOO_LONG,
                length=len(answer),
                limit=MAX_ANSWER_LENGTH,
            )
        key = _value_key(answer)
        if key in seen_answers:
            problem(
                ANSWER_COLUMNS[index],
                Problem.ANSWER_DUPLICATE,
                other=ANSWER_LETTERS[seen_answers[key]],
            )
        else:
            seen_answers[key] = index
    if kind == Question.Kind.TRUE_FALSE and last_filled > 1:
        problem(ANSWER_COLUMNS[2], Problem.TRUE_FALSE_ANSWERS)

    correct: list[int] = []
    correct_value = cells.get(COLUMN_CORRECT, "")
    tokens = [t for t in LETTER_SEPARATORS.split(correct_value) if t]
    if not tokens:
        problem(COLUMN_CORRECT, Problem.REQUIRED)
    for token in tokens:
        letter = token.upper()
        if len(letter) != 1 or letter not in ANSWER_LETTERS:
            problem(COLUMN_CORRECT, Problem.CORRECT_INVALID, value=token)
            continue
        index = ANSWER_LETTERS.index(letter)
        if not answers[index]:
            problem(COLUMN_CORRECT, Problem.CORRECT_EMPTY_ANSWER, letter=letter)
        elif index not in correct:
            correct.append(index)
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and len(correct) > 1:
        problem(COLUMN_CORRECT, Problem.CORRECT_COUNT, count=len(correct))

    difficulty = Question.Difficulty.MEDIUM
    difficulty_value = cells.get(COLUMN_DIFFICULTY, "")
    if difficulty_value:
        key = _value_key(difficulty_value)
        if re.fullmatch(r"\d+\.0+", key):  # "2.0" typed or exported as text
            key = key.split(".")[0]
        difficulty = DIFFICULTY_VALUES.get(key)
        if difficulty is None:
            problem(COLUMN_DIFFICULTY, Problem.DIFFICULTY_INVALID, value=difficulty_value)

    is_active = True
    active_value = cells.get(COLUMN_ACTIVE, "")
    if active_value:
        is_active = ACTIVE_VALUES.get(_value_key(active_value))
        if is_active is None:
            problem(COLUMN_ACTIVE, Problem.ACTIVE_INVALID, value=active_value)

    if found:
        problems.extend(found)
        return None

    question = Question(
        kind=kind,
        text=text,
        explanation=cells.get(COLUMN_EXPLANATION, ""),
        difficulty=difficulty,
        is_active=is_active,
    )
    choices = [
        Choice(text=answer, is_correct=index in correct, sort_order=index)
        for index, answer in enumerate(answers)
        if answer
    ]
    # The model's own rules too (lengths, choices), without the database-backed ones.
    field_columns = {
        "kind": COLUMN_KIND,
        "text": COLUMN_TEXT,
        "explanation": COLUMN_EXPLANATION,
        "difficulty": COLUMN_DIFFICULTY,
        "is_active": COLUMN_ACTIVE,
    }
    checks = [(question, ["category"], field_columns)]
    checks += [(c, ["question"], {"text": ANSWER_COLUMNS[c.sort_order]}) for c in choices]
    for instance, exclude, columns in checks:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    problem(columns.get(name, ""), Problem.INVALID, error=message)
    if found:
        problems.extend(found)
        return None
    return ParsedQuestion(
        row=number, category_code=category_code, question=question, choices=choices
    )


@dataclass
class _ParsedFile:
    problems: list[ImportProblem]
    questions: list[ParsedQuestion]
    # (row, category code, question key) of every row that had a question text.
    texts: list[tuple[int, str, str]]
    row_count: int


def _parse_file(*, file_name: str, content: bytes) -> _ParsedFile:
    """Reads and checks every row on its own and against the other rows; no database access."""
    problems: list[ImportProblem] = []
    questions: list[ParsedQuestion] = []
    texts: list[tuple[int, str, str]] = []
    first_row_of: dict[str, int] = {}
    positions: dict[str, int] | None = None
    row_count = 0
    try:
        # The header is found among the first 64 columns; the rows are read as wide as it.
        rows = spreadsheet_rows(
            content=content,
            filename=file_name,
            max_size=MAX_FILE_SIZE,
            max_columns=64,
            narrow_to_first_row=True,
        )
        for number, cells in rows:
            if not any(cells):
                continue
            if positions is None:
                positions, header_problems = _read_header(number, cells)
                if header_problems:
                    # Without the right columns every row would be wrong: report the header only.
                    return _ParsedFile(header_problems, [], [], 0)
                continue
            row = {
                name: (cells[index] if index < len(cells) else "")
                for name, index in positions.items()
            }
            # A row filled only in other columns (a pre-numbered "STT") is blank too.
            if not any(row.values()):
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                raise _file_problem(Problem.TOO_MANY_ROWS, limit=MAX_ROWS)
            parsed = _parse_row(number, row, problems)
            if parsed is not None:
                questions.append(parsed)
            text = row.get(COLUMN_TEXT, "")
            if text:
                key = _question_key(text)
                texts.append((number, row.get(COLUMN_CATEGORY, ""), key))
                if key in first_row_of:
                    problems.append(
                        ImportProblem(
                            number,
                            COLUMN_TEXT,
                            Problem.DUPLICATE_IN_FILE,
                            {"other": first_row_of[key]},
                        )
                    )
                else:
                    first_row_of[key] = number
    except _FileRefused as refused:
        return _ParsedFile([refused.problem], [], [], 0)
    except SpreadsheetUnreadable as error:
        return _ParsedFile([ImportProblem(None, "", error.code, error.params)], [], [], 0)
    if row_count == 0:
        return _ParsedFile([ImportProblem(None, "", Problem.FILE_EMPTY)], [], [], 0)
    return _ParsedFile(problems, questions, texts, row_count)


def _check_against_bank(
    parsed: _ParsedFile, *, lock: bool
) -> tuple[dict[str, QuestionCategory], list[ImportProblem]]:
    """Resolves category codes and refuses questions already in their category.

    With `lock`, the categories' rows are locked (FOR NO KEY UPDATE, in pk order) so that two
    imports into one category cannot both pass the duplicate check; question edits are not blocked.
    """
    codes = {code for _, code, _ in parsed.texts if code}
    lookup = codes | {code.lower() for code in codes}
    categories_qs = QuestionCategory.objects.filter(code__in=lookup).order_by("pk")
    if lock:
        categories_qs = categories_qs.select_for_update(no_key=True)
    by_code = {category.code: category for category in categories_qs}
    resolved: dict[str, QuestionCategory] = {}
    for code in codes:
        # Codes are slugs, written in lower case; "DVC" typed in Excel still means "dvc".
        category = by_code.get(code) or by_code.get(code.lower())
        if category is not None:
            resolved[code] = category

    existing: set[tuple[int, str]] = set()
    if resolved:
        category_ids = {category.pk for category in resolved.values()}
        existing = {
            (category_id, _question_key(text))
            for category_id, text in Question.objects.filter(
                category_id__in=category_ids
            ).values_list("category_id", "text")
        }

    problems: list[ImportProblem] = []
    for number, code, key in parsed.texts:
        if not code:
            continue
        category = resolved.get(code)
        if category is None:
            problems.append(
                ImportProblem(number, COLUMN_CATEGORY, Problem.CATEGORY_UNKNOWN, {"code": code})
            )
        elif (category.pk, key) in existing:
            problems.append(
                ImportProblem(
                    number,
                    COLUMN_TEXT,
                    Problem.DUPLICATE_IN_BANK,
                    {"category": category.name},
                )
            )
    return resolved, problems


def _sorted(problems: Iterable[ImportProblem]) -> list[ImportProblem]:
    order = {name: index for index, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


def _report(parsed: _ParsedFile, bank_problems: list[ImportProblem]) -> ImportResult:
    return ImportResult(
        problems=_sorted([*parsed.problems, *bank_problems]),
        question_count=parsed.row_count,
    )


def question_bank_parse(*, file_name: str, content: bytes) -> ImportResult:
    """Checks an uploaded question file without writing anything.

    Every row is checked, on its own, against the other rows (duplicate questions) and against
    the database (category codes, questions already in their category). A file that cannot be
    read at all (type, size, encoding, damage, missing columns) gives one problem about the file.
    Never raises for bad input: every problem is in the returned report.
    """
    parsed = _parse_file(file_name=file_name, content=content)
    if not parsed.texts:
        return _report(parsed, [])
    _, bank_problems = _check_against_bank(parsed, lock=False)
    return _report(parsed, bank_problems)


def question_bank_import(*, file_name: str, content: bytes) -> ImportResult:
    """Checks an uploaded question file and, only if it has no problem at all, creates every
    question with its choices.

    All or nothing: the questions and choices are created in one transaction with two bulk
    inserts, after the same checks as `question_bank_parse`; a report with problems means that
    nothing was written. Imports into the same category are serialised by a row lock on the
    category (PostgreSQL). The search index is updated after the commit; an indexing failure is
    logged, not raised (`manage.py update_index` repairs it).
    """
    parsed = _parse_file(file_name=file_name, content=content)
    if not parsed.texts:
        return _report(parsed, [])
    with transaction.atomic():
        # A report that will list problems anyway needs no lock.
        categories, bank_problems = _check_against_bank(parsed, lock=not parsed.problems)
        if parsed.problems or bank_problems:
            return _report(parsed, bank_problems)
        questions = []
        for item in parsed.questions:
            item.question.category = categories[item.category_code]
            questions.append(item.question)
        Question.objects.bulk_create(questions, batch_size=500)
        choices = []
        for item in parsed.questions:
            for choice in item.choices:
                choice.question = item.question
                choices.append(choice)
        Choice.objects.bulk_create(choices, batch_size=1000)
        transaction.on_commit(lambda: _search_index_add(questions))
    return ImportResult(
        problems=[],
        question_count=parsed.row_count,
        created=len(questions),
        choices_created=len(choices),
    )


def _search_index_add(questions: list[Question]) -> None:
    """bulk_create sends no post_save, so the search backends are told here, in one call each."""
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(Question, questions)
        except Exception:
            # The questions are committed; the index can be rebuilt with update_index.
            logger.exception("Could not index %s imported questions in %r", len(questions), name)


# --- the template -------------------------------------------------------------------------------


def _template_rows(category_code: str) -> list[list[str]]:
    """The header and two example rows, in the template's column order."""
    examples = [
        {
            COLUMN_CATEGORY: category_code,
            COLUMN_KIND: "một đáp án",
            COLUMN_TEXT: "Cổng Dịch vụ công quốc gia có địa chỉ nào?",
            ANSWER_COLUMNS[0]: "dichvucong.gov.vn",
            ANSWER_COLUMNS[1]: "vneid.gov.vn",
            ANSWER_COLUMNS[2]: "chinhphu.vn",
            COLUMN_CORRECT: "A",
            COLUMN_EXPLANATION: "Địa chỉ Cổng Dịch vụ công quốc gia là https://dichvucong.gov.vn.",
            COLUMN_DIFFICULTY: "dễ",
            COLUMN_ACTIVE: "có",
        },
        {
            COLUMN_CATEGORY: category_code,
            COLUMN_KIND: "nhiều đáp án",
            COLUMN_TEXT: "Những giấy tờ nào có thể tích hợp vào ứng dụng VNeID?",
            ANSWER_COLUMNS[0]: "Giấy phép lái xe",
            ANSWER_COLUMNS[1]: "Thẻ bảo hiểm y tế",
            ANSWER_COLUMNS[2]: "Thẻ tín dụng ngân hàng",
            COLUMN_CORRECT: "A, B",
            COLUMN_EXPLANATION: "",
            COLUMN_DIFFICULTY: "trung bình",
            COLUMN_ACTIVE: "có",
        },
    ]
    return [list(COLUMNS)] + [[example.get(name, "") for name in COLUMNS] for example in examples]


def _template_category_code(category_code: str | None) -> str:
    if category_code:
        return category_code
    first = QuestionCategory.objects.order_by("code").values_list("code", flat=True).first()
    return first or "cds"


def question_bank_template_xlsx(*, category_code: str | None = None) -> bytes:
    """The import template as .xlsx: the header row and two example rows on the first sheet, with
    drop-down lists for the fixed values. The examples use `category_code`, else the first
    existing category's code, so that the downloaded file imports as it is."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    for values in _template_rows(_template_category_code(category_code)):
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 50 if name == COLUMN_TEXT else 18
    drop_downs = {
        COLUMN_KIND: ("một đáp án", "nhiều đáp án", "đúng sai"),
        COLUMN_DIFFICULTY: ("dễ", "trung bình", "khó"),
        COLUMN_ACTIVE: ("có", "không"),
    }
    for name, values in drop_downs.items():
        letter = get_column_letter(COLUMNS.index(name) + 1)
        validation = DataValidation(
            type="list", formula1='"{}"'.format(",".join(values)), allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def question_bank_template_csv(*, category_code: str | None = None) -> bytes:
    """The import template as CSV: UTF-8 with a BOM (so that Excel shows the diacritics), commas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(_template_rows(_template_category_code(category_code)))
    return buffer.getvalue().encode("utf-8-sig")
