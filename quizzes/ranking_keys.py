"""The keys a contest ranks by, and in which direction each one sorts."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# key -> (Standing field, descending?)
RANKING_KEYS = {
    "score": ("score", True),
    "prediction": ("prediction_error", False),
    "duration": ("duration_ms", False),
    "submitted": ("submitted_at", False),
}
DEFAULT_RANKING_KEYS = "score,prediction,duration,submitted"


def ranking_keys_validator(value: str) -> None:
    keys = [key.strip() for key in value.split(",") if key.strip()]
    unknown = [key for key in keys if key not in RANKING_KEYS]
    if unknown:
        raise ValidationError(
            _("Unknown ranking key: %(keys)s. Use score, prediction, duration, submitted."),
            params={"keys": ", ".join(unknown)},
        )
    if not keys or len(set(keys)) != len(keys):
        raise ValidationError(_("List each ranking key at most once, and at least one."))
