import pytest

from openprm.accounts import services
from openprm.accounts.models import ApiToken
from openprm.core.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def add_tokens(user):
    def add(count: int) -> None:
        for number in range(count):
            services.api_token_create(user=user, name=f"token {number}")

    return add


def test_token_list_costs_the_same_for_three_or_nine_tokens(client, alice):
    client.force_login(alice, backend=MODEL_BACKEND)
    few, many = assert_queries_do_not_grow(
        lambda: client.get("/api/v1/auth/tokens"), add_tokens(alice)
    )
    assert (len(few.json()), len(many.json())) == (3, 9)


def test_token_list_stays_within_its_query_budget(client, alice, django_assert_max_num_queries):
    client.force_login(alice, backend=MODEL_BACKEND)
    add_tokens(alice)(5)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/auth/tokens")
    assert response.status_code == 200


def test_me_stays_within_its_query_budget(client, alice, django_assert_max_num_queries):
    client.force_login(alice, backend=MODEL_BACKEND)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/me")
    assert response.status_code == 200


def test_a_query_per_row_is_caught(client, alice):
    def listing_with_a_query_per_token():
        response = client.get("/api/v1/auth/tokens")
        for token in ApiToken.objects.filter(user=alice):
            _ = token.user.email
        return response

    client.force_login(alice, backend=MODEL_BACKEND)
    with pytest.raises(AssertionError, match="a query per row"):
        assert_queries_do_not_grow(listing_with_a_query_per_token, add_tokens(alice))


def test_a_users_detail_stays_within_its_query_budget(
    client, alice, bob, django_assert_max_num_queries
):
    client.force_login(alice, backend=MODEL_BACKEND)
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/users/{bob.pk}")
    assert response.status_code == 200
