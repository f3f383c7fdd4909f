"""Certificates of completion: issue, email, revoke, re-issue.

A certificate freezes what was certified (holder, unit, course, hours, date) when it is issued; a
later name fix needs a re-issue, which revokes the old certificate and points the new one at it.
"""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..certificates_pdf import (
    certificate_pdf_file,
    certificate_pdf_render,
    certificate_pdf_store,
    certificate_verify_url,
)
from ..models import Certificate, Enrolment

logger = logging.getLogger(__name__)

# No 0/O or 1/I: a serial read aloud or typed from paper is not misread.
SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SERIAL_RANDOM_LENGTH = 8
SERIAL_PREFIX = "CDS"
SERIAL_ATTEMPTS = 10


def certificate_serial_new(*, year: int) -> str:
    """ "CDS-2026-7K3F9QXM": 32^8 (about 10^12) values a year, so a serial cannot be guessed."""
    random_part = "".join(
        secrets.choice(SERIAL_ALPHABET) for _position in range(SERIAL_RANDOM_LENGTH)
    )
    return f"{SERIAL_PREFIX}-{year}-{random_part}"


def certificate_issue(*, enrolment_id: int) -> Certificate | None:
    """Issues the certificate of a completed enrolment and renders its PDF.

    Locks the enrolment row, so two runs of the task cannot both issue. Idempotent: when the
    enrolment already has a valid certificate, that one is returned and nothing is created.
    Returns None (and changes nothing) when the enrolment does not exist, is not completed, its
    course gives no certificate, or its certificates were all revoked (only an explicit re-issue
    gives a new one then). The email is sent by a task enqueued on commit.
    """
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "user__unit")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            logger.warning("certificate_issue: enrolment %s does not exist", enrolment_id)
            return None
        if (
            enrolment.status != Enrolment.Status.COMPLETED
            or not enrolment.course.certificate_enabled
        ):
            return None
        certificates = list(enrolment.certificates.all())
        for existing in certificates:
            if existing.status == Certificate.Status.VALID:
                return existing
        if certificates:
            # Every certificate of this enrolment was revoked by a manager: an automatic rerun
            # must not undo that; a new one comes only from an explicit re-issue.
            return None
        certificate = _certificate_create(enrolment=enrolment, replaces=None)
    return certificate


def certificate_email(*, certificate_id: int) -> bool:
    """Emails the holder their certificate with the PDF attached and the verification link.

    Locks the certificate row. Idempotent: a certificate already emailed, revoked, missing or
    whose holder has no email address is skipped (returns False). Re-renders the PDF when the
    stored file is missing.
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__user")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.emailed_at is not None:
            return False
        if certificate.status != Certificate.Status.VALID:
            return False
        user = certificate.enrolment.user
        if not user.email:
            return False
        path = certificate_pdf_file(certificate)
        if path is None:
            _certificate_render(certificate)
            path = certificate_pdf_file(certificate)
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "certificate": certificate,
                "verify_url": certificate_verify_url(certificate.serial),
            }
            subject = _("Your certificate: %(course)s") % {"course": certificate.course_title}
            message = EmailMultiAlternatives(
                subject=subject.replace("\n", " ")[:200],
                body=render_to_string("courses/emails/certificate.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            message.attach_alternative(
                render_to_string("courses/emails/certificate.html", context), "text/html"
            )
        message.attach(f"{certificate.serial}.pdf", path.read_bytes(), "application/pdf")
        message.send()
        certificate.emailed_at = timezone.now()
        certificate.save(update_fields=["emailed_at"])
    return True


def certificate_revoke(*, certificate_id: int, by, reason: str) -> Certificate:
    """Revokes a certificate: it stays on record and its verification page says "revoked".

    Locks the certificate row. Raises ValidationError (nothing changed) when the reason is empty,
    the certificate does not exist or is already revoked.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking this certificate."))
    max_length = Certificate._meta.get_field("revoke_reason").max_length
    if len(reason) > max_length:
        raise ValidationError(
            _("The reason is too long (at most %(max)d characters).") % {"max": max_length}
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None:
            raise ValidationError(_("This certificate does not exist."))
        if certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("This certificate has already been revoked."))
        _certificate_mark_revoked(certificate, by=by, reason=reason)
    return certificate


