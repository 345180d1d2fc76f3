"""CSV and XLSX imports: the preview names every bad row by line and column and writes nothing,
a file is imported whole or not at all, duplicates are matched, bad files get a clear error."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_not_found
from openprm.crm.models import Contact, Customer, Product
from openprm.crm.tests.factories import ContactFactory, CustomerFactory, ProductFactory
from openprm.deals.models import Deal
from openprm.imports import progress
from openprm.imports.models import ImportJob, ImportStatus
from openprm.imports.running import import_run

pytestmark = pytest.mark.django_db

CUSTOMER_HEADER = "duns,name,country,currency,domain\n"
CONTACT_HEADER = "first_name,last_name,email,customer_domain\n"


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def upload(client: Client, kind: str, content: bytes | str, name: str = "file.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/api/v1/imports", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def check(client: Client, job: dict, mapping: dict | None = None):
    path = f"/api/v1/imports/{job['id']}/check"
    chosen = job["mapping"] if mapping is None else mapping
    body = {"mapping": [{"field": f, "column": c} for f, c in chosen.items()]}
    return client.post(path, body, content_type="application/json")


def checked(client: Client, kind: str, content: bytes | str, name: str = "file.csv") -> dict:
    response = upload(client, kind, content, name)
    assert response.status_code == 201, response.json()
    return check(client, response.json()).json()


def start(client: Client, job: dict):
    return client.post(f"/api/v1/imports/{job['id']}/start")


def problems(job: dict) -> list[tuple]:
    return [(p["line"], p["column"], p["message"]) for p in job["problems"]]


def test_the_preview_names_each_bad_row_by_line_and_column_and_writes_nothing(client, victor):
    content = CUSTOMER_HEADER + (
        "100200300,Acme,US,USD,acme.example\n12345,Globex,US,USD,\n100200301,Initech,XX,USD,\n"
    )
    job = checked(login(client, victor), "customers", content)
    assert job["status"] == "invalid"
    assert job["error_count"] == 2
    assert problems(job) == [
        (3, "duns", "A DUNS number has exactly 9 digits."),
        (4, "country", "Unknown country “XX”."),
    ]
    assert not Customer.objects.filter(name__in=["Acme", "Initech"]).exists()
    page = client.get(reverse("imports:detail", args=[job["id"]]))
    assert "Unknown country “XX”." in page.content.decode()
    assert "nothing was written" in page.content.decode()


def test_a_checked_file_is_imported_and_a_known_duns_is_updated(client, victor):
    CustomerFactory.create(duns="100200300", name="Acme (old name)")
    content = CUSTOMER_HEADER + "100200300,Acme,US,USD,\n100200301,Initech,US,USD,\n"
    job = checked(login(client, victor), "customers", content)
    assert (job["status"], job["created_count"], job["updated_count"]) == ("ready", 1, 1)
    assert not Customer.objects.filter(name="Initech").exists()
    done = start(client, job).json()
    assert (done["status"], done["created_count"], done["updated_count"]) == ("done", 1, 1)
    assert Customer.objects.get(duns="100200300").name == "Acme"
    assert Customer.objects.filter(duns="100200301", name="Initech").exists()


def test_a_row_refused_by_the_service_undoes_the_rows_before_it(client, alice):
    content = CONTACT_HEADER + (
        "Aiko,Tanaka,aiko@contoso.example,\nBen,Ng,ben@contoso.example,\nCara,Diaz,not-an-email,\n"
    )
    job = checked(login(client, alice), "contacts", content)
    assert job["status"] == "invalid"
    assert [(line, column) for line, column, _message in problems(job)] == [(4, "email")]
    assert not Contact.objects.filter(organization=alice.organization).exists()


def test_contacts_match_by_email_and_customers_by_domain(client, alice):
    customer = CustomerFactory.create(domain="contoso.example")
    ContactFactory.create(
        organization=alice.organization, email="AIKO@contoso.example", job_title="Buyer"
    )
    content = CONTACT_HEADER + "Aiko,Tanaka,aiko@contoso.example,Contoso.example\n"
    job = checked(login(client, alice), "contacts", content)
    assert (job["created_count"], job["updated_count"]) == (0, 1)
    assert start(client, job).json()["status"] == "done"
    contact = Contact.objects.get(organization=alice.organization)
    assert (contact.last_name, contact.customer, contact.job_title) == ("Tanaka", customer, "")


def test_a_domain_shared_by_two_customers_asks_for_the_duns(client, alice):
    CustomerFactory.create_batch(2, domain="shared.example")
    job = checked(login(client, alice), "contacts", CONTACT_HEADER + "Aiko,,,shared.example\n")
    assert problems(job) == [
        (2, "customer_domain", "Several customers have this; give the DUNS number instead.")
    ]


def deal_file(*deals: tuple[str, str]) -> str:
    """A registration covers a customer and product once, so each deal sells its own product."""
    header = "name,customer_duns,currency,amount,mrr,close_date,products\n"
    return header + "".join(
        f"{name},100200300,USD,12000.00,1000,2030-06-30,{product}\n" for name, product in deals
    )


ROLLOUT = ("Rollout", "crm-suite")
EXPANSION = ("Expansion", "analytics")


def test_a_shared_deal_already_open_is_left_as_it_is(client, alice):
    CustomerFactory.create(duns="100200300")
    ProductFactory.create(code="crm-suite")
    ProductFactory.create(code="analytics")
    login(client, alice)
    first = checked(client, "deals", deal_file(ROLLOUT))
    assert start(client, first).json()["created_count"] == 1
    again = checked(client, "deals", deal_file(ROLLOUT, EXPANSION))
    assert (again["created_count"], again["unchanged_count"]) == (1, 1), again["problems"]
    assert start(client, again).json()["status"] == "done"
    names = Deal.objects.filter(organization=alice.organization).values_list(
        "opportunity__name", flat=True
    )
    assert sorted(names) == ["Expansion", "Rollout"]


def test_a_row_that_no_longer_passes_when_imported_writes_nothing(client, alice):
    CustomerFactory.create(duns="100200300")
    ProductFactory.create(code="crm-suite")
    ProductFactory.create(code="analytics")
    job = checked(login(client, alice), "deals", deal_file(ROLLOUT, EXPANSION))
    assert job["status"] == "ready"
    Product.objects.filter(code="crm-suite").update(is_active=False)
    done = start(client, job).json()
    assert done["status"] == "invalid"
    assert done["problems"][0]["message"] == "The vendor does not sell this product."
    assert not Deal.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_naming_the_file(client, victor):
    content = (CUSTOMER_HEADER + "100200300,Müller GmbH,DE,EUR,\n").encode("latin-1")
    response = upload(login(client, victor), "customers", content)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "file"
    assert "not UTF-8" in error["message"]
    assert not ImportJob.objects.exists()


def test_a_required_column_missing_from_the_file_is_named(client, victor):
    job = upload(login(client, victor), "customers", "duns,name,country\n100200300,A,US\n").json()
    assert "currency" not in job["mapping"]
    response = check(client, job)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["message"]) == (
        "currency",
        "Choose the column that holds Currency.",
    )


def test_a_formula_in_a_cell_is_refused_and_a_phone_number_is_not(client, alice):
    content = CONTACT_HEADER.replace("\n", ",phone\n") + (
        '"=HYPERLINK(""http://evil.example"")",X,,,+81 3-1234-5678\n'
    )
    job = checked(login(client, alice), "contacts", content)
    assert problems(job) == [
        (2, "first_name", "A cell may not hold a formula; type the value itself.")
    ]
    assert not Contact.objects.exists()


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_is_read_with_its_numbers_and_dates_and_its_formulas_refused(client, victor):
    CustomerFactory.create(duns="100200300")
    ProductFactory.create(code="crm-suite")
    header = ["external_id", "customer_duns", "product", "currency", "mrr_minor", "started_on"]
    content = xlsx(
        [
            header,
            ["SUB-1", 100200300, "crm-suite", "USD", 50000, datetime.datetime(2026, 1, 31)],
            ["SUB-2", 100200300, "crm-suite", "USD", "=A1*2", datetime.datetime(2026, 1, 31)],
        ]
    )
    job = checked(login(client, victor), "subscriptions", content, "subs.xlsx")
    assert (3, "mrr_minor", "A cell may not hold a formula; type the value itself.") in problems(
        job
    )
    assert all(line == 3 for line, _column, _message in problems(job))


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client, victor, settings):
    settings.OPENPRM_IMPORT_MAX_BYTES = 1024
    content = CUSTOMER_HEADER + "100200300,Acme,US,USD,\n" * 5000
    response = upload(login(client, victor), "customers", content)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "file"
    page = client.post(
        reverse("imports:upload"),
        {"kind": "customers", "file": SimpleUploadedFile("big.csv", content.encode())},
    )
    assert page.status_code == 413
    assert "The file is larger than 0 MB." in page.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_maps_itself_and_its_example_passes(client, victor, file_format):
    CustomerFactory.create(duns="123456789")
    ProductFactory.create(code="crm-pro")
    login(client, victor)
    template = client.get(f"/api/v1/imports/templates/subscriptions/{file_format}")
    assert template.status_code == 200
    job = checked(client, "subscriptions", template.content, f"template.{file_format}")
    assert (job["status"], job["created_count"]) == ("ready", 1)
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(template.content)).active
        assert sheet.cell(1, 1).value == "external_id"


def test_a_large_file_is_checked_and_imported_by_the_worker(
    client, victor, settings, django_capture_on_commit_callbacks
):
    settings.OPENPRM_IMPORT_INLINE_MAX_ROWS = 1
    content = CUSTOMER_HEADER + "100200300,Acme,US,USD,\n100200301,Initech,US,USD,\n"
    job = upload(login(client, victor), "customers", content).json()
    with django_capture_on_commit_callbacks() as queued:
        response = check(client, job)
    assert (response.status_code, response.json()["status"], len(queued)) == (202, "checking", 1)
    assert import_run(job_id=job["id"]) == ImportStatus.READY
    assert not default_storage.exists(progress.name(job["id"]))
    assert start(client, job).status_code == 202
    assert import_run(job_id=job["id"]) == ImportStatus.DONE
    assert Customer.objects.filter(duns__in=["100200300", "100200301"]).count() == 2


def test_the_page_shows_the_workers_progress(client, victor, settings):
    settings.OPENPRM_IMPORT_INLINE_MAX_ROWS = 1
    content = CUSTOMER_HEADER + "100200300,Acme,US,USD,\n100200301,Initech,US,USD,\n"
    job = upload(login(client, victor), "customers", content).json()
    check(client, job)
    progress.write(job["id"], 1, 2)
    page = client.get(reverse("imports:detail", args=[job["id"]])).content.decode()
    assert 'aria-valuenow="50"' in page
    assert 'http-equiv="refresh"' in page


def test_the_upload_page_maps_the_columns_and_previews(client, victor):
    login(client, victor)
    form = client.get(reverse("imports:upload")).content.decode()
    assert "What to import" in form
    content = CUSTOMER_HEADER + "100200300,Acme,US,USD,\n"
    response = client.post(
        reverse("imports:upload"),
        {"kind": "customers", "file": SimpleUploadedFile("c.csv", content.encode())},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:detail", args=[job.pk])
    mapping = {"duns": "duns", "name": "name", "country": "country", "currency": "currency"}
    client.post(reverse("imports:check", args=[job.pk]), mapping)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Every row passed the check. Nothing is written yet." in page
    client.post(reverse("imports:start", args=[job.pk]))
    assert Customer.objects.filter(duns="100200300", name="Acme").exists()


def test_a_vendor_kind_is_not_a_partners_choice(client, alice):
    response = upload(login(client, alice), "customers", CUSTOMER_HEADER)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_another_partners_import_is_not_found(client, alice, charlie):
    job = upload(login(client, alice), "contacts", CONTACT_HEADER + "Aiko,,,\n").json()
    login(client, charlie)
    assert_not_found(client.get(f"/api/v1/imports/{job['id']}"), "Aiko")
    assert_not_found(client.post(f"/api/v1/imports/{job['id']}/start"))
    assert ImportJob.objects.get(pk=job["id"]).status == job["status"]


def test_starting_an_import_with_errors_says_so_in_a_sentence(client, alice):
    job = checked(login(client, alice), "contacts", CONTACT_HEADER + "Cara,Diaz,not-an-email,\n")

    response = start(client, job)

    assert response.status_code == 409
    assert response.json()["message"] == (
        "This import has errors: correct the file or the column mapping and check it again."
    )


def test_checking_a_finished_import_says_it_has_finished(client, alice):
    job = checked(login(client, alice), "contacts", CONTACT_HEADER + "Aiko,Tanaka,,\n")
    assert start(client, job).json()["status"] == "done"

    response = check(client, job)

    assert response.status_code == 409
    assert response.json()["message"] == (
        "This import has finished: upload the file again to import it once more."
    )


def test_the_list_of_imports_comes_a_page_at_a_time(client, alice):
    token = bearer(client, alice)
    for name in ("first.csv", "second.csv", "third.csv"):
        file = SimpleUploadedFile(name, (CONTACT_HEADER + "Aiko,,,\n").encode())
        client.post("/api/v1/imports", {"kind": "contacts", "file": file}, **token)

    page = client.get("/api/v1/imports?limit=2&offset=1", **token).json()

    assert page["count"] == 3
    assert [job["filename"] for job in page["items"]] == ["second.csv", "first.csv"]


@pytest.mark.parametrize("header", ["E-mail", "e-mail", "Email address", "EMAIL_ADDRESS"])
def test_an_email_header_however_spelled_is_suggested_for_the_email(client, alice, header):
    content = f"First name,Last name,{header}\nAiko,Tanaka,aiko@contoso.example\n"

    job = upload(login(client, alice), "contacts", content).json()

    assert job["mapping"] == {"first_name": "First name", "last_name": "Last name",
                              "email": header}  # fmt: skip


def hundred_thousand_customers() -> str:
    """Unique DUNS numbers, names and domains, in several countries and currencies."""
    markets = (("US", "USD"), ("JP", "JPY"), ("DE", "EUR"), ("TH", "THB"))
    return "duns,name,country,currency,domain,city\n" + "".join(
        f"{300_000_000 + 7 * n},Customer {n} Ltd,{markets[n % 4][0]},{markets[n % 4][1]},"
        f"customer-{n}.example,City {n % 97}\n"
        for n in range(100_000)
    )


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the 100,000-row target is SQLite's; PostgreSQL runs the same chunked writes in "
    "test_a_large_file_is_checked_and_imported_by_the_worker, and CI stays under 30 minutes",
)
def test_a_file_of_100000_rows_is_imported_by_the_worker_to_the_last_row(
    client, victor, monkeypatch
):
    """Issue 12: a file of the largest size allowed, checked and imported by the worker, shows
    its progress up to 100 % and writes every row. Its time is measured by
    benchmarks/import_100k.py, not here."""
    CustomerFactory.create(duns="300000000", name="Customer 0 (old name)")
    job = upload(login(client, victor), "customers", hundred_thousand_customers()).json()
    assert job["row_count"] == 100_000
    seen: list[int] = []
    write = progress.write

    def write_and_read(job_id: int, done: int, total: int) -> None:
        write(job_id, done, total)
        seen.append(client.get(f"/api/v1/imports/{job_id}").json()["percent"])

    monkeypatch.setattr(progress, "write", write_and_read)
    assert check(client, job).json()["status"] == "checking"
    assert import_run(job_id=job["id"]) == ImportStatus.READY
    seen.clear()
    assert start(client, job).json()["status"] == "importing"
    assert import_run(job_id=job["id"]) == ImportStatus.DONE
    done = client.get(f"/api/v1/imports/{job['id']}").json()
    assert (done["status"], done["created_count"], done["updated_count"]) == ("done", 99_999, 1)
    assert (seen[0], seen[-1]) == (0, 100)
    assert seen == sorted(seen)
    assert Customer.objects.filter(duns__gte="300000000", duns__lte="300699993").count() == 100_000
    assert Customer.objects.get(duns="300699993").domain == "customer-99999.example"
