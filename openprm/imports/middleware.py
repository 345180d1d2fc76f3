"""A file upload larger than OPENPRM_IMPORT_MAX_BYTES is refused from its Content-Length, before
Django reads a byte of the body (Django limits form fields, not files). The answer is a 413
naming `file`: JSON for the API, a short page for the site."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from openprm.core.api import error_body

API_UPLOAD = "/api/v1/imports"
# The multipart envelope around the file: the boundaries and the form's other fields.
ENVELOPE_BYTES = 64 * 2**10


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and self.too_large(request):
            return self.refusal(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest) -> bool:
        if request.path not in (API_UPLOAD, reverse("imports:upload")):
            return False
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > settings.OPENPRM_IMPORT_MAX_BYTES + ENVELOPE_BYTES

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse:
        message = _("The file is larger than %(max)s MB.") % {
            "max": settings.OPENPRM_IMPORT_MAX_BYTES // 2**20
        }
        if request.path == API_UPLOAD:
            body = error_body(
                "too_large", message, [{"field": "file", "message": message, "code": "too_large"}]
            )
            return JsonResponse(body, status=413)
        return render(request, "imports/too_large.html", {"message": message}, status=413)
