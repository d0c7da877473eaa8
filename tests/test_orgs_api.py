"""The REST API of organisations and designations, token sign-in, the OpenAPI schema and docs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from reformtrack.core.services.tokens import create_token
from reformtrack.orgs.models import Designation, DesignationKind, Organisation
from reformtrack.orgs.uscc import ALPHABET
from tests.conftest import make_uscc

ORGS = "/api/orgs/organisations/"
DESIGNATIONS = "/api/orgs/designations/"


def fresh(org: Organisation) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


def result_codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def designate(org, code="DOUBLE_HUNDRED", **fields) -> Designation:
    fields.setdefault("valid_from", dt.date(2020, 1, 1))
    kind = DesignationKind.objects.get(code=code)
    return Designation.objects.create(organisation=org, kind=kind, **fields)


def bad_uscc(seed: int = 5) -> str:
    good = make_uscc(seed)
    return good[:17] + next(ch for ch in ALPHABET if ch != good[17])


# --- Organisations: reading ----------------------------------------------------------------


def test_list_is_scoped_and_paginated(api_for, people):
    response = api_for(people["viewer"]).get(ORGS)
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert result_codes(response) == ["GROUP-A", "A-SUB", "A-SUB2"]
    assert result_codes(api_for(people["outsider"]).get(ORGS)) == ["GROUP-B", "B-SUB"]


def test_list_pages(api_for, people):
    api = api_for(people["supervisor_admin"])
    first = api.get(ORGS, {"limit": 4}).json()
    assert first["count"] == 6
    assert len(first["results"]) == 4
    assert first["next"]
    second = api.get(first["next"]).json()
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert codes == ["SASAC", "GROUP-A", "A-SUB", "A-SUB2", "GROUP-B", "B-SUB"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "group"}, ["GROUP-A", "GROUP-B"]),
        ({"kind": "subsidiary", "within": "GROUP-B"}, ["B-SUB"]),
        ({"q": "甲孙"}, ["A-SUB2"]),
        ({"designation": "DOUBLE_HUNDRED"}, ["B-SUB"]),
        ({"level": 3}, ["A-SUB2"]),
    ],
)
def test_list_filters(api_for, tree, people, query, expected):
    designate(tree["B-SUB"])
    assert result_codes(api_for(people["supervisor_admin"]).get(ORGS, query)) == expected


def test_kind_filter_stays_in_scope(api_for, people):
    assert result_codes(api_for(people["viewer"]).get(ORGS, {"kind": "group"})) == ["GROUP-A"]


def test_detail_has_nested_designations(api_for, tree, people):
    designate(tree["GROUP-A"], "CHAIN_LEADER", chain="新材料", batch="第一批")
    designate(tree["GROUP-A"], "SCI_TECH_DEMO", valid_to=dt.date(2022, 12, 31))
    response = api_for(people["viewer"]).get(f"{ORGS}{tree['GROUP-A'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "GROUP-A"
    assert body["uscc"] == make_uscc(1)
    assert body["name_zh"] == "甲集团" and body["name_en"] == "Group A"
    assert (body["kind"], body["level"], body["parent"]) == ("group", 1, "SASAC")
    kinds = {d["kind"]: d for d in body["designations"]}
    assert set(kinds) == {"CHAIN_LEADER", "SCI_TECH_DEMO"}
    assert kinds["CHAIN_LEADER"]["chain"] == "新材料"
    assert kinds["CHAIN_LEADER"]["batch"] == "第一批"
    assert kinds["SCI_TECH_DEMO"]["valid_to"] == "2022-12-31"


def test_detail_outside_scope_is_404(api_for, tree, people):
    assert api_for(people["outsider"]).get(f"{ORGS}{tree['GROUP-A'].pk}/").status_code == 404
    assert api_for(people["contributor"]).get(f"{ORGS}{tree['GROUP-A'].pk}/").status_code == 404


# --- Organisations: writing ----------------------------------------------------------------


def new_org(**changes) -> dict:
    data = {"code": "A-NEW", "name_zh": "甲新公司", "kind": "subsidiary", "parent": "A-SUB"}
    data.update(changes)
    return data


def test_supervisor_admin_creates_with_parent_code(api_for, tree, people):
    response = api_for(people["supervisor_admin"]).post(
        ORGS, new_org(uscc=make_uscc(44), level=9), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["parent"], body["level"]) == ("A-NEW", "A-SUB", 3)
    org = Organisation.objects.get(code="A-NEW")
    assert body["id"] == org.pk
    assert (org.parent, org.level, org.uscc) == (tree["A-SUB"], 3, make_uscc(44))
    assert org in Organisation.objects.get_children(fresh(tree["A-SUB"]))
    # the new organisation is in the subtree of the people above it
    assert "A-NEW" in result_codes(api_for(people["viewer"]).get(ORGS))


def test_group_created_under_a_supervisor_is_level_1(api_for, people):
    response = api_for(people["supervisor_admin"]).post(
        ORGS, new_org(code="GROUP-C", kind="group", parent="SASAC"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 1


@pytest.mark.parametrize("who", ["reform_office", "viewer", "outsider"])
def test_create_is_refused_without_manage(api_for, people, who):
    response = api_for(people[who]).post(ORGS, new_org(), format="json")
    assert response.status_code in (403, 404)
    assert not Organisation.objects.filter(code="A-NEW").exists()


def test_create_outside_the_managed_subtree_or_at_the_top_is_refused(api_for, people):
    api = api_for(people["supervisor_admin"])
    response = api.post(ORGS, new_org(code="P-NEW", kind="group", parent="PROV"), format="json")
    assert response.status_code in (403, 404)
    response = api.post(ORGS, new_org(kind="supervisor", parent=None), format="json")
    assert response.status_code in (400, 403)
    assert not Organisation.objects.filter(code__in=["A-NEW", "P-NEW"]).exists()


def test_create_with_a_kind_that_does_not_fit_is_400(api_for, people):
    response = api_for(people["supervisor_admin"]).post(ORGS, new_org(kind="group"), format="json")
    assert response.status_code == 400
    assert "kind" in response.json()


@pytest.mark.parametrize("method", ["post", "patch"])
def test_invalid_uscc_is_400_naming_the_field(api_for, tree, people, method):
    api = api_for(people["supervisor_admin"])
    value = bad_uscc()
    if method == "post":
        response = api.post(ORGS, new_org(uscc=value), format="json")
    else:
        response = api.patch(f"{ORGS}{tree['A-SUB'].pk}/", {"uscc": value}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["uscc"]
    assert make_uscc(5)[17] in " ".join(errors["uscc"])
    assert fresh(tree["A-SUB"]).uscc is None
    assert not Organisation.objects.filter(code="A-NEW").exists()


def test_patch_renames(api_for, tree, people):
    org = tree["GROUP-A"]
    response = api_for(people["supervisor_admin"]).patch(
        f"{ORGS}{org.pk}/", {"name_zh": "甲控股集团", "name_en": "A Holdings"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name_zh"] == "甲控股集团"
    org = fresh(org)
    assert (org.name_zh, org.name_en, org.parent) == ("甲控股集团", "A Holdings", tree["SASAC"])


@pytest.mark.parametrize("who", ["reform_office", "viewer", "outsider"])
def test_patch_is_refused_without_manage(api_for, tree, people, who):
    org = tree["GROUP-A"]
    response = api_for(people[who]).patch(f"{ORGS}{org.pk}/", {"name_zh": "改"}, format="json")
    assert response.status_code in (403, 404)
    assert fresh(org).name_zh == "甲集团"


def test_patch_parent_moves_the_subtree(api_for, tree, people):
    response = api_for(people["supervisor_admin"]).patch(
        f"{ORGS}{tree['A-SUB'].pk}/", {"parent": "GROUP-B"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["parent"], response.json()["level"]) == ("GROUP-B", 2)
    a_sub, a_sub2 = fresh(tree["A-SUB"]), fresh(tree["A-SUB2"])
    assert a_sub.parent == tree["GROUP-B"]
    assert a_sub2.parent == a_sub and a_sub2.level == 3
    assert a_sub2.path.startswith(fresh(tree["GROUP-B"]).path)
    assert result_codes(api_for(people["outsider"]).get(ORGS)) == [
        "GROUP-B", "B-SUB", "A-SUB", "A-SUB2",
    ]  # fmt: skip
    assert result_codes(api_for(people["viewer"]).get(ORGS)) == ["GROUP-A"]


def test_patch_parent_under_a_descendant_is_400(api_for, tree, people):
    response = api_for(people["supervisor_admin"]).patch(
        f"{ORGS}{tree['A-SUB'].pk}/", {"parent": "A-SUB2"}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert fresh(tree["A-SUB"]).parent == tree["GROUP-A"]


def test_rejected_patch_does_not_move_half_way(api_for, tree, people):
    """A PATCH that moves and changes fields is one change: refused, nothing of it stays."""
    response = api_for(people["supervisor_admin"]).patch(
        f"{ORGS}{tree['A-SUB'].pk}/", {"parent": "GROUP-B", "is_active": False}, format="json"
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()
    a_sub = fresh(tree["A-SUB"])
    assert a_sub.is_active
    assert a_sub.parent == tree["GROUP-A"]
    assert a_sub.path.startswith(fresh(tree["GROUP-A"]).path)


def test_organisations_cannot_be_deleted(api_for, tree, people):
    response = api_for(people["supervisor_admin"]).delete(f"{ORGS}{tree['A-SUB2'].pk}/")
    assert response.status_code == 405
    assert Organisation.objects.filter(pk=tree["A-SUB2"].pk).exists()


# --- Designations --------------------------------------------------------------------------


def test_designation_crud_by_supervisor_admin(api_for, tree, people):
    api = api_for(people["supervisor_admin"])
    response = api.post(
        DESIGNATIONS,
        {"organisation": "GROUP-A", "kind": "DOUBLE_HUNDRED", "valid_from": "2020-08-01",
         "batch": "第二批", "source": "国资委通知"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    made = Designation.objects.get(pk=pk)
    assert (made.organisation, made.kind.code, made.batch) == (
        tree["GROUP-A"], "DOUBLE_HUNDRED", "第二批",
    )  # fmt: skip

    listed = api.get(DESIGNATIONS).json()["results"]
    assert [(d["id"], d["organisation"], d["kind"]) for d in listed] == [
        (pk, "GROUP-A", "DOUBLE_HUNDRED")
    ]
    assert api.get(f"{DESIGNATIONS}{pk}/").json()["valid_from"] == "2020-08-01"

    response = api.patch(f"{DESIGNATIONS}{pk}/", {"valid_to": "2023-07-31"}, format="json")
    assert response.status_code == 200, response.content
    assert Designation.objects.get(pk=pk).valid_to == dt.date(2023, 7, 31)
    org_detail = api.get(f"{ORGS}{tree['GROUP-A'].pk}/").json()
    assert org_detail["designations"][0]["valid_to"] == "2023-07-31"

    assert api.delete(f"{DESIGNATIONS}{pk}/").status_code == 204
    assert not Designation.objects.filter(pk=pk).exists()


def test_designation_list_filters(api_for, tree, people):
    designate(tree["A-SUB"])
    designate(tree["B-SUB"], "SCI_TECH_DEMO")
    designate(tree["GROUP-B"], valid_to=dt.date(2020, 12, 31))
    api = api_for(people["supervisor_admin"])

    def listed(query):
        return [
            (d["organisation"], d["kind"]) for d in api.get(DESIGNATIONS, query).json()["results"]
        ]

    assert listed({"kind": "DOUBLE_HUNDRED"}) == [
        ("A-SUB", "DOUBLE_HUNDRED"), ("GROUP-B", "DOUBLE_HUNDRED"),
    ]  # fmt: skip
    assert listed({"organisation": "B-SUB"}) == [("B-SUB", "SCI_TECH_DEMO")]
    assert set(listed({"current": "true"})) == {
        ("A-SUB", "DOUBLE_HUNDRED"), ("B-SUB", "SCI_TECH_DEMO"),
    }  # fmt: skip
    assert listed({"current": "false"}) == [("GROUP-B", "DOUBLE_HUNDRED")]
    viewer = api_for(people["viewer"]).get(DESIGNATIONS).json()["results"]
    assert [(d["organisation"], d["kind"]) for d in viewer] == [("A-SUB", "DOUBLE_HUNDRED")]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "CHAIN_LEADER"}, "chain"),
        ({"valid_to": "2019-12-31"}, None),
        ({"organisation": "NOPE"}, "organisation"),
        ({"kind": "NOPE"}, "kind"),
    ],
)
def test_designation_errors_are_400(api_for, people, data, field):
    payload = {"organisation": "GROUP-A", "kind": "DOUBLE_HUNDRED", "valid_from": "2020-01-01"}
    response = api_for(people["supervisor_admin"]).post(
        DESIGNATIONS, {**payload, **data}, format="json"
    )
    assert response.status_code == 400
    if field:
        assert field in response.json()
    assert not Designation.objects.exists()


def test_chain_leader_with_its_chain_is_created(api_for, people):
    response = api_for(people["supervisor_admin"]).post(
        DESIGNATIONS,
        {"organisation": "GROUP-A", "kind": "CHAIN_LEADER", "valid_from": "2021-12-01",
         "chain": "轨道交通装备"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert Designation.objects.get().chain == "轨道交通装备"


@pytest.mark.parametrize("who", ["reform_office", "viewer", "outsider"])
def test_designation_writes_need_manage(api_for, tree, people, who):
    existing = designate(tree["GROUP-A"])
    api = api_for(people[who])
    response = api.post(
        DESIGNATIONS,
        {"organisation": "GROUP-A", "kind": "SCI_TECH_DEMO", "valid_from": "2020-01-01"},
        format="json",
    )
    assert response.status_code in (403, 404)
    patched = api.patch(f"{DESIGNATIONS}{existing.pk}/", {"batch": "x"}, format="json")
    assert patched.status_code in (403, 404)
    assert api.delete(f"{DESIGNATIONS}{existing.pk}/").status_code in (403, 404)
    assert list(Designation.objects.all()) == [existing]
    assert Designation.objects.get().batch == ""


# --- Token sign-in, schema, docs -----------------------------------------------------------


def test_token_authentication(tree, people):
    _token, secret = create_token(user=people["viewer"], name="script")
    api = APIClient()
    assert api.get(ORGS).status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert result_codes(api.get(ORGS)) == ["GROUP-A", "A-SUB", "A-SUB2"]
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert api.get(ORGS).status_code == 401


def test_token_writes_are_scoped_and_audited(tree, people):
    from reformtrack.core.models import AuditRecord

    _token, secret = create_token(user=people["supervisor_admin"], name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = api.patch(f"{ORGS}{tree['B-SUB'].pk}/", {"name_en": "B Sub"}, format="json")
    assert response.status_code == 200, response.content
    record = AuditRecord.objects.filter(
        object_type="orgs.organisation", object_id=str(tree["B-SUB"].pk), action="update"
    ).get()
    assert record.actor_username == "sup"
    assert record.changes["name_en"] == {"before": "", "after": "B Sub"}


def test_administrators_get_no_api_token(tree, people):
    """A token would skip an administrator's second factor, and they reach no business data."""
    with pytest.raises(PermissionDenied):
        create_token(user=people["system"], name="script")


def test_schema_lists_the_org_paths(api_for, people):
    response = api_for(people["viewer"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/orgs/organisations/",
        "/api/orgs/organisations/{id}/",
        "/api/orgs/designations/",
        "/api/orgs/designations/{id}/",
    ):
        assert path in paths
    assert set(paths["/api/orgs/organisations/{id}/"]) >= {"get", "patch"}
    assert "delete" in paths["/api/orgs/designations/{id}/"]


def test_docs_render_without_anything_from_outside(client_for, people):
    response = client_for(people["viewer"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    refs = re.findall(r"""<(?:script|link|img)\b[^>]*?(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert refs, "the page loads its scripts and styles"
    off_host = [r for r in refs if re.match(r"^(https?:)?//", r)]
    assert off_host == []
    # the scripts and styles it names are served by this installation
    client = client_for(people["viewer"])
    for ref in refs:
        assert client.get(ref).status_code == 200, ref


def test_docs_need_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code in (302, 401, 403)
