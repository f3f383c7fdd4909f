"""Contest registration: one person, one registration per contest; citizen IDs kept safely."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.personal_data import personal_data_encrypt, personal_data_hash

from ..models import ContestPage, Registration


@dataclass(frozen=True)
class RegistrationData:
    full_name: str
    email: str
    birth_date: date | None = None
    phone: str = ""
    citizen_id: str = ""
    province: object = None
    commune: object = None
    unit: object = None


def contest_unit_allowed(*, contest: ContestPage, unit) -> bool:
    """Whether someone of `unit` (None: a citizen) may take part in the contest."""
    if contest.access == ContestPage.Access.PUBLIC:
        return True
    if unit is None:
        return False
    return any(unit.path.startswith(allowed.path) for allowed in contest.allowed_units.all())


def _duplicates(contest: ContestPage, *, user, email, phone, citizen_id_hash) -> dict:
    errors = {}
    existing = Registration.objects.filter(contest=contest)
    if user is not None and existing.filter(user=user).exists():
        errors["__all__"] = _("You have already registered for this contest.")
    if existing.filter(email__iexact=email).exists():
        errors["email"] = _("This email address is already registered for this contest.")
    if phone and existing.filter(phone=phone).exists():
        errors["phone"] = _("This phone number is already registered for this contest.")
    if citizen_id_hash and existing.filter(citizen_id_hash=citizen_id_hash).exists():
        errors["citizen_id"] = _("This citizen ID is already registered for this contest.")
    return errors


def registration_create(
    *,
    contest: ContestPage,
    data: RegistrationData,
    user=None,
    new_password: str | None = None,
) -> Registration:
    """Registers a contestant, creating their account first when `user` is None.

    Raises ValidationError (per field, in Vietnamese) when the contest is closed to the unit,
    the email already has an account, or the email, phone or citizen ID is registered already;
    nothing is stored then. The consent text shown is kept with the time it was given.
    """
    if contest.access == ContestPage.Access.UNITS and (user is None or data.unit != user.unit):
        raise ValidationError(
            {"unit": _("This contest is open only to staff of the organising units.")}
        )
    if not contest_unit_allowed(contest=contest, unit=data.unit):
        raise ValidationError(
            {"unit": _("This contest is open only to staff of the organising units.")}
        )
    email = data.email.strip().lower()
    citizen_id_hash = personal_data_hash(data.citizen_id) if data.citizen_id else ""
    errors = _duplicates(
        contest, user=user, email=email, phone=data.phone, citizen_id_hash=citizen_id_hash
    )
    user_model = get_user_model()
    if user is None and user_model.objects.filter(email__iexact=email).exists():
        errors["email"] = _(
            "An account with this email address exists: sign in first, then register."
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            if user is None:
                user = user_model.objects.create_user(
                    email=email, password=new_password, full_name=data.full_name, phone=data.phone
                )
            registration = Registration(
                contest=contest,
                user=user,
                full_name=data.full_name.strip(),
                birth_date=data.birth_date,
                phone=data.phone,
                email=email,
                citizen_id_hash=citizen_id_hash,
                citizen_id_encrypted=(
                    personal_data_encrypt(data.citizen_id) if data.citizen_id else ""
                ),
                citizen_id_last4=data.citizen_id[-4:],
                province=data.province,
                commune=data.commune,
                unit=data.unit,
                audience=(
                    Registration.Audience.STAFF if data.unit else Registration.Audience.CITIZEN
                ),
                consent_text=contest.consent_text,
                consented_at=timezone.now(),
            )
            registration.full_clean(exclude=["contest", "user"])
            registration.save()
    except IntegrityError as exc:  # a concurrent registration with the same details won
        raise ValidationError(
            {"__all__": _("These details were registered a moment ago; reload the page and check.")}
        ) from exc
    return registration
