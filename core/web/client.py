"""Who is asking, as far as the network tells: for throttles, never for access."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the last entry of ``CLIENT_IP_HEADER``
    (e.g. ``HTTP_X_FORWARDED_FOR``), the one the proxy in front of the app wrote."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
