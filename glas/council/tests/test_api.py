"""The council API: public, read-only, in the OpenAPI schema."""

from glas.council.tests.conftest import make_decision


def test_decisions_are_listed_with_their_public_address(client, decision):
    data = client.get("/api/v1/council/decisions").json()
    assert data["count"] == 1
    [item] = data["items"]
    assert item["public_id"] == str(decision.public_id)
    assert item["number"] == 101 and item["status"] == "adopted" and item["session_number"] == 5
    assert item["url"] == decision.get_absolute_url()


def test_decisions_can_be_searched_and_filtered(client, decision, council_secretary):
    make_decision(council_secretary, decision.session, number=102, title="Улично осветление", status="withdrawn")
    assert [d["number"] for d in client.get("/api/v1/council/decisions?q=осветление").json()["items"]] == [102]
    assert [d["number"] for d in client.get("/api/v1/council/decisions?status=adopted").json()["items"]] == [101]
    assert client.get("/api/v1/council/decisions?status=bogus").status_code == 422


def test_one_decision_comes_with_its_tally_and_roll_call(client, decision):
    data = client.get(f"/api/v1/council/decisions/{decision.public_id}").json()
    assert data["tally"] == {
        "votes_for": 3,
        "against": 1,
        "abstained": 0,
        "absent": 1,
        "present": 4,
        "needed": 3,
        "passes": True,
    }
    assert {vote["councillor"]: vote["vote"] for vote in data["votes"]}["Глеб Тестов"] == "against"


def test_an_unknown_decision_is_not_found(client, decision):
    assert client.get("/api/v1/council/decisions/00000000-0000-0000-0000-000000000000").status_code == 404


def test_councillors_and_sessions(client, decision, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        councillors = client.get("/api/v1/council/councillors").json()
    assert [c["name"] for c in councillors][:2] == ["Ана Тестова", "Борис Тестов"]
    assert councillors[0]["group"] == "Листа А" and councillors[0]["committees"] == ["Бюджет и финанси"]
    sessions = client.get("/api/v1/council/sessions").json()
    assert sessions["items"][0]["number"] == 5


def test_the_api_is_read_only(client_for, council_secretary, decision):
    response = client_for(council_secretary).post("/api/v1/council/decisions", {})
    assert response.status_code == 405


def test_the_council_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/council/decisions", "/api/v1/council/decisions/{public_id}", "/api/v1/council/councillors"} <= set(
        paths
    )


def test_out_of_range_filters_are_client_errors(client, decision):
    assert client.get("/api/v1/council/decisions?year=32000").status_code == 422
    assert client.get("/api/v1/council/decisions?q=%00").status_code == 200
