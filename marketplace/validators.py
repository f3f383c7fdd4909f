"""Checks of the marketplace's Vietnamese identifiers: tax codes, VietQR bank accounts, prices.

Each `*_problem` function returns why a value is wrong (a translated message) or None; forms and
services share them, so a rule is written once.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from vietnam_qr_pay import BanksObject
from vietnam_qr_pay.constants.banks import VietQRStatus

from portal.core.money import format_vnd
from portal.core.validators import citizen_id_problem

from .models.producers import Producer
from .models.products import PRICE_MAX_VND, PRICE_MIN_VND

# --- Vietnamese text ---------------------------------------------------------------------------


def fold_vietnamese(text: str) -> str:
    """ "Đặc sản Bưởi" -> "Dac san Buoi". Strips combining marks; đ/Đ, which have no Unicode
    decomposition, are mapped by hand."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- Tax code (mã số thuế) ---------------------------------------------------------------------

TAX_CODE_RE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
# Weights of the first nine digits; the tenth is the check digit (Decision 75/1998/QĐ-TCT, kept
# by Circular 105/2020/TT-BTC for 10-digit codes; branches add "-" and a 3-digit number).
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code's first nine digits, or None when the sum gives 10 (no
    code is issued with such a prefix)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)
    )
    check = 10 - total % 11
    return None if check == 10 else check


def tax_code_normalize(value: str) -> str:
    """Removes spaces and dots people type inside the number."""
    return re.sub(r"[\s.]", "", value or "")


def tax_code_problem(value: str, *, kind: str | None = None) -> str | None:
    """Why `value` is not a valid tax code (MST) for a producer of `kind`, or None.

    Accepts 10 digits ("0300588569") or 10 digits, a hyphen and a 3-digit branch number
    ("0300588569-001"), the tenth digit matching the official checksum; and, for household
    businesses (or when the kind is not known yet), the owner's 12-digit personal identification
    number, checked like a citizen ID.
    """
    if Producer.tax_code_is_personal(value):
        if kind not in (None, Producer.Kind.HOUSEHOLD):
            return _(
                "Only household businesses use a 12-digit personal identification number as "
                "their tax code; cooperatives and enterprises have a 10-digit tax code."
            )
        return citizen_id_problem(value)
    match = TAX_CODE_RE.match(value)
    if match is None:
        return _(
            "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch "
            "(e.g. 0300588569 or 0300588569-001); a household business may use its owner's "
            "12-digit personal identification number."
        )
    main, branch = match.groups()
    if branch == "000":
        return _("A branch number runs from 001 to 999.")
    if tax_code_check_digit(main[:9]) != int(main[9]):
        return _("This tax code is not valid: its check digit does not match.")
    return None


def validate_tax_code(value: str) -> None:
    problem = tax_code_problem(value)
    if problem:
        raise ValidationError(problem, code="tax_code")


# --- VietQR bank account -----------------------------------------------------------------------

ACCOUNT_NUMBER_RE = re.compile(r"^\d{6,19}$")
ACCOUNT_NAME_RE = re.compile(r"^[A-Z]+(?: [A-Z]+)*$")
ACCOUNT_NAME_MAX = 50


@dataclass(frozen=True)
class VietQrBank:
    bin: str
    short_name: str
    name: str


def vietqr_banks() -> list[VietQrBank]:
    """Banks of the VietQR list that can receive transfers by QR (not deprecated), by name."""
    banks = {
        bank.bin: VietQrBank(bin=bank.bin, short_name=bank.short_name, name=bank.name)
        for bank in BanksObject.values()
        if bank.bin
        and bank.viet_qr_status == VietQRStatus.TRANSFER_SUPPORTED
        and not bank.deprecated
    }
    return sorted(banks.values(), key=lambda bank: bank.short_name.lower())


def vietqr_bank(bin_code: str) -> VietQrBank | None:
    return next((bank for bank in vietqr_banks() if bank.bin == bin_code), None)


def bank_account_number_normalize(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "")


def bank_account_number_problem(value: str) -> str | None:
    if not ACCOUNT_NUMBER_RE.match(value):
        return _("An account number has 6 to 19 digits, without letters.")
    return None


