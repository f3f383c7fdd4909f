"""H5P files for the player, from the private storage, after a permission check.

Uploaded files are served so that nothing in them can run in the site's origin: a content type from
an allow-list (anything else is a download), `nosniff`, and a CSP that sandboxes the response should
someone open it as a page. Library scripts and styles stay loadable by the player's frame because a
CSP on a script or style response does not apply to the page that loads it.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from ..h5p import storage
from ..selectors.h5p import (
    h5p_content_by_public_id,
    h5p_content_viewable,
    h5p_library_for_folder,
    h5p_library_readable,
)

SANDBOX_CSP = "default-src 'none'; sandbox"

# Types safe to hand to a browser inline: data and media, no markup.
INLINE_TYPES = {
    "json": "application/json",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}
# Code and vector images only from library folders: they come with the content type's code, and
# the player loads them as scripts, styles and images, never as a page.
LIBRARY_ONLY_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
}


def _extension(path) -> str:
    return path.suffix.lower().lstrip(".")


def _file_response(path, *, library: bool, max_age: int) -> FileResponse:
    extension = _extension(path)
    content_type = INLINE_TYPES.get(extension)
    if library and content_type is None:
        content_type = LIBRARY_ONLY_TYPES.get(extension)
    if content_type is None:
        response = FileResponse(
            open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
            as_attachment=True,
            filename=path.name,
            content_type="application/octet-stream",
        )
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["Vary"] = "Cookie"
    return response


@require_safe
def h5p_content_file(request, public_id, file_path: str):
    """h5p.json and content/... of one activity, for users who may take a lesson using it.
    Anonymous users get 403 without a lookup; everything else not allowed is a 404, so the
    existence of an activity is not revealed."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    content = h5p_content_by_public_id(public_id=public_id)
    if content is None or not h5p_content_viewable(user=request.user, content=content):
        raise Http404
    if file_path != "h5p.json" and not file_path.startswith("content/"):
        raise Http404
    path = storage.resolve_file(storage.h5p_content_dir(content.public_id), file_path)
    if path is None:
        raise Http404
    return _file_response(path, library=False, max_age=300)


@require_safe
def h5p_library_file(request, folder: str, file_path: str):
    """A file of an installed library, for any signed-in user (libraries hold code, no answers)."""
    if not h5p_library_readable(user=request.user):
        raise PermissionDenied
    library = h5p_library_for_folder(folder=folder)
    if library is None:
        raise Http404
    path = storage.resolve_file(storage.h5p_library_dir(library.folder_name), file_path)
    if path is None:
        raise Http404
    # A library version's files never change once installed.
    return _file_response(path, library=True, max_age=86400)
