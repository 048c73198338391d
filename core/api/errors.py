"""One error shape for the whole API: ``{"message": str, "extra": {...}}``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

NOT_VALID = _("The request is not valid.")
FAILED = _("Request failed.")


class ApiError(exceptions.APIException):
    """An error whose ``extra`` the view shapes itself (e.g. per-recipient problems)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str,
        extra: dict | None = None,
        status_code: int | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.retry_after = retry_after  # seconds, for a 429 or 503
        if status_code is not None:
            self.status_code = status_code


def exception_handler(exc, context):
    if isinstance(exc, ApiError):
        set_rollback()
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        key = api_settings.NON_FIELD_ERRORS_KEY
        fields = response.data if isinstance(response.data, dict) else {key: response.data}
        # An error about the request as a whole ("this badge is archived") is the message.
        general = fields.get(key)
        message = " ".join(str(m) for m in general) if isinstance(general, list) and general else ""
        response.data = {"message": message or str(NOT_VALID), "extra": {"fields": fields}}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"message": str(detail) or str(FAILED), "extra": {}}
    return response
