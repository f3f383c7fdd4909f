"""Tax codes (MST checksum), VietQR bank accounts, VND prices, Vietnamese slugs."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from marketplace.services.slugs import unique_slug, vietnamese_slugify
from marketplace.validators import (
    bank_account_name_normalize,
    bank_account_name_problem,
    bank_account_number_problem,
    fold_vietnamese,
    price_parse,
    tax_code_check_digit,
    tax_code_problem,
    vietqr_bank,
    vietqr_banks,
)

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import VALID_TAX_CODES


@pytest.mark.parametrize("code", VALID_TAX_CODES)
def test_real_tax_codes_pass_the_checksum(code):
    assert tax_code_problem(code) is None


@pytest.mark.parametrize("code", [f"{c}-001" for c in VALID_TAX_CODES] + ["0300588569-999"])
def test_branch_tax_codes_pass(code):
    assert tax_code_problem(code) is None


@pytest.mark.parametrize(
    "code",
    [
        "0300588568",  # Vinamilk's code with the last digit changed
        "0100109107",
        "0101248140",
        "0000000000",  # the sum gives 10: never issued
        "1234567890",
    ],
)
def test_wrong_check_digit_is_refused(code):
    with translation.override("vi"):
        assert "chữ số kiểm tra" in tax_code_problem(code)


@pytest.mark.parametrize(
    "code",
    [
        "030058856",
        "03005885690",
        "0300588569-01",
        "0300588569-0001",
        "03005A8569",
        "0300588569/001",
    ],
)
def test_malformed_tax_codes_are_refused(code):
    assert tax_code_problem(code) is not None


def test_branch_000_is_refused():
    assert tax_code_problem("0300588569-000") is not None


def test_check_digit_weights():
    # 0*31+3*29+0*23+0*19+5*17+8*13+8*7+5*5+6*3 = 375; 375 % 11 = 1; 10 - 1 = 9
    assert tax_code_check_digit("030058856") == 9
    assert tax_code_check_digit("000000000") is None


def test_vietqr_bank_list_has_only_transfer_banks():
    banks = vietqr_banks()
    bins = [bank.bin for bank in banks]
    assert len(bins) == len(set(bins))
    assert vietqr_bank("970436").short_name == "Vietcombank"
    assert vietqr_bank("970405") is not None  # Agribank
    names = {bank.short_name for bank in banks}
    assert "DongA Bank" not in names  # deprecated (its BIN now belongs to Vikki Bank)
    assert "LienVietPostBank" not in names  # deprecated, renamed LPBank
    assert vietqr_bank("970444") is None  # CB Bank: receive only
    assert vietqr_bank("") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hợp tác xã Bưởi Da Xanh", "HOP TAC XA BUOI DA XANH"),
        ("  Đặng   Thị Đào ", "DANG THI DAO"),
        ("nguyễn văn ứng", "NGUYEN VAN UNG"),
    ],
)
def test_account_name_is_folded_to_capitals(raw, expected):
    normalized = bank_account_name_normalize(raw)
    assert normalized == expected
    assert bank_account_name_problem(normalized) is None


def test_account_name_rules():
    assert bank_account_name_problem("HTX 123") is not None
    assert bank_account_name_problem("A" * 51) is not None
    assert bank_account_name_problem("A" * 50) is None


@pytest.mark.parametrize("number", ["123456", "1234567890123456789", "0011001234567"])
def test_account_numbers_accepted(number):
    assert bank_account_number_problem(number) is None


@pytest.mark.parametrize("number", ["12345", "12345678901234567890", "12AB5678", ""])
def test_account_numbers_refused(number):
    assert bank_account_number_problem(number) is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("150.000", 150_000),
        ("150000", 150_000),
        ("150 000", 150_000),
        ("150.000 ₫", 150_000),
        ("150000đ", 150_000),
        ("1.000", 1_000),
        ("500.000.000", 500_000_000),
    ],
)
def test_prices_accepted(raw, expected):
    assert price_parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-5", "negative"),
        ("-150.000", "negative"),
        ("0", "min"),
        ("999", "min"),
        ("500.000.001", "max"),
        ("999999999999999", "max"),
        ("150.5", "decimal"),
        ("150,5", "decimal"),
        ("150,000", "decimal"),
        ("150.00", "decimal"),
        ("một trăm nghìn", "invalid"),
        ("abc", "invalid"),
        ("1e6", "invalid"),
        ("", "required"),
    ],
)
def test_prices_refused(raw, code):
    with pytest.raises(ValidationError) as error:
        price_parse(raw)
    assert error.value.code == code


def test_fold_vietnamese_handles_d_with_stroke():
    assert fold_vietnamese("Đường Đá Đỏ đậm đà") == "Duong Da Do dam da"


def test_slug_folds_vietnamese():
    assert vietnamese_slugify("Kẹo dừa Bến Tre – đặc sản") == "keo-dua-ben-tre-dac-san"


@pytest.mark.django_db
def test_slugs_are_unique(producer):
    from tests.factories.marketplace import ProductFactory

    ProductFactory(producer=producer, slug="mat-ong-hoa-nhan")
    assert unique_slug(model=type(producer.products.first()), text="Mật ong hoa nhãn") == (
        "mat-ong-hoa-nhan-2"
    )
