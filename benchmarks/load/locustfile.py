"""The load scenario: partner people and vendor staff working the demo program at once.

Partners (three in four users) read their dashboard, Tier page, deal and referral lists, pages
and API alike, and write: contacts and goal tasks through the API. Vendor staff read the channel
dashboard, the registrations queue and the vendor-wide lists. Every user signs in once, with a
session for pages and an API token for the API. Sign-ins hash passwords on purpose and, on a
loaded server, take far longer than locust's ramp-up: the figures are reset when the last user
has signed in, and the run ends OPENPRM_LOAD_SECONDS after that. Run by benchmarks/load/run.py.
"""

import itertools
import os
import re
import uuid
from datetime import UTC, datetime, timedelta

import gevent
from locust import HttpUser, between, task
from locust.env import Environment

PASSWORD = os.environ.get("OPENPRM_LOAD_PASSWORD", "openprm-demo")
PARTNER_ADMINS = [
    "admin@northwind.example", "admin@tailspin.example", "priya.nair@fabrikam.example",
    "doyun.park@humongous.example", "camila.pereira@adventure-works.example",
    "daniel.foster@wideworld.example", "maximilian.hoffmann@litware.example",
    "nathan.hayes@lucerne.example", "diego.ramirez@cohowinery.example",
]  # fmt: skip
VENDOR_STAFF = ["admin@openprm.example", "pdm@openprm.example", "reviewer@openprm.example"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGNED_IN = itertools.count(1)


def signed_in(environment: Environment) -> None:
    """The last user to sign in starts the measured run: figures from zero, for its length."""
    assert environment.parsed_options
    assert environment.runner
    if next(SIGNED_IN) == environment.parsed_options.num_users:
        environment.runner.stats.reset_all()
        seconds = float(os.environ.get("OPENPRM_LOAD_SECONDS", "60"))
        gevent.spawn_later(seconds, environment.runner.quit)


class Member(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    emails: "itertools.cycle[str]"

    def on_start(self) -> None:
        self.email = next(self.emails)
        login = self.client.get("/login/", name="/login/")
        token = CSRF.search(login.text)
        self.client.post(
            "/login/",
            {"username": self.email, "password": PASSWORD,
             "csrfmiddlewaretoken": token[1] if token else ""},
            name="/login/ (POST)",
        )  # fmt: skip
        answer = self.client.post(
            "/api/v1/auth/tokens",
            json={"email": self.email, "password": PASSWORD, "name": f"load {uuid.uuid4().hex}"},
            name="/api/v1/auth/tokens",
        )
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        me = self.client.get("/api/v1/me", headers=self.headers, name="/api/v1/me").json()
        self.user_id = me["id"]
        self.after_sign_in()
        signed_in(self.environment)

    def after_sign_in(self) -> None:
        """What a kind of user looks up once, before the measured run."""

    def api(self, path: str, name: str | None = None) -> None:
        self.client.get(path, headers=self.headers, name=name or path.split("?")[0])


class PartnerAdmin(Member):
    weight = 3
    emails = itertools.cycle(PARTNER_ADMINS)

    def after_sign_in(self) -> None:
        plans = self.client.get(
            "/api/v1/goal-plans", headers=self.headers, name="/api/v1/goal-plans"
        )
        self.plan_id = next(iter(plan["id"] for plan in plans.json()["items"]), None)

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(2)
    def tier_page(self) -> None:
        self.client.get("/tier/", name="/tier/")

    @task(2)
    def deal_list(self) -> None:
        self.client.get("/deals/", name="/deals/")

    @task(2)
    def referral_list(self) -> None:
        self.client.get("/referrals/", name="/referrals/")

    @task(3)
    def api_lists(self) -> None:
        self.api("/api/v1/deals?limit=20")
        self.api("/api/v1/referrals?limit=20")
        self.api("/api/v1/tasks")

    @task(1)
    def add_contact(self) -> None:
        self.client.post(
            "/api/v1/contacts",
            json={"first_name": "Load", "last_name": uuid.uuid4().hex[:8],
                  "email": f"{uuid.uuid4().hex[:8]}@customer.example"},
            headers={**self.headers, "Idempotency-Key": uuid.uuid4().hex},
            name="/api/v1/contacts (POST)",
        )  # fmt: skip

    @task(1)
    def add_task(self) -> None:
        if self.plan_id is None:
            return
        due = datetime.now(UTC) + timedelta(days=7)
        self.client.post(
            "/api/v1/tasks",
            json={"plan_id": self.plan_id, "title": "Follow up", "assignee_id": self.user_id,
                  "due_at": due.isoformat(), "reminder": "1d"},
            headers={**self.headers, "Idempotency-Key": uuid.uuid4().hex},
            name="/api/v1/tasks (POST)",
        )  # fmt: skip


class VendorStaff(Member):
    weight = 1
    emails = itertools.cycle(VENDOR_STAFF)

    @task(2)
    def channel(self) -> None:
        if self.email != "reviewer@openprm.example":
            self.client.get("/dashboard/channel/", name="/dashboard/channel/")

    @task(2)
    def registrations(self) -> None:
        self.api("/api/v1/registrations?limit=20")
        if self.email != "pdm@openprm.example":
            self.client.get("/deals/registrations/", name="/deals/registrations/")

    @task(2)
    def vendor_lists(self) -> None:
        self.api("/api/v1/referrals?limit=20")
        self.api("/api/v1/partners")
        self.client.get("/referrals/vendor/", name="/referrals/vendor/")
