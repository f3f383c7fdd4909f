from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Vietnamese mobile (10 digits) and landline (11 digits) numbers, with 0 or +84 in front.
phone_validator = RegexValidator(
    regex=r"^(?:\+84|0)\d{9,10}$",
    message=_("Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678."),
)


def normalize_phone(value: str) -> str:
    """ "+84912345678" -> "0912345678": one spelling per number, for uniqueness checks."""
    value = value.strip().replace(" ", "")
    return "0" + value[3:] if value.startswith("+84") else value


# Province codes of the birth registration place in a citizen ID (Circular 07/2016/TT-BCA, the 63
# provinces before the 2025 reform; IDs already issued keep them).
CITIZEN_ID_PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
    "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
    "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
    "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
    "094", "095", "096",
})  # fmt: skip
# Fourth digit: gender and century of birth (even: male, odd: female).
CITIZEN_ID_CENTURY = {"0": 1900, "1": 1900, "2": 2000, "3": 2000, "4": 2100, "5": 2100,
                      "6": 2200, "7": 2200, "8": 2300, "9": 2300}  # fmt: skip


def citizen_id_problem(value: str, *, birth_date=None) -> str | None:
    """Why `value` is not a valid 12-digit citizen ID (CCCD), or None when it is.

    Checks the length, the province code, and (with a date of birth) the century and year digits.
    """
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        return _("A citizen ID has exactly 12 digits.")
    if value[:3] not in CITIZEN_ID_PROVINCE_CODES:
        return _("The first three digits of a citizen ID are a province code; %(code)s is not.") % {
            "code": value[:3]
        }
    if birth_date is not None:
        year = CITIZEN_ID_CENTURY[value[3]] + int(value[4:6])
        if year != birth_date.year:
            return _("This citizen ID is for someone born in %(year)s, not %(given)s.") % {
                "year": year,
                "given": birth_date.year,
            }
    return None
