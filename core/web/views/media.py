"""Uploaded badge images, served by the app itself (they are few and small).

SVGs come back with a sandboxing CSP too, as a second line of defence after
the cleaner in ``core.domain.images``.
"""

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from core.domain.images import IMAGE_CONTENT_TYPES, IMAGE_CSP

# Badge designs are public; imported badges are their owner's and are served
# by their own view, after an access check.
PUBLIC_FOLDERS = ("badges/",)


@require_safe
def serve_media(request, path: str):
    path = posixpath.normpath(path).lstrip("/")
    extension = posixpath.splitext(path)[1].lower()
    if (
        not path.startswith(PUBLIC_FOLDERS)
        or extension not in IMAGE_CONTENT_TYPES
        or not default_storage.exists(path)
    ):
        raise Http404("No such image.")
    response = FileResponse(default_storage.open(path, "rb"), content_type=IMAGE_CONTENT_TYPES[extension])
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = IMAGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