def certificate_reissue(*, certificate_id: int, by) -> Certificate:
    """Issues a new certificate for the same enrolment with a fresh snapshot (e.g. after a name
    fix) and a new serial; the old one is revoked ("re-issued") if still valid.

    Locks the enrolment, then the certificate. The new PDF is rendered now and emailed by a task
    enqueued on commit. Raises ValidationError when the certificate does not exist or its
    enrolment is no longer completed; an already replaced certificate cannot be re-issued again
    (re-issue its replacement).
    """
    with transaction.atomic():
        enrolment_id = (
            Certificate.objects.filter(pk=certificate_id)
            .values_list("enrolment_id", flat=True)
            .first()
        )
        if enrolment_id is None:
            raise ValidationError(_("This certificate does not exist."))
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "user__unit")
            .get(pk=enrolment_id)
        )
        old = Certificate.objects.select_for_update().get(pk=certificate_id)
        if Certificate.objects.filter(replaces=old).exists():
            raise ValidationError(
                _("This certificate has already been re-issued: re-issue the newer one.")
            )
        if enrolment.status != Enrolment.Status.COMPLETED:
            raise ValidationError(_("The course is no longer completed: nothing to re-issue."))
        current = (
            enrolment.certificates.select_for_update()
            .filter(status=Certificate.Status.VALID)
            .exclude(pk=old.pk)
            .first()
        )
        if current is not None:
            raise ValidationError(
                _(
                    "Another valid certificate exists for this course (%(serial)s): "
                    "re-issue that one."
                )
                % {"serial": current.serial}
            )
        if old.status == Certificate.Status.VALID:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("re-issued")
            _certificate_mark_revoked(old, by=by, reason=reason)
        return _certificate_create(enrolment=enrolment, replaces=old)


def certificate_pdf_ensure(*, certificate_id: int):
    """The path of the certificate's stored PDF, rendering it first when it is missing (e.g. the
    private storage was restored without it). Locks the certificate row while rendering."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        path = certificate_pdf_file(certificate)
        if path is None:
            _certificate_render(certificate)
            path = certificate_pdf_file(certificate)
    return path


def _certificate_mark_revoked(certificate: Certificate, *, by, reason: str) -> None:
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by if getattr(by, "pk", None) else None
    certificate.revoke_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])


def _certificate_create(*, enrolment: Enrolment, replaces: Certificate | None) -> Certificate:
    """Creates the row with a fresh snapshot and a unique serial, renders the PDF and enqueues
    the email on commit. The caller holds the enrolment lock inside a transaction."""
    user = enrolment.user
    course = enrolment.course
    issued_at = timezone.now()
    completed_at = enrolment.completed_at or issued_at
    year = timezone.localdate(issued_at).year
    for _attempt in range(SERIAL_ATTEMPTS):
        serial = certificate_serial_new(year=year)
        if Certificate.objects.filter(serial=serial).exists():
            continue
        certificate = Certificate(
            serial=serial,
            enrolment=enrolment,
            holder_name=(user.full_name or "").strip() or user.email,
            unit_name=user.unit.name if user.unit_id else "",
            course_title=course.title,
            hours=course.estimated_hours,
            completed_on=timezone.localdate(completed_at),
            issued_at=issued_at,
            replaces=replaces,
        )
        certificate.full_clean(exclude=["pdf_path"], validate_unique=False)
        try:
            # A savepoint: a serial taken by a concurrent issue between check and insert is retried.
            with transaction.atomic():
                certificate.save(force_insert=True)
        except IntegrityError:
            if Certificate.objects.filter(serial=serial).exists():
                continue
            raise
        break
    else:
        raise RuntimeError("could not draw a free certificate serial")
    _certificate_render(certificate)
    transaction.on_commit(lambda: _enqueue_email(certificate.pk))
    return certificate


def _certificate_render(certificate: Certificate) -> None:
    """Renders and stores the PDF at <year>/<serial>.pdf in the certificate storage."""
    relative_path = f"{timezone.localdate(certificate.issued_at).year}/{certificate.serial}.pdf"
    certificate_pdf_store(relative_path=relative_path, content=certificate_pdf_render(certificate))
    certificate.pdf_path = relative_path
    certificate.save(update_fields=["pdf_path"])


def _enqueue_email(certificate_id: int) -> None:
    from ..tasks import certificate_email_task

    certificate_email_task.delay(certificate_id)
