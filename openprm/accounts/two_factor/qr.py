"""The enrolment QR code, drawn on the server as inline SVG: no script, no image request, and
nothing the Content-Security-Policy refuses."""

import qrcode
from django.utils.safestring import SafeString, mark_safe
from qrcode.image.svg import SvgPathFillImage


def qr_svg(text: str) -> SafeString:
    image = qrcode.make(text, image_factory=SvgPathFillImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # qrcode's own markup of the caller's URI, which it escapes: safe to put in the page as is.
    return mark_safe(svg)
