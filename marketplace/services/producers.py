"""Producers: registration, profile, members, and moderation (verify, reject, suspend).

Statuses: a registration is `pending`; a moderator verifies or rejects it (with a reason) and may
suspend a verified producer (its products leave the catalogue, which lists verified producers
only) or reinstate it by verifying again. A rejected producer that edits its profile goes back to
`pending` for another review. Changing the tax code or the bank account of a verified producer
keeps it verified: the moderator checks the documents, not the account, and blocking sales on
every account change would punish honest producers; instead every member is emailed about the
change, so a hijacked account is noticed by the others.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.validators import normalize_phone, phone_validator
from portal.locations.models import Commune, Province

from ..models import Producer, ProducerMember
from ..validators import (
    bank_account_name_normalize,
    bank_account_name_problem,
    bank_account_number_normalize,
    bank_account_number_problem,
    tax_code_normalize,
    tax_code_problem,
    vietqr_bank,
)
from .photos import producer_photos_add
from .producer_notify import producer_members_email, site_url
from .slugs import unique_slug

MODERATE_PRODUCER = "marketplace.moderate_producer"
REASON_MAX = 500


@dataclass(frozen=True)
class ProducerData:
    name: str
    kind: str
    province: Province
    commune: Commune
    phone: str
    tax_code: str = ""
    street_address: str = ""
    email: str = ""
    description: str = ""
    bank_bin: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""


def producer_data_problems(*, data: ProducerData, producer_id: int | None = None) -> dict:
    """Field -> message for every rule the profile breaks (empty when it is fine)."""
    problems = {}
    try:
        phone_validator(data.phone)
    except ValidationError as error:
        problems["phone"] = error.messages[0]
    if data.kind not in Producer.Kind.values:
        problems["kind"] = _("Choose the type of producer.")
    if data.tax_code:
        if problem := tax_code_problem(data.tax_code, kind=data.kind):
            problems["tax_code"] = problem
        elif Producer.objects.filter(tax_code=data.tax_code).exclude(pk=producer_id or 0).exists():
            problems["tax_code"] = _("A producer with this tax code is already registered.")
    if data.commune.province_id != data.province.pk:
        problems["commune"] = _("This commune is not in the chosen province.")
    bank = (data.bank_bin, data.bank_account_number, data.bank_account_name)
    if any(bank):
        if not data.bank_bin:
            problems["bank_bin"] = _("Choose the bank of the account.")
        elif vietqr_bank(data.bank_bin) is None:
            problems["bank_bin"] = _("This bank does not take VietQR transfers.")
        if not data.bank_account_number:
            problems["bank_account_number"] = _("Enter the account number.")
        elif problem := bank_account_number_problem(data.bank_account_number):
            problems["bank_account_number"] = problem
        if not data.bank_account_name:
            problems["bank_account_name"] = _("Enter the account name.")
        elif problem := bank_account_name_problem(data.bank_account_name):
            problems["bank_account_name"] = problem
    return problems


def _normalized(data: ProducerData) -> ProducerData:
    return ProducerData(
        name=" ".join(data.name.split()),
        kind=data.kind,
        province=data.province,
        commune=data.commune,
        phone=normalize_phone(data.phone),
        tax_code=tax_code_normalize(data.tax_code),
        street_address=data.street_address.strip(),
        email=data.email.strip().lower(),
        description=data.description.strip(),
        bank_bin=data.bank_bin.strip(),
        bank_account_number=bank_account_number_normalize(data.bank_account_number),
        bank_account_name=bank_account_name_normalize(data.bank_account_name),
    )


def _apply(producer: Producer, data: ProducerData) -> None:
    for field in (
        "name",
        "kind",
        "province",
        "commune",
        "phone",
        "tax_code",
        "street_address",
        "email",
        "description",
        "bank_bin",
        "bank_account_number",
        "bank_account_name",
    ):
        setattr(producer, field, getattr(data, field))


@transaction.atomic
def producer_register(*, user, data: ProducerData, photos: Sequence = ()) -> Producer:
    """Creates a `pending` producer and makes `user` its owner. Raises ValidationError (field ->
    message) and writes nothing when the profile or a photo is refused."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    data = _normalized(data)
    if problems := producer_data_problems(data=data):
        raise ValidationError(problems)
    producer = Producer(
        slug=unique_slug(model=Producer, text=data.name, fallback="chu-the"),
        status=Producer.Status.PENDING,
        created_by=user,
    )
    _apply(producer, data)
    producer.full_clean()
    producer.save()
    ProducerMember.objects.create(producer=producer, user=user, role=ProducerMember.Role.OWNER)
    try:
        producer_photos_add(producer=producer, uploads=photos, by=user)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from error
    return producer


def _owner_check(*, producer: Producer, user) -> None:
    if not producer.members.filter(user=user, role=ProducerMember.Role.OWNER).exists():
        raise PermissionDenied(_("Only an owner of this producer can do this."))


def producer_is_owner(*, producer: Producer, user) -> bool:
    return producer.members.filter(user=user, role=ProducerMember.Role.OWNER).exists()


