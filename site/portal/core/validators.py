from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Vietnamese mobile (10 digits) and landline (11 digits) numbers, with 0 or +84 in front.
phone_validator = RegexValidator(
    regex=r"^(?:\+84|0)\d{9,10}$",
    message=_("Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678."),
)
