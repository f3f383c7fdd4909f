"""OCOP certificates: the scanned decision (private file), validity, and the daily expiry run.

A certificate is valid `OCOP_CERTIFICATE_VALID_MONTHS` (36) months from its decision date unless
the decision says otherwise. The daily run takes the OCOP badge off products whose certificate
has expired and tells their producer, and warns `OCOP_EXPIRY_NOTICE_DAYS` days before, once per
certificate (a renewed certificate clears `expiry_notice_sent_on`).
"""

import calendar
import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import Producer, Product
from ..validators import certificate_pdf_problem
from .producer_notify import producer_members_email, site_url

logger = logging.getLogger(__name__)

CERTIFICATES_DIR = "ocop-certificates"

# Products that went through approval; drafts and rejected products show no badge anyway.
APPROVED_STATUSES = (
    Product.Status.APPROVED,
    Product.Status.PUBLISHED,
    Product.Status.UNPUBLISHED,
)


# --- Validity --------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """31/01 + 1 month -> 28/02 (or 29/02): the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def certificate_default_expiry(*, decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, settings.OCOP_CERTIFICATE_VALID_MONTHS)


def certificate_is_valid(*, expires_on: datetime.date, today: datetime.date | None = None) -> bool:
    """Valid through its last day."""
    return expires_on >= (today or timezone.localdate())


# --- The scanned decision (PDF in the private storage) ----------------------------------------


def certificate_storage_root() -> Path:
    """Scans of decisions are handed out only to the producer's members and moderators."""
    return Path(settings.PRIVATE_ROOT) / CERTIFICATES_DIR


def certificate_file_store(*, producer_id: int, upload) -> str:
    """Checks the upload (a PDF by its bytes, not too large) and writes it under the private
    storage. Returns its path relative to the certificates folder. Raises ValidationError."""
    problem = certificate_pdf_problem(upload, max_bytes=settings.MARKETPLACE_CERTIFICATE_MAX_BYTES)
    if problem:
        raise ValidationError({"certificate_file": problem}, code="certificate")
    relative = f"{int(producer_id)}/{uuid.uuid4().hex}.pdf"
    target = certificate_storage_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return relative


def certificate_file_path(relative: str) -> Path | None:
    """The absolute path of a stored scan, or None when it is missing or points outside."""
    if not relative:
        return None
    root = certificate_storage_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def certificate_file_delete(relative: str) -> None:
    path = certificate_file_path(relative)
    if path is not None:
        path.unlink(missing_ok=True)


# --- The daily expiry run ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryRunResult:
    expired: int
    noticed: int
    emails: int


def certificates_expiry_run(*, today: datetime.date | None = None) -> ExpiryRunResult:
    """Clears `ocop_active` on products whose certificate expired before `today` and emails
    their producers; marks and emails products expiring within OCOP_EXPIRY_NOTICE_DAYS that were
    not warned yet.

    Idempotent and safe to run concurrently: each product is claimed by a conditional UPDATE, so
    only the run that changed a row emails about it. One email per producer per kind.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.OCOP_EXPIRY_NOTICE_DAYS)

    expired_ids = list(
        Product.objects.filter(ocop_active=True, certificate_expires_on__lt=today).values_list(
            "pk", flat=True
        )
    )
    expired = [
        pk
        for pk in expired_ids
        if Product.objects.filter(pk=pk, ocop_active=True, certificate_expires_on__lt=today).update(
            ocop_active=False
        )
    ]

    expiring_ids = list(
        Product.objects.filter(
            ocop_active=True,
            status__in=APPROVED_STATUSES,
            certificate_expires_on__gte=today,
            certificate_expires_on__lte=horizon,
            expiry_notice_sent_on__isnull=True,
        ).values_list("pk", flat=True)
    )
    noticed = [
        pk
        for pk in expiring_ids
        if Product.objects.filter(pk=pk, expiry_notice_sent_on__isnull=True).update(
            expiry_notice_sent_on=today
        )
    ]

    emails = _expiry_emails(product_ids=expired, template="product_certificate_expired")
    emails += _expiry_emails(product_ids=noticed, template="product_certificate_expiring")
    if expired or noticed:
        logger.info(
            "OCOP certificates: %s badge(s) removed, %s notice(s), %s email(s)",
            len(expired),
            len(noticed),
            emails,
        )
    return ExpiryRunResult(expired=len(expired), noticed=len(noticed), emails=emails)


def _expiry_emails(*, product_ids: list[int], template: str) -> int:
    by_producer: dict[int, list[Product]] = defaultdict(list)
    for product in Product.objects.filter(pk__in=product_ids).order_by(
        "certificate_expires_on", "name"
    ):
        by_producer[product.producer_id].append(product)
    sent = 0
    for producer in Producer.objects.filter(pk__in=by_producer):
        products = [
            {"product": product, "edit_url": site_url("marketplace:shop_product_edit", product.pk)}
            for product in by_producer[producer.pk]
        ]
        try:
            sent += producer_members_email(
                producer=producer, template=template, context={"products": products}
            )
        except Exception:  # noqa: BLE001 - one producer's mail failure must not stop the others
            logger.exception("OCOP certificate email to producer %s failed", producer.pk)
    return sent
