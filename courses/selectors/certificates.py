"""Reads of certificates: the public verification, the holder's list, downloads."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from portal.core.personal_data import mask_name

from ..certificates_pdf import certificate_issuer
from ..models import Certificate

# Serials are "CDS-<year>-<8 characters>"; anything else is not looked up at all.
SERIAL_PATTERN = re.compile(r"^[A-Z]{2,5}-\d{4}-[0-9A-Z]{6,12}$")
CERTIFICATES_ADMIN_PERMISSIONS = ("courses.change_certificate", "courses.view_certificate")


@dataclass(frozen=True)
class CertificateVerification:
    """What the public verification page may show: no email, phone, unit or full name."""

    serial: str
    is_valid: bool
    holder_masked: str
    course_title: str
    completed_on: datetime.date
    issued_on: datetime.date
    revoked_on: datetime.date | None
    replaced: bool
    issuer: str


def certificate_serial_normalise(serial: str) -> str | None:
    """The serial in canonical form (trimmed, upper case), None when it cannot be one."""
    serial = (serial or "").strip().upper()
    return serial if SERIAL_PATTERN.match(serial) else None


def certificate_for_verification(*, serial: str) -> CertificateVerification | None:
    """The public facts of the certificate with this serial, None when there is none.

    Revoked certificates are reported as revoked (with the date, not the reason); the holder's
    name is masked ("Nguyễn V. A.")."""
    serial = certificate_serial_normalise(serial)
    if serial is None:
        return None
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        return None
    return CertificateVerification(
        serial=certificate.serial,
        is_valid=certificate.status == Certificate.Status.VALID,
        holder_masked=mask_name(certificate.holder_name),
        course_title=certificate.course_title,
        completed_on=certificate.completed_on,
        issued_on=timezone.localdate(certificate.issued_at),
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        replaced=Certificate.objects.filter(replaces=certificate).exists(),
        issuer=certificate_issuer()["name"],
    )


def certificates_of_holder(*, user) -> QuerySet[Certificate]:
    """The user's valid certificates, newest first (for "My training")."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(
        enrolment__user=user, status=Certificate.Status.VALID
    ).order_by("-issued_at")


def user_is_certificates_admin(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and any(user.has_perm(permission) for permission in CERTIFICATES_ADMIN_PERMISSIONS)
    )


def certificate_for_download(*, serial: str, user) -> Certificate | None:
    """The certificate `user` may download: their own valid one, or any one for a certificates
    administrator. None otherwise (the caller answers 404, revealing nothing)."""
    serial = certificate_serial_normalise(serial)
    if serial is None or not user.is_authenticated:
        return None
    certificate = Certificate.objects.select_related("enrolment").filter(serial=serial).first()
    if certificate is None:
        return None
    if user_is_certificates_admin(user):
        return certificate
    if certificate.enrolment.user_id == user.pk and certificate.status == Certificate.Status.VALID:
        return certificate
    return None
