"""Importing staff from an Excel (.xlsx) or CSV file by a unit manager: every row is checked, then
all or nothing is written.

Rules:
- A unit manager acts only inside the subtrees of the units they manage (a superuser anywhere):
  every unit code must be in them, and an existing account (found by email) may only be updated
  when it already belongs to one of them. An account outside is refused, never moved.
- Positions must already exist (matched by name or code); the import never creates one.
- An empty phone or position cell leaves the account's value as it is.
- Re-importing the same file writes nothing: a row whose values equal the account's is unchanged.
- New accounts get an unusable password and an invitation email with a link to set one, sent once
  the import has committed.

Columns may be named in Vietnamese (the template) or in English, in any order.
"""

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from portal.core.spreadsheets import (
    SpreadsheetImportProblem,
    SpreadsheetProblem,
    SpreadsheetUnreadable,
    spreadsheet_header_key,
    spreadsheet_rows,
)
from portal.core.validators import normalize_phone, phone_validator

from .models import OrganisationUnit, Position, UnitManager

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 10_000
TEMPLATE_FILE_STEM = "mau-nhap-can-bo"
EMAIL_BATCH = 2000
INVITATION_BATCH = 500

FULL_NAME = "full_name"
EMAIL = "email"
PHONE = "phone"
UNIT_CODE = "unit_code"
POSITION = "position"

# The template's header (Vietnamese) for each column, in the template's order.
COLUMN_TITLES = {
    FULL_NAME: "Họ và tên",
    EMAIL: "Email",
    PHONE: "Số điện thoại",
    UNIT_CODE: "Mã đơn vị",
    POSITION: "Chức vụ",
}
REQUIRED_COLUMNS = (FULL_NAME, EMAIL, UNIT_CODE)


class Problem(SpreadsheetProblem):
    """Codes of the problems an import reports; tests and callers match on these."""

    EMAIL_INVALID = "email_invalid"
    EMAIL_DUPLICATE = "email_duplicate"
    PHONE_INVALID = "phone_invalid"
    UNIT_UNKNOWN = "unit_unknown"
    UNIT_OUTSIDE = "unit_outside"
    POSITION_UNKNOWN = "position_unknown"
    ACCOUNT_OUTSIDE = "account_outside"


MESSAGES = {
    **SpreadsheetImportProblem.messages,
    Problem.FILE_EMPTY: _("The file has no staff: it is empty or has only the header row."),
    Problem.TOO_MANY_ROWS: _(
        "The file has more than %(limit)s staff rows: split it into several files."
    ),
    Problem.EMAIL_INVALID: _("“%(value)s” is not a valid email address."),
    Problem.EMAIL_DUPLICATE: _("The email %(value)s is already on row %(other)s."),
    Problem.PHONE_INVALID: _(
        "“%(value)s” is not a Vietnamese phone number, e.g. 0912345678 or +84912345678."
    ),
    Problem.UNIT_UNKNOWN: _("No organisation unit has the code “%(value)s”."),
    Problem.UNIT_OUTSIDE: _(
        "The unit “%(value)s” is not one of the units you manage or their sub-units."
    ),
    Problem.POSITION_UNKNOWN: _(
        "No position has the name or code “%(value)s”. Ask an administrator to add it first."
    ),
    Problem.ACCOUNT_OUTSIDE: _(
        "The email %(value)s belongs to an account outside the units you manage: "
        "it cannot be changed by this import."
    ),
}


class ImportProblem(SpreadsheetImportProblem):
    """One problem with a staff file; the column is its title in the template."""

    messages = MESSAGES


@dataclass(frozen=True)
class StaffRow:
    """A valid row: what the account should hold. `phone`/`position_id` None = leave as is."""

    row: int
    email: str
    full_name: str
    phone: str | None
    unit_id: int
    position_id: int | None


