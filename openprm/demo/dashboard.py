"""The dashboard's demo records: commission statements of the closed quarters (paid ones and
the last quarter's, still upcoming), written by the same generation the sweep runs, and a
saved report and a static list on Northwind's dashboard.

Renewals in the next 90 days need nothing here: subscriptions renew on their anniversaries,
so about a quarter of them fall in any 90 days.
"""

from datetime import timedelta

from openprm.dashboard import services
from openprm.dashboard.models import ReportKind
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import report_rows
from openprm.demo.context import Demo
from openprm.points.commissions.services import statements_generate

SHOWCASE_SLUG = "northwind-traders"


def build_dashboard(demo: Demo) -> None:
    written = statements_generate(on=demo.today)
    demo.count("commission statements", written)
    book = next((b for b in demo.partners if b.org.slug == SHOWCASE_SLUG), None)
    if book is not None:
        admin = book.admin
        quarter = Period(demo.today - timedelta(days=89), demo.today)
        services.saved_report_create(
            actor=admin,
            name="Won this quarter",
            kind=ReportKind.CLOSED_WON,
            period=quarter,
            on_dashboard=True,
        )
        won = report_rows(user=admin, partner=book.org, kind=ReportKind.CLOSED_WON, period=quarter)
        services.customer_list_create(
            actor=admin, name="Customers won this quarter", customer_ids=won.customer_ids
        )
    demo.say(f"Dashboard: {written} commission statements, a saved report and a static list")