def producer_update(*, producer_id: int, by, data: ProducerData, photos: Sequence = ()) -> Producer:
    """Saves an owner's changes to the profile. Locks the producer row. A rejected producer goes
    back to `pending`; other statuses are kept (see the module docstring). When the bank account
    changed, every member and the contact address are told once the change is committed."""
    with transaction.atomic():
        producer = Producer.objects.select_for_update().get(pk=producer_id)
        _owner_check(producer=producer, user=by)
        data = _normalized(data)
        if problems := producer_data_problems(data=data, producer_id=producer.pk):
            raise ValidationError(problems)
        old_bank = (producer.bank_bin, producer.bank_account_number, producer.bank_account_name)
        _apply(producer, data)
        if producer.status == Producer.Status.REJECTED:
            producer.status = Producer.Status.PENDING
        producer.full_clean()
        producer.save()
        try:
            producer_photos_add(producer=producer, uploads=photos, by=by)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        new_bank = (producer.bank_bin, producer.bank_account_number, producer.bank_account_name)
        if old_bank != new_bank:
            context = {"changed_by": by, "account_number_tail": producer.bank_account_number[-4:]}
            transaction.on_commit(
                lambda: producer_members_email(
                    producer=producer, template="producer_bank_changed", context=context
                )
            )
    return producer


# --- Members -------------------------------------------------------------------------------------


@transaction.atomic
def producer_member_add(*, producer_id: int, by, email: str, role: str) -> ProducerMember:
    """An owner lets another existing account manage the shop. Raises ValidationError for an
    unknown address or an account that is already a member, PermissionDenied for non-owners."""
    producer = Producer.objects.select_for_update().get(pk=producer_id)
    _owner_check(producer=producer, user=by)
    if role not in ProducerMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account uses this email address. Ask them to sign up first.")}
        )
    if producer.members.filter(user=user).exists():
        raise ValidationError({"email": _("This person already manages the shop.")})
    return ProducerMember.objects.create(producer=producer, user=user, role=role)


@transaction.atomic
def producer_member_remove(*, producer_id: int, by, member_id: int) -> None:
    """An owner removes a member (themselves included) unless that leaves no owner. Raises
    ProducerMember.DoesNotExist for a member of another producer."""
    producer = Producer.objects.select_for_update().get(pk=producer_id)
    _owner_check(producer=producer, user=by)
    member = producer.members.get(pk=member_id)
    if (
        member.role == ProducerMember.Role.OWNER
        and not producer.members.filter(role=ProducerMember.Role.OWNER)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(_("A producer needs at least one owner; add another owner first."))
    member.delete()


# --- Moderation ----------------------------------------------------------------------------------

# action -> (statuses it may start from, status it leads to)
PRODUCER_MOVES = {
    "verify": (
        {Producer.Status.PENDING, Producer.Status.REJECTED, Producer.Status.SUSPENDED},
        Producer.Status.VERIFIED,
    ),
    "reject": ({Producer.Status.PENDING}, Producer.Status.REJECTED),
    "suspend": ({Producer.Status.VERIFIED}, Producer.Status.SUSPENDED),
}


def producer_allowed_moves(*, producer: Producer) -> list[str]:
    return [
        action for action, (sources, _to) in PRODUCER_MOVES.items() if producer.status in sources
    ]


def _producer_move(*, producer_id: int, by, action: str, reason: str = "") -> Producer:
    if not by.has_perm(MODERATE_PRODUCER):
        raise PermissionDenied
    sources, target = PRODUCER_MOVES[action]
    with transaction.atomic():
        producer = Producer.objects.select_for_update().get(pk=producer_id)
        if producer.status not in sources:
            raise ValidationError(
                _("This producer is “%(status)s”; that action is not possible now.")
                % {"status": producer.get_status_display()},
                code="illegal_move",
            )
        reason = " ".join(reason.split())
        if action in ("reject", "suspend") and not reason:
            raise ValidationError({"reason": _("Give the reason; the producer will read it.")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
        producer.status = target
        producer.rejection_reason = reason
        if target == Producer.Status.VERIFIED:
            producer.verified_at = timezone.now()
            producer.verified_by = by
        producer.full_clean()
        producer.save()
        context = {"reason": reason, "edit_url": site_url("marketplace:producer_edit")}
        transaction.on_commit(
            lambda: producer_members_email(
                producer=producer, template=f"producer_{target}", context=context
            )
        )
    return producer


def producer_verify(*, producer_id: int, by) -> Producer:
    """A moderator verifies a pending (or rejected, or suspended) producer. Raises
    PermissionDenied without `moderate_producer`, ValidationError for an illegal move."""
    return _producer_move(producer_id=producer_id, by=by, action="verify")


def producer_reject(*, producer_id: int, by, reason: str) -> Producer:
    return _producer_move(producer_id=producer_id, by=by, action="reject", reason=reason)


def producer_suspend(*, producer_id: int, by, reason: str) -> Producer:
    return _producer_move(producer_id=producer_id, by=by, action="suspend", reason=reason)
