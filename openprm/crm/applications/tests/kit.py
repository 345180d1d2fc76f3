"""An application as the public form sends it, and one already waiting for a decision."""

from openprm.crm.applications import services
from openprm.crm.applications.models import PartnerApplication


def form_data(**changes) -> dict:
    return {
        "company_name": "Litware Systems",
        "country": "TH",
        "website": "https://litware.example",
        "contact_name": "Nok Suksan",
        "contact_email": "nok@litware.example",
        "message": "We resell cloud software in Bangkok.",
        **changes,
    }


def pending_application(language: str = "en", **changes) -> PartnerApplication:
    return services.application_submit(
        data=services.ApplicationInput(**form_data(**changes)), language=language
    )


def approval_form_data(**changes) -> dict:
    return {
        "market_country": "",
        "currency": "USD",
        "tier": "Silver",
        "location_name": "Bangkok",
        "location_country": "TH",
        "city": "Bangkok",
        "location_code": "LIT-BKK",
        **changes,
    }
