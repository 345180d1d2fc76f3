"""C10 through the API and Program settings: the program admin adds and changes the pipeline's
stages; bad input names the field and writes nothing; each change is in the audit log."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry

from openprm.accounts.tests.test_api import bearer
from openprm.core.errors import Conflict
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.deals.models import Deal, PipelineStage
from openprm.deals.pipeline import services as pipeline_services
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db

JSON = "application/json"


def post(client, user, **body):
    return client.post("/api/v1/deal-stages", body, content_type=JSON, **bearer(client, user))


def patch(client, user, stage, **body):
    return client.patch(
        f"/api/v1/deal-stages/{stage.pk}", body, content_type=JSON, **bearer(client, user)
    )


def test_the_program_admin_adds_a_stage_and_the_audit_log_records_it(client, victor):
    response = post(client, victor, name="Proof of concept", outcome="open", position=25)

    assert response.status_code == 201
    created = response.json()
    assert (created["name"], created["outcome"], created["position"]) == (
        "Proof of concept", "open", 25,
    )  # fmt: skip
    event = Event.objects.get(kind="pipeline_stage.created")
    assert (event.actor, event.object_id) == (victor, str(created["id"]))
    assert event.data["changes"]["name"] == [None, "Proof of concept"]


def test_a_change_records_the_values_before_and_after(client, victor):
    stage = PipelineStage.objects.create(name="Demo", position=10)

    response = patch(client, victor, stage, name="Live demo", outcome="won")

    assert response.status_code == 200
    assert response.json()["name"] == "Live demo"
    event = Event.objects.get(kind="pipeline_stage.updated")
    assert event.data["changes"] == {"name": ["Demo", "Live demo"], "outcome": ["open", "won"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "demo"}, "name"),
        ({"name": "Next", "outcome": "maybe"}, "outcome"),
        ({"name": "Next", "position": -1}, "position"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(client, victor, body, field):
    PipelineStage.objects.create(name="Demo", position=10)
    before = PipelineStage.objects.count()

    response = post(client, victor, **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert PipelineStage.objects.count() == before
    assert not Event.objects.filter(kind__startswith="pipeline_stage.").exists()


def test_a_rename_to_another_stages_name_is_refused_and_nothing_changes(client, victor):
    PipelineStage.objects.create(name="Demo", position=10)
    stage = PipelineStage.objects.create(name="Pilot", position=20)

    response = patch(client, victor, stage, name="DEMO", position=30)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["name"]
    stage.refresh_from_db()
    assert (stage.name, stage.position) == ("Pilot", 20)


def test_a_partner_admin_cannot_change_the_pipeline(client, alice):
    response = post(client, alice, name="Ours")

    assert response.status_code == 403
    assert not PipelineStage.objects.filter(name="Ours").exists()


def test_program_settings_saves_through_the_same_service(client, victor):
    stage = PipelineStage.objects.create(name="Demo", position=10)
    client.force_login(victor)

    response = client.post(
        f"/admin/deals/pipelinestage/{stage.pk}/change/",
        {"name": "Workshop", "position": 15, "outcome": "open"},
    )

    assert response.status_code == 302
    event = Event.objects.get(kind="pipeline_stage.updated")
    assert (event.actor, event.data["changes"]["name"]) == (victor, ["Demo", "Workshop"])


def test_an_unknown_stage_is_a_404(client, victor):
    response = client.patch(
        "/api/v1/deal-stages/999999", {"position": 1}, content_type=JSON, **bearer(client, victor)
    )

    assert_not_found(response)


@pytest.mark.parametrize("adding", [True, False])
def test_program_settings_names_the_field_of_a_name_that_differs_only_in_case(
    client, victor, adding
):
    PipelineStage.objects.create(name="Demo", position=10)
    pilot = PipelineStage.objects.create(name="Pilot", position=20)
    client.force_login(victor)
    url = "/admin/deals/pipelinestage/" + ("add/" if adding else f"{pilot.pk}/change/")

    response = client.post(url, {"name": "DEMO", "position": 30, "outcome": "open"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["A stage with this name already exists."]
    }
    assert PipelineStage.objects.filter(name__iexact="demo").count() == 1
    assert not Event.objects.filter(kind__startswith="pipeline_stage.").exists()


def test_deleting_a_stage_in_program_settings_is_recorded(client, victor):
    stage = PipelineStage.objects.create(name="Demo", position=10)
    client.force_login(victor)

    response = client.post(f"/admin/deals/pipelinestage/{stage.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not PipelineStage.objects.filter(pk=stage.pk).exists()
    event = Event.objects.get(kind="pipeline_stage.deleted")
    assert (event.actor, event.object_id) == (victor, str(stage.pk))
    assert event.data["changes"]["name"] == ["Demo", None]


def test_deleting_stages_from_the_list_in_program_settings_records_each(client, victor):
    stages = [PipelineStage.objects.create(name=name, position=90) for name in ("Demo", "Pilot")]
    client.force_login(victor)

    response = client.post(
        "/admin/deals/pipelinestage/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [s.pk for s in stages]},
    )

    assert response.status_code == 302
    deleted = Event.objects.filter(kind="pipeline_stage.deleted")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in stages)


def messages_of(response):
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_deleting_stages_from_the_list_counts_only_the_deleted_and_names_the_refused(
    client, victor, alice
):
    in_use = PipelineStage.objects.create(name="Demo", position=90)
    unused = PipelineStage.objects.create(name="Pilot", position=91)
    Deal.objects.filter(pk=create_deal(actor=alice).pk).update(stage=in_use)
    client.force_login(victor)

    response = client.post(
        "/admin/deals/pipelinestage/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [in_use.pk, unused.pk]},
        follow=True,
    )

    assert sorted(messages_of(response)) == [
        ("error", "“Demo” was not deleted: Deals are at this stage. Move them to another stage "
                  "first."),
        ("success", "Deleted 1 pipeline stage."),
    ]  # fmt: skip
    assert list(PipelineStage.objects.filter(pk__in=[in_use.pk, unused.pk])) == [in_use]
    history = LogEntry.objects.filter(action_flag=DELETION)
    assert list(history.values_list("object_repr", flat=True)) == ["Pilot"]


def test_a_delete_the_service_refuses_says_why_and_not_that_it_was_deleted(
    client, victor, monkeypatch
):
    """Deals at a stage already keep Django from offering the delete; any other refusal of the
    service (a deal moved there meanwhile) is told as such."""
    stage = PipelineStage.objects.create(name="Demo", position=90)

    def refuse(*, actor, stage):
        raise Conflict("Deals are at this stage.", code="stage_in_use")

    monkeypatch.setattr(pipeline_services, "pipeline_stage_delete", refuse)
    client.force_login(victor)

    response = client.post(
        f"/admin/deals/pipelinestage/{stage.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"/admin/deals/pipelinestage/{stage.pk}/change/"
    assert messages_of(response) == [("error", "“Demo” was not deleted: Deals are at this stage.")]
    assert PipelineStage.objects.filter(pk=stage.pk).exists()


def delete(client, user, stage):
    return client.delete(f"/api/v1/deal-stages/{stage.pk}", **bearer(client, user))


def test_the_program_admin_removes_an_unused_stage_and_the_audit_log_records_it(client, victor):
    stage = PipelineStage.objects.create(name="Demo", position=10)

    response = delete(client, victor, stage)

    assert response.status_code == 204
    assert not PipelineStage.objects.filter(pk=stage.pk).exists()
    event = Event.objects.get(kind="pipeline_stage.deleted")
    assert event.data["changes"] == {"name": ["Demo", None], "outcome": ["open", None],
                                     "position": [10, None]}  # fmt: skip


def test_a_stage_a_deal_is_at_is_kept_with_a_409(client, victor, alice):
    stage = PipelineStage.objects.create(name="Demo", position=10)
    Deal.objects.filter(pk=create_deal(actor=alice).pk).update(stage=stage)

    response = delete(client, victor, stage)

    assert response.status_code == 409
    assert PipelineStage.objects.filter(pk=stage.pk).exists()
    assert not Event.objects.filter(kind="pipeline_stage.deleted").exists()


def test_a_partner_admin_cannot_remove_a_stage(client, alice):
    stage = PipelineStage.objects.create(name="Demo", position=10)

    assert delete(client, alice, stage).status_code == 403
    assert PipelineStage.objects.filter(pk=stage.pk).exists()