@dataclass
class StaffImportReport:
    """What parsing found: the problems (sorted by row) or the valid rows, never both used."""

    problems: list[ImportProblem]
    rows: list[StaffRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class StaffImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_ids: list[int] = field(default_factory=list)


class _FileRefused(Exception):
    def __init__(self, code: str, **params):
        self.problem = ImportProblem(row=None, column="", code=code, params=params)
        super().__init__(code)


# --- who may import where -------------------------------------------------------------------


def staff_import_allowed(*, user) -> bool:
    """Superusers, and users who manage at least one unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or UnitManager.objects.filter(user=user).exists()


def _managed_paths(manager) -> list[str] | None:
    """Paths of the units the manager manages; None for a superuser (everywhere).

    Raises PermissionDenied for anyone else.
    """
    if manager.is_superuser:
        return None
    paths = list(UnitManager.objects.filter(user=manager).values_list("unit__path", flat=True))
    if not paths:
        raise PermissionDenied
    return paths


def _inside(path: str | None, paths: list[str] | None) -> bool:
    if paths is None:
        return True
    return path is not None and any(path.startswith(managed) for managed in paths)


# --- reading the file -----------------------------------------------------------------------


def _read_content(file) -> bytes:
    if isinstance(file, bytes):
        return file
    # One byte past the limit is enough to refuse an oversized file without reading it all.
    return file.read(MAX_FILE_SIZE + 1)


def _fold(text: str) -> str:
    """Lower case without diacritics or separators: "Mã đơn vị" == "ma don vi" == "ma_don_vi"."""
    return spreadsheet_header_key(text.replace("_", " ").replace("-", " "))


HEADER_ALIASES = {
    FULL_NAME: ("họ và tên", "họ tên", "full name", "name"),
    EMAIL: ("email", "e-mail", "thư điện tử"),
    PHONE: ("số điện thoại", "điện thoại", "phone", "phone number"),
    UNIT_CODE: ("mã đơn vị", "unit code", "unit"),
    POSITION: ("chức vụ", "position"),
}
_HEADERS = {_fold(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}


def _read_header(number: int, cells: list[str]) -> tuple[dict[str, int], list[ImportProblem]]:
    positions: dict[str, int] = {}
    problems = []
    for index, name in enumerate(cells):
        key = _HEADERS.get(_fold(name)) if name else None
        if key is None:
            continue  # other columns (STT, notes) are ignored
        if key in positions:
            problems.append(ImportProblem(number, name, Problem.COLUMN_DUPLICATE, {"column": name}))
        else:
            positions[key] = index
    missing = [COLUMN_TITLES[key] for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        names = ", ".join(missing)
        problems.append(ImportProblem(number, names, Problem.COLUMNS_MISSING, {"columns": names}))
    return positions, problems


def _clean_phone(value: str) -> str | None:
    """The phone in one spelling, or None when it is not a Vietnamese number.

    Excel drops the leading zero of a number typed into a number cell: 912345678 -> 0912345678.
    """
    compact = "".join(value.split()).replace(".", "").replace("-", "")
    if compact.isdigit() and not compact.startswith("0") and len(compact) in (9, 10):
        compact = "0" + compact
    try:
        phone_validator(compact)
    except ValidationError:
        return None
    return normalize_phone(compact)


# --- parsing --------------------------------------------------------------------------------


@dataclass
class _Candidate:
    row: int
    email: str
    full_name: str
    phone: str | None
    unit_code: str
    position: str


def _table(*, content: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    # Only as wide as the template and some.
    rows = spreadsheet_rows(
        content=content, filename=filename, max_size=MAX_FILE_SIZE, max_columns=32
    )
    if not content.strip():
        raise _FileRefused(Problem.FILE_EMPTY)
    return rows


def _read_candidates(
    *, content: bytes, filename: str, problems: list[ImportProblem]
) -> list[_Candidate]:
    """Rows checked on their own (no database): required cells, lengths, email and phone."""
    name_limit = get_user_model()._meta.get_field("full_name").max_length
    email_limit = get_user_model()._meta.get_field("email").max_length
    candidates: list[_Candidate] = []
    seen_emails: dict[str, int] = {}
    columns = None
    count = 0
    for number, cells in _table(content=content, filename=filename):
        if not any(cells):
            continue
        if columns is None:
            columns, header_problems = _read_header(number, cells)
            if header_problems:
                problems.extend(header_problems)
                return []
            continue
        count += 1
        if count > MAX_ROWS:
            raise _FileRefused(Problem.TOO_MANY_ROWS, limit=MAX_ROWS)

        def cell(key: str, cells=cells, columns=columns) -> str:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        def problem(key: str, code: str, number=number, **params) -> None:
            problems.append(ImportProblem(number, COLUMN_TITLES[key], code, params))

        before = len(problems)
        full_name = " ".join(cell(FULL_NAME).split())
        if not full_name:
            problem(FULL_NAME, Problem.REQUIRED)
        elif len(full_name) > name_limit:
            problem(FULL_NAME, Problem.TOO_LONG, length=len(full_name), limit=name_limit)

        email = cell(EMAIL).lower()
        if not email:
            problem(EMAIL, Problem.REQUIRED)
        elif len(email) > email_limit:
            problem(EMAIL, Problem.TOO_LONG, length=len(email), limit=email_limit)
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem(EMAIL, Problem.EMAIL_INVALID, value=email)
            else:
                if email in seen_emails:
                    problem(EMAIL, Problem.EMAIL_DUPLICATE, value=email, other=seen_emails[email])
                else:
                    seen_emails[email] = number

        phone = None
        phone_text = cell(PHONE)
        if phone_text:
            phone = _clean_phone(phone_text)
            if phone is None:
                problem(PHONE, Problem.PHONE_INVALID, value=phone_text)

        unit_code = cell(UNIT_CODE)
        if not unit_code:
            problem(UNIT_CODE, Problem.REQUIRED)

        if len(problems) == before:
            candidates.append(
                _Candidate(number, email, full_name, phone, unit_code, cell(POSITION))
            )
    if columns is None or (count == 0 and not problems):
        raise _FileRefused(Problem.FILE_EMPTY)
    return candidates


def _position_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for position in Position.objects.only("pk", "name", "code"):
        lookup[_fold(position.code)] = position.pk
        lookup[" ".join(position.name.casefold().split())] = position.pk
    return lookup


def staff_import_parse(*, file, filename: str, manager) -> StaffImportReport:
    """Reads and checks a staff file (an uploaded file or bytes) for `manager`. Writes nothing.

    Returns a report whose `problems` list every bad row (row, column, message) or the whole
    file's problem; when there are none, `rows` are ready for `staff_import_apply`.
    Raises PermissionDenied when `manager` is neither a superuser nor a unit manager.
    """
    paths = _managed_paths(manager)
    problems: list[ImportProblem] = []
    try:
        candidates = _read_candidates(
            content=_read_content(file), filename=filename, problems=problems
        )
    except _FileRefused as refused:
        return StaffImportReport(problems=[refused.problem])
    except SpreadsheetUnreadable as error:
        return StaffImportReport(problems=[ImportProblem(None, "", error.code, error.params)])

    units = {
        unit.code: unit
        for unit in OrganisationUnit.objects.filter(
            code__in={c.unit_code for c in candidates}
        ).only("pk", "code", "path")
    }
    positions = _position_lookup()
    User = get_user_model()
    emails = [c.email for c in candidates]
    accounts = {}
    for start in range(0, len(emails), EMAIL_BATCH):
        for user in (
            User.objects.filter(email__in=emails[start : start + EMAIL_BATCH])
            .only("pk", "email", "is_superuser", "unit__path")
            .select_related("unit")
        ):
            accounts[user.email.lower()] = user

    rows: list[StaffRow] = []
    for candidate in candidates:
        before = len(problems)

        def problem(key: str, code: str, number=candidate.row, **params) -> None:
            problems.append(ImportProblem(number, COLUMN_TITLES[key], code, params))

        unit = units.get(candidate.unit_code)
        if unit is None:
            problem(UNIT_CODE, Problem.UNIT_UNKNOWN, value=candidate.unit_code)
        elif not _inside(unit.path, paths):
            problem(UNIT_CODE, Problem.UNIT_OUTSIDE, value=candidate.unit_code)

        position_id = None
        if candidate.position:
            position_id = positions.get(
                " ".join(candidate.position.casefold().split())
            ) or positions.get(_fold(candidate.position))
            if position_id is None:
                problem(POSITION, Problem.POSITION_UNKNOWN, value=candidate.position)

        account = accounts.get(candidate.email)
        if account is not None and paths is not None:
            account_path = account.unit.path if account.unit_id else None
            if account.is_superuser or not _inside(account_path, paths):
                problem(EMAIL, Problem.ACCOUNT_OUTSIDE, value=candidate.email)

        if len(problems) == before:
            rows.append(
                StaffRow(
                    row=candidate.row,
                    email=candidate.email,
                    full_name=candidate.full_name,
                    phone=candidate.phone,
                    unit_id=unit.pk,
                    position_id=position_id,
                )
            )
    problems.sort(key=lambda p: p.row or 0)
    return StaffImportReport(problems=problems, rows=rows if not problems else [])


# --- writing --------------------------------------------------------------------------------


def staff_import_apply(*, rows: list[StaffRow], manager) -> StaffImportSummary:
    """Creates or updates the accounts of `rows` in one transaction; returns the counts.

    Existing accounts are locked (select_for_update) and checked again against the manager's
    units; one outside them aborts the whole import with PermissionDenied (nothing written).
    Only changed fields are saved: re-applying the same rows reports 0 created, 0 updated.
    Invitation emails are enqueued for the new accounts once the transaction commits.
    """
    paths = _managed_paths(manager)
    User = get_user_model()
    summary = StaffImportSummary()
    units = OrganisationUnit.objects.in_bulk({row.unit_id for row in rows})
    with transaction.atomic():
        accounts = {}
        emails = [row.email for row in rows]
        for start in range(0, len(emails), EMAIL_BATCH):
            batch = emails[start : start + EMAIL_BATCH]
            locked = User.objects.select_for_update(of=("self",)).select_related("unit")
            for user in locked.filter(email__in=batch):
                accounts[user.email.lower()] = user
        for row in rows:
            unit = units.get(row.unit_id)
            if unit is None or not _inside(unit.path, paths):
                raise PermissionDenied
            user = accounts.get(row.email)
            if user is None:
                user = User(
                    email=row.email,
                    full_name=row.full_name,
                    phone=row.phone or "",
                    unit=unit,
                    position_id=row.position_id,
                )
                user.set_unusable_password()
                user.full_clean(exclude=["password"])
                user.save()
                summary.created += 1
                summary.created_ids.append(user.pk)
                continue
            if paths is not None:
                current = user.unit.path if user.unit_id else None
                if user.is_superuser or not _inside(current, paths):
                    raise PermissionDenied
            changes = {"full_name": row.full_name, "unit_id": row.unit_id}
            if row.phone is not None:
                changes["phone"] = row.phone
            if row.position_id is not None:
                changes["position_id"] = row.position_id
            changed = [name for name, value in changes.items() if getattr(user, name) != value]
            if not changed:
                summary.unchanged += 1
                continue
            # The values were checked when the file was parsed.
            for name in changed:
                setattr(user, name, changes[name])
            user.save(update_fields=[name.removesuffix("_id") for name in changed])
            summary.updated += 1
        for start in range(0, len(summary.created_ids), INVITATION_BATCH):
            batch = summary.created_ids[start : start + INVITATION_BATCH]
            transaction.on_commit(lambda batch=batch: _invitations_enqueue(batch))
    logger.info(
        "Staff import by user %s: %s created, %s updated, %s unchanged",
        manager.pk,
        summary.created,
        summary.updated,
        summary.unchanged,
    )
    return summary


def _invitations_enqueue(user_ids: list[int]) -> None:
    from .tasks import staff_invitations_send_task

    staff_invitations_send_task.delay(user_ids)


def staff_invitation_url(*, user) -> str:
    """The absolute link where a new account sets its password (Django's reset token)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_BASE_URL.rstrip("/") + path


def staff_invitations_send(*, user_ids: list[int]) -> int:
    """Emails an invitation with a set-password link to each account; returns how many sent.

    Accounts that already have a usable password, are inactive or have no email are skipped,
    so sending twice after a retry invites no one who has already signed up.
    """
    from django.utils.translation import gettext

    sent = 0
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    days = max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for user in users.iterator(chunk_size=500):
            if user.has_usable_password():
                continue
            context = {
                "user": user,
                "url": staff_invitation_url(user=user),
                "days": days,
                "site_url": settings.SITE_BASE_URL,
            }
            message = EmailMultiAlternatives(
                subject=gettext("Your account on the digital transformation portal"),
                body=render_to_string("organisations/email/staff_invitation.txt", context),
                to=[user.email],
                connection=connection,
            )
            message.attach_alternative(
                render_to_string("organisations/email/staff_invitation.html", context),
                "text/html",
            )
            try:
                message.send()
            except Exception:
                logger.exception("Staff invitation to user %s failed", user.pk)
                continue
            sent += 1
    return sent


# --- templates ------------------------------------------------------------------------------


def _template_rows(*, manager) -> list[list[str]]:
    unit = None
    if not manager.is_superuser:
        managed = UnitManager.objects.filter(user=manager).select_related("unit").first()
        unit = managed.unit if managed else None
    unit = unit or OrganisationUnit.objects.order_by("path").first()
    position = Position.objects.first()
    header = list(COLUMN_TITLES.values())
    example = [
        "Nguyễn Văn An",
        "nguyenvanan@example.gov.vn",
        "0912345678",
        unit.code if unit else "ma-don-vi",
        position.name if position else "",
    ]
    return [header, example]


def staff_import_template_xlsx(*, manager) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Can bo"
    for row in _template_rows(manager=manager):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Phone numbers as text, or Excel drops their leading zero.
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "@"
    for letter, width in zip("ABCDE", (28, 32, 16, 18, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def staff_import_template_csv(*, manager) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _template_rows(manager=manager):
        writer.writerow(row)
    # With a BOM, Excel opens the file as UTF-8 and keeps the diacritics.
    return buffer.getvalue().encode("utf-8-sig")