def bank_account_name_normalize(value: str) -> str:
    """ "Hợp tác xã  Bưởi Đồng Nai" -> "HOP TAC XA BUOI DONG NAI": banks print the holder's
    name in capitals without diacritics, and VietQR payloads carry only ASCII."""
    return " ".join(fold_vietnamese(value or "").upper().split())


def bank_account_name_problem(value: str) -> str | None:
    if len(value) > ACCOUNT_NAME_MAX:
        return _("An account name has at most 50 characters.")
    if not ACCOUNT_NAME_RE.match(value):
        return _(
            "Write the account name as the bank shows it: letters and spaces only, "
            "e.g. HTX BUOI DA XANH."
        )
    return None


# --- Prices in VND -----------------------------------------------------------------------------

PRICE_GROUPED_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
PRICE_PLAIN_RE = re.compile(r"^\d+$")
PRICE_SUFFIX_RE = re.compile(r"(?:₫|đ|d|vnd|vnđ|dong|đồng)$", re.IGNORECASE)


def price_parse(raw: str) -> int:
    """ "150.000", "150000", "150 000 ₫" -> 150000. Raises ValidationError for decimals,
    negative numbers, text, and amounts outside the marketplace's bounds.

    A comma is refused rather than guessed: in Vietnamese it is the decimal mark, in English the
    thousands separator."""
    text = (raw or "").strip()
    text = PRICE_SUFFIX_RE.sub("", text).strip()
    text = re.sub(r"\s+", "", text)
    if not text:
        raise ValidationError(_("Enter the price."), code="required")
    if text.startswith("-"):
        raise ValidationError(_("A price cannot be negative."), code="negative")
    if PRICE_GROUPED_RE.match(text):
        text = text.replace(".", "")
    elif not PRICE_PLAIN_RE.match(text):
        if re.match(r"^[\d.,]+$", text):
            raise ValidationError(
                _("Enter a whole number of dong without decimals, e.g. 150.000 or 150000."),
                code="decimal",
            )
        raise ValidationError(
            _("Enter the price as a number of dong, e.g. 150.000."), code="invalid"
        )
    amount = int(text)
    if amount < PRICE_MIN_VND:
        raise ValidationError(
            _("A price is at least %(min)s.") % {"min": format_vnd(PRICE_MIN_VND)}, code="min"
        )
    if amount > PRICE_MAX_VND:
        raise ValidationError(
            _("A price is at most %(max)s.") % {"max": format_vnd(PRICE_MAX_VND)}, code="max"
        )
    return amount


# --- Uploaded files ----------------------------------------------------------------------------

# Formats Pillow must recognise in the bytes (the file name and the browser's type are not
# trusted) and the extension the stored file gets.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Beyond this a small file can still unpack into gigabytes of pixels (decompression bombs).
PHOTO_MAX_PIXELS = 50_000_000
PDF_MAGIC = b"%PDF-"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def photo_upload_format(upload) -> str | None:
    """The photo's format read by Pillow ("JPEG", "PNG", "WEBP"), or None when it is not one."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in PHOTO_FORMATS or width * height > PHOTO_MAX_PIXELS:
                return None
            image.verify()
        # verify() leaves the image unusable; decoding the pixels catches truncated files.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return image_format


def photo_upload_problem(upload, *, max_bytes: int) -> str | None:
    """Why an uploaded photo is refused (too large, not a JPEG/PNG/WebP image), or None.

    The size is checked first, from the upload's size, so an oversized file is never decoded."""
    if upload.size > max_bytes:
        return _("“%(name)s” is %(size)s MB; a photo may be at most %(max)s MB.") % {
            "name": upload.name,
            "size": _megabytes(upload.size),
            "max": _megabytes(max_bytes),
        }
    if photo_upload_format(upload) is None:
        return _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": upload.name}
    return None


def certificate_pdf_problem(upload, *, max_bytes: int) -> str | None:
    """Why an uploaded certificate scan is refused (too large, not a PDF by its bytes), or None."""
    if upload.size > max_bytes:
        return _("The certificate file is %(size)s MB; it may be at most %(max)s MB.") % {
            "size": _megabytes(upload.size),
            "max": _megabytes(max_bytes),
        }
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read(2048)
    upload.seek(0)
    if not head.lstrip().startswith(PDF_MAGIC):
        return _("The certificate must be a PDF file (a scan of the decision).")
    if b"%%EOF" not in tail:
        return _("The PDF file is incomplete; scan or save it again.")
    return None
