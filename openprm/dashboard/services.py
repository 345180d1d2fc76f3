"""Writes of the dashboard: static customer lists, saved reports and exports (E3, E4).

Every write runs in a transaction and records a domain event; the worker's export job and the
notification that announces it are queued after the commit.
"""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import field_error
from openprm.core.events import record_event
from openprm.crm.models import Customer
from openprm.dashboard.exports import clean_export_name, write_export_file
from openprm.dashboard.models import (
    CustomerList,
    CustomerListMember,
    Export,
    ExportFormat,
    ReportKind,
    SavedReport,
)
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import report_row_count
from openprm.dashboard.selectors import own_partner
from openprm.dashboard.tasks import build_export


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join(name.split())
    if not name:
        raise field_error(field, _("Give it a name."), "required")
    if len(name) > 120:
        raise field_error(field, _("A name has at most 120 characters."), "too_long")
    return name


def _known_customers(customer_ids: list[int]) -> list[int]:
    wanted = sorted(set(customer_ids))
    found = set(Customer.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise field_error("customer_ids", _("No such customer: %(ids)s.") % {"ids": missing})
    return wanted


def _add_members(customer_list: CustomerList, customer_ids: list[int]) -> int:
    present = set(customer_list.members.values_list("customer_id", flat=True))
    new = [pk for pk in _known_customers(customer_ids) if pk not in present]
    CustomerListMember.objects.bulk_create(
        CustomerListMember(customer_list=customer_list, customer_id=pk) for pk in new
    )
    return len(new)


@transaction.atomic
def customer_list_create(*, actor: User, name: str, customer_ids: list[int]) -> CustomerList:
    """ "Use in list" with a new list: the report's customers become its members."""
    partner = own_partner(actor)
    name = _clean_name(name)
    try:
        with transaction.atomic():
            customer_list = CustomerList.objects.create(
                organization=partner, name=name, created_by=actor
            )
    except IntegrityError:
        raise field_error(
            "name", _("You already have a list with this name."), "duplicate"
        ) from None
    added = _add_members(customer_list, customer_ids)
    record_event(
        kind="dashboard.list_created",
        obj=customer_list,
        actor=actor,
        organization=partner,
        data={"name": name, "members": added},
    )
    return customer_list


def _list_changed(
    locked: CustomerList,
    *,
    actor: User,
    kind: str,
    data: dict[str, Any],
    fields: tuple[str, ...] = (),
) -> None:
    """A list's membership or name changed: a new version, and the event that says so."""
    locked.bump_version()
    locked.save(update_fields=[*fields, "version", "updated_at"])
    record_event(kind=kind, obj=locked, actor=actor, organization=locked.organization, data=data)


@transaction.atomic
def customer_list_add(*, customer_list: CustomerList, actor: User, customer_ids: list[int]) -> int:
    """ "Use in list" with an existing static list; customers already on it stay once."""
    locked = CustomerList.objects.select_for_update().get(pk=customer_list.pk)
    added = _add_members(locked, customer_ids)
    if added:
        _list_changed(
            locked, actor=actor, kind="dashboard.list_members_added", data={"added": added}
        )
    return added


@transaction.atomic
def customer_list_rename(
    *, customer_list: CustomerList, actor: User, name: str, expected_version: int | None = None
) -> CustomerList:
    locked = CustomerList.objects.select_for_update().get(pk=customer_list.pk)
    locked.check_version(expected_version)
    name = _clean_name(name)
    taken = CustomerList.objects.filter(organization=locked.organization, name=name)
    if taken.exclude(pk=locked.pk).exists():
        raise field_error("name", _("You already have a list with this name."), "duplicate")
    locked.name = name
    _list_changed(
        locked, actor=actor, kind="dashboard.list_renamed", data={"name": name}, fields=("name",)
    )
    return locked


@transaction.atomic
def customer_list_remove_member(
    *, customer_list: CustomerList, actor: User, customer_id: int
) -> bool:
    locked = CustomerList.objects.select_for_update().get(pk=customer_list.pk)
    removed, _counts = locked.members.filter(customer_id=customer_id).delete()
    if removed:
        _list_changed(
            locked,
            actor=actor,
            kind="dashboard.list_member_removed",
            data={"customer": customer_id},
        )
    return bool(removed)


@transaction.atomic
def customer_list_delete(*, customer_list: CustomerList, actor: User) -> None:
    record_event(
        kind="dashboard.list_deleted",
        obj=customer_list,
        actor=actor,
        organization=customer_list.organization,
        data={"name": customer_list.name},
    )
    customer_list.delete()


def _check_kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise field_error("kind", _("Unknown report."), "invalid_choice")
    return kind


@transaction.atomic
def saved_report_create(
    *,
    actor: User,
    name: str,
    kind: str,
    period: Period,
    description: str = "",
    on_dashboard: bool = False,
) -> SavedReport:
    """ "Save as report" ("Save and add" also puts it on the dashboard)."""
    partner = own_partner(actor)
    report = SavedReport(
        organization=partner,
        name=_clean_name(name),
        description=description.strip(),
        kind=_check_kind(kind),
        start=period.start,
        end=period.end,
        on_dashboard=on_dashboard,
        created_by=actor,
    )
    report.full_clean(exclude=["organization", "created_by"])
    report.save()
    record_event(
        kind="dashboard.report_saved",
        obj=report,
        actor=actor,
        organization=partner,
        data={"kind": kind, "on_dashboard": on_dashboard},
    )
    return report


@transaction.atomic
def saved_report_update(
    *,
    report: SavedReport,
    actor: User,
    expected_version: int | None = None,
    name: str | None = None,
    description: str | None = None,
    period: Period | None = None,
    on_dashboard: bool | None = None,
) -> SavedReport:
    locked = SavedReport.objects.select_for_update().get(pk=report.pk)
    locked.check_version(expected_version)
    if name is not None:
        locked.name = _clean_name(name)
    if description is not None:
        locked.description = description.strip()
    if period is not None:
        locked.start, locked.end = period.start, period.end
    if on_dashboard is not None:
        locked.on_dashboard = on_dashboard
    locked.bump_version()
    locked.full_clean(exclude=["organization", "created_by"])
    locked.save()
    record_event(
        kind="dashboard.report_updated", obj=locked, actor=actor, organization=locked.organization
    )
    return locked


@transaction.atomic
def saved_report_delete(*, report: SavedReport, actor: User) -> None:
    record_event(
        kind="dashboard.report_deleted",
        obj=report,
        actor=actor,
        organization=report.organization,
        data={"name": report.name},
    )
    report.delete()


@transaction.atomic
def export_create(*, actor: User, name: str, file_format: str, kind: str, period: Period) -> Export:
    """ "Export unsummarized data": small exports are made at once; larger ones by the
    worker, which notifies the requester with the download link."""
    partner = own_partner(actor)
    name = clean_export_name(name)
    if file_format not in ExportFormat.values:
        raise field_error("file_format", _("Choose CSV or XLSX."), "invalid_choice")
    _check_kind(kind)
    export = Export.objects.create(
        organization=partner,
        requested_by=actor,
        name=name,
        file_format=file_format,
        kind=kind,
        start=period.start,
        end=period.end,
    )
    rows = report_row_count(user=actor, partner=partner, kind=kind, period=period)
    inline = rows <= settings.OPENPRM_EXPORT_INLINE_MAX_ROWS
    if inline:
        write_export_file(export)
    else:
        export_id = export.pk
        transaction.on_commit(lambda: build_export.enqueue(export_id))
    record_event(
        kind="dashboard.export_requested",
        obj=export,
        actor=actor,
        organization=partner,
        data={"kind": kind, "format": file_format, "rows": rows, "inline": inline},
    )
    return export
