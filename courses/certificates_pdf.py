"""The certificate document: HTML rendered to an A4 landscape PDF by WeasyPrint.

The document only shows the certificate's frozen snapshot and the verification QR; nothing is
fetched from the network or the disk while rendering (only `data:` URIs are allowed).
"""

import os
import tempfile
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

CERTIFICATES_DIR = "certificates"


def certificate_storage_root() -> Path:
    """Certificates are personal documents: they live in the private storage, never in media."""
    return Path(settings.PRIVATE_ROOT) / CERTIFICATES_DIR


def certificate_verify_url(serial: str) -> str:
    """The absolute public verification address of a serial (what the QR code encodes)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certificate_verify", args=[serial])
    return settings.SITE_BASE_URL.rstrip("/") + path


def certificate_qr_data_uri(payload: str) -> str:
    """An SVG data URI of a QR code holding `payload` (error correction M survives print wear)."""
    qr = segno.make(payload, error="m", micro=False)
    return qr.svg_data_uri(scale=4, border=0, dark="#10213f")


def certificate_issuer() -> dict:
    """The organisation and governing body from the default site's contact settings."""
    from portal.core.models import SiteContact

    contact = SiteContact.objects.filter(site__is_default_site=True).first()
    name = (contact.organisation_name if contact else "") or _("Digital transformation portal")
    return {"name": name, "governing_body": contact.governing_body if contact else ""}


def certificate_pdf_render(certificate) -> bytes:
    """The PDF bytes of `certificate`, in the site's language (the certificate is Vietnamese)."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        verify_url = certificate_verify_url(certificate.serial)
        html = render_to_string(
            "courses/certificate_pdf.html",
            {
                "certificate": certificate,
                "issuer": certificate_issuer(),
                "issued_on": timezone.localdate(certificate.issued_at),
                "verify_url": verify_url,
                "qr_data_uri": certificate_qr_data_uri(verify_url),
            },
        )
    return HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf()


def certificate_pdf_store(*, relative_path: str, content: bytes) -> Path:
    """Writes the PDF atomically (temporary file, then rename): no reader sees half a file."""
    target = certificate_storage_root() / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def certificate_pdf_file(certificate) -> Path | None:
    """The stored PDF of `certificate`, or None when it was never rendered or is missing."""
    if not certificate.pdf_path:
        return None
    root = certificate_storage_root().resolve()
    path = (root / certificate.pdf_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _data_only_fetcher():
    """A fetcher that loads `data:` URIs only: no file or network access from a certificate."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 67 takes a function
        from weasyprint.urls import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError("certificates load no external resources")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=["data"])
