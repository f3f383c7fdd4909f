"""Certificates: the public verification page and the holder's PDF download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from ..selectors.certificates import certificate_for_download, certificate_for_verification
from ..services.certificates import certificate_pdf_ensure


@require_safe
def certificate_verify(request, serial: str):
    """Anyone (and the QR code) may check a serial; an unknown serial gets a friendly 404."""
    verification = certificate_for_verification(serial=serial)
    response = TemplateResponse(
        request,
        "courses/certificate_verify.html",
        {"verification": verification, "serial": serial[:40]},
        status=200 if verification else 404,
    )
    # The answer changes when a certificate is revoked; search engines need not list holders.
    patch_cache_control(response, no_cache=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@login_required
def certificate_download(request, serial: str):
    """The holder's own valid certificate, or any certificate for a certificates administrator;
    404 for everyone else, so a serial's existence is not revealed."""
    certificate = certificate_for_download(serial=serial, user=request.user)
    if certificate is None:
        raise Http404
    path = certificate_pdf_ensure(certificate_id=certificate.pk)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
