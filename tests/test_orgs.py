"""The organisation tree: unified social credit codes, tree rules, moves, designations, scoping,
and the organisation pages (list with filters and exports, tree, detail and the forms)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from reformtrack.core.models import AuditRecord
from reformtrack.core.scoping import Action, forget
from reformtrack.orgs import services
from reformtrack.orgs.models import Designation, DesignationKind, Organisation, RoleAssignment
from reformtrack.orgs.uscc import ALPHABET, check_character, validate_uscc
from tests.conftest import make_uscc

FIRST17 = "91310115MA1K4LXQ3"  # shaped like a Shanghai company's code
VALID = FIRST17 + check_character(FIRST17)


# The export columns, in order (the header row names them in the user's language).
EXPORT_COLUMNS = [
    "code", "uscc", "name_zh", "name_en", "short_name_zh", "short_name_en",
    "parent", "kind", "level", "active", "designations",
]  # fmt: skip


def fresh(org: Organisation) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def uscc_error(value: str) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as info:
        validate_uscc(value)
    return info.value


def kind(code: str) -> DesignationKind:
    return DesignationKind.objects.get(code=code)


def designate(org, code="DOUBLE_HUNDRED", **fields) -> Designation:
    fields.setdefault("valid_from", dt.date(2020, 1, 1))
    return services.add_designation(user=None, organisation=org, kind=kind(code), **fields)


# --- Unified social credit code ------------------------------------------------------------


def test_valid_uscc_is_accepted_in_any_case():
    assert all(ch in ALPHABET for ch in VALID)
    validate_uscc(VALID)
    validate_uscc(VALID.lower())
    validate_uscc(f"  {VALID} ")


def test_uscc_check_character_of_a_known_code():
    # GB 32100-2015 worked example: 91350100M000100Y4 → check character 3.
    assert check_character("91350100M000100Y4") == "3"
    validate_uscc("91350100M000100Y43")


@pytest.mark.parametrize("value", [VALID[:17], VALID + "1", "", "9131"])
def test_uscc_of_wrong_length_is_refused_with_its_length(value):
    error = uscc_error(value)
    assert error.code == "uscc_length"
    assert error.messages == [
        f"A unified social credit code has 18 characters; this one has {len(value)}."
    ]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_with_a_forbidden_letter_is_refused_naming_it(letter):
    value = VALID[:10] + letter + VALID[11:]
    error = uscc_error(value)
    assert error.code == "uscc_chars"
    assert error.messages == [f"A unified social credit code cannot contain {letter}."]


def test_uscc_with_a_wrong_check_character_names_the_expected_one():
    expected = VALID[17]
    wrong = next(ch for ch in ALPHABET if ch != expected)
    error = uscc_error(VALID[:17] + wrong)
    assert error.code == "uscc_check"
    assert error.messages == [
        f"The check character of {VALID[:17] + wrong} should be {expected}, not {wrong}."
    ]


def test_uscc_message_in_chinese_names_the_expected_check_character():
    expected = VALID[17]
    wrong = next(ch for ch in ALPHABET if ch != expected and ch not in VALID)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_uscc(VALID[:17] + wrong)
    [message] = info.value.messages
    assert f" {expected}" in message and wrong in message


def test_organisation_with_a_bad_uscc_is_not_created(tree):
    bad = make_uscc(7)[:17] + next(ch for ch in ALPHABET if ch != make_uscc(7)[17])
    with pytest.raises(ValidationError) as info:
        services.create_organisation(
            user=None, parent=tree["GROUP-A"], code="A-BAD", name_zh="坏", kind="subsidiary",
            uscc=bad,
        )  # fmt: skip
    assert "uscc" in info.value.message_dict
    assert not Organisation.objects.filter(code="A-BAD").exists()


def test_uscc_is_stored_upper_case_and_must_be_unique(tree):
    org = services.create_organisation(
        user=None, parent=tree["GROUP-A"], code="a-low", name_zh="小写", kind="subsidiary",
        uscc=make_uscc(9).lower(),
    )  # fmt: skip
    assert (org.code, org.uscc) == ("A-LOW", make_uscc(9))
    with pytest.raises(ValidationError) as info:
        services.create_organisation(
            user=None, parent=tree["GROUP-B"], code="B-DUP", name_zh="重复", kind="subsidiary",
            uscc=make_uscc(9),
        )  # fmt: skip
    assert "uscc" in info.value.message_dict


# --- Creating organisations ----------------------------------------------------------------


def test_levels_follow_the_tree(tree):
    levels = {code: fresh(org).level for code, org in tree.items()}
    assert levels == {
        "SASAC": 0, "GROUP-A": 1, "A-SUB": 2, "A-SUB2": 3, "GROUP-B": 1, "B-SUB": 2, "PROV": 0,
    }  # fmt: skip
    assert fresh(tree["A-SUB2"]).parent == tree["A-SUB"]
    assert fresh(tree["SASAC"]).parent is None


@pytest.mark.parametrize(
    ("kind_", "parent"),
    [
        ("group", None),
        ("group", "GROUP-A"),
        ("group", "A-SUB"),
        ("subsidiary", None),
        ("subsidiary", "SASAC"),
        ("supervisor", "GROUP-A"),
        ("supervisor", "A-SUB"),
    ],
)
def test_kind_must_fit_its_parent(tree, kind_, parent):
    with pytest.raises(ValidationError) as info:
        services.create_organisation(
            user=None, parent=tree[parent] if parent else None, code="NEW", name_zh="新",
            kind=kind_,
        )  # fmt: skip
    assert "kind" in info.value.message_dict
    assert not Organisation.objects.filter(code="NEW").exists()


@pytest.mark.parametrize(
    ("kind_", "parent", "level"),
    [("group", "PROV", 1), ("subsidiary", "GROUP-B", 2), ("subsidiary", "A-SUB2", 4)],
)
def test_kind_under_allowed_parent_gets_its_level(tree, kind_, parent, level):
    org = services.create_organisation(
        user=None, parent=tree[parent], code="NEW", name_zh="新", kind=kind_
    )
    org = fresh(org)
    assert org.level == level
    assert org.parent == tree[parent]
    assert org in Organisation.objects.get_children(tree[parent])


def test_a_closed_organisation_needs_its_closing_date(tree):
    with pytest.raises(ValidationError) as info:
        services.create_organisation(
            user=None, parent=tree["GROUP-A"], code="GONE", name_zh="已注销", kind="subsidiary",
            is_active=False,
        )  # fmt: skip
    assert "closed_on" in info.value.message_dict
    org = services.create_organisation(
        user=None, parent=tree["GROUP-A"], code="GONE", name_zh="已注销", kind="subsidiary",
        is_active=False, closed_on=dt.date(2023, 6, 30),
    )  # fmt: skip
    assert fresh(org).closed_on == dt.date(2023, 6, 30)
    assert not fresh(org).is_active


def test_only_managers_create_and_nobody_adds_a_root(tree, people):
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            user=people["reform_office"], parent=tree["GROUP-A"], code="X", name_zh="x",
            kind="subsidiary",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            user=people["supervisor_admin"], parent=None, code="X", name_zh="x", kind="supervisor"
        )
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            user=people["supervisor_admin"], parent=tree["PROV"], code="X", name_zh="x",
            kind="group",
        )  # fmt: skip
    org = services.create_organisation(
        user=people["supervisor_admin"], parent=tree["GROUP-A"], code="X", name_zh="x",
        kind="subsidiary",
    )  # fmt: skip
    assert fresh(org).level == 2
    assert not Organisation.objects.filter(code="X").exclude(pk=org.pk).exists()


# --- Moving subtrees -----------------------------------------------------------------------


def test_move_takes_the_whole_subtree(tree, people):
    services.move_organisation(
        user=people["supervisor_admin"], organisation=tree["A-SUB"], new_parent=tree["GROUP-B"]
    )
    a_sub, a_sub2, group_b = fresh(tree["A-SUB"]), fresh(tree["A-SUB2"]), fresh(tree["GROUP-B"])
    assert a_sub.parent == group_b
    assert a_sub2.parent == a_sub
    assert a_sub.path.startswith(group_b.path) and a_sub2.path.startswith(a_sub.path)
    assert (a_sub.level, a_sub2.level) == (2, 3)
    assert codes(Organisation.objects.get_descendants(group_b)) == {"B-SUB", "A-SUB", "A-SUB2"}
    assert codes(Organisation.objects.get_descendants(fresh(tree["GROUP-A"]))) == set()
    assert fresh(tree["GROUP-A"]).numchild == 0
    assert group_b.numchild == 2

    group_b_user = people["outsider"]
    viewer = people["viewer"]
    forget(group_b_user), forget(viewer)
    assert codes(Organisation.objects.visible_to(group_b_user)) == {
        "GROUP-B", "B-SUB", "A-SUB", "A-SUB2",
    }  # fmt: skip
    assert codes(Organisation.objects.visible_to(viewer)) == {"GROUP-A"}
    # the contributor's role was granted on A-SUB and moved with it
    forget(people["contributor"])
    assert codes(Organisation.objects.visible_to(people["contributor"])) == {"A-SUB", "A-SUB2"}


def test_move_a_subsidiary_deeper_relevels_its_descendants(tree):
    services.move_organisation(user=None, organisation=tree["A-SUB"], new_parent=tree["B-SUB"])
    assert fresh(tree["A-SUB"]).level == 3
    assert fresh(tree["A-SUB2"]).level == 4
    assert fresh(tree["A-SUB"]).parent == tree["B-SUB"]


def test_move_a_group_to_another_supervisor_keeps_roles(tree, people):
    services.move_organisation(user=None, organisation=tree["GROUP-A"], new_parent=tree["PROV"])
    assert fresh(tree["GROUP-A"]).parent == tree["PROV"]
    assert [fresh(tree[c]).level for c in ("GROUP-A", "A-SUB", "A-SUB2")] == [1, 2, 3]
    forget(people["viewer"])
    assert codes(Organisation.objects.visible_to(people["viewer"])) == {
        "GROUP-A", "A-SUB", "A-SUB2",
    }  # fmt: skip
    forget(people["supervisor_admin"])
    assert codes(Organisation.objects.visible_to(people["supervisor_admin"])) == {
        "SASAC", "GROUP-B", "B-SUB",
    }  # fmt: skip


@pytest.mark.parametrize("target", ["A-SUB", "A-SUB2"])
def test_move_under_itself_or_its_descendant_is_refused(tree, target):
    before = {code: (fresh(o).path, fresh(o).parent_id) for code, o in tree.items()}
    with pytest.raises(ValidationError) as info:
        services.move_organisation(user=None, organisation=tree["A-SUB"], new_parent=tree[target])
    assert "parent" in info.value.message_dict
    assert {code: (fresh(o).path, fresh(o).parent_id) for code, o in tree.items()} == before


def test_move_must_fit_kinds(tree):
    with pytest.raises(ValidationError) as info:
        services.move_organisation(
            user=None, organisation=tree["GROUP-A"], new_parent=tree["B-SUB"]
        )
    assert "kind" in info.value.message_dict
    assert fresh(tree["GROUP-A"]).parent == tree["SASAC"]


def test_move_needs_manage_on_both_ends(tree, people):
    with pytest.raises(PermissionDenied):
        services.move_organisation(
            user=people["reform_office"], organisation=tree["A-SUB2"], new_parent=tree["GROUP-A"]
        )
    with pytest.raises(PermissionDenied):
        services.move_organisation(
            user=people["supervisor_admin"], organisation=tree["GROUP-A"], new_parent=tree["PROV"]
        )
    assert fresh(tree["GROUP-A"]).parent == tree["SASAC"]


def test_move_is_recorded_and_history_kept(tree, people):
    org = tree["A-SUB"]
    history = AuditRecord.objects.filter(object_type="orgs.organisation", object_id=str(org.pk))
    assert history.filter(action="create").count() == 1
    services.move_organisation(
        user=people["supervisor_admin"], organisation=org, new_parent=tree["GROUP-B"]
    )
    move = history.get(action="move")
    assert move.changes == {"parent": {"before": "GROUP-A", "after": "GROUP-B"}}
    assert history.filter(action="create").count() == 1  # earlier history still there


# --- Designations --------------------------------------------------------------------------


def test_designation_cannot_end_before_it_starts(tree):
    with pytest.raises(ValidationError):
        designate(tree["GROUP-A"], valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2021, 12, 31))
    assert not Designation.objects.exists()
    same_day = designate(
        tree["GROUP-A"], valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2022, 1, 1)
    )
    assert same_day.pk


def test_chain_leader_names_its_chain(tree):
    with pytest.raises(ValidationError) as info:
        designate(tree["GROUP-A"], "CHAIN_LEADER")
    assert "chain" in info.value.message_dict
    made = designate(tree["GROUP-A"], "CHAIN_LEADER", chain="轨道交通装备")
    assert Designation.objects.get(pk=made.pk).chain == "轨道交通装备"


def test_current_designations(tree):
    today = dt.date.today()
    org = tree["GROUP-A"]
    ended = designate(org, valid_from=dt.date(2018, 1, 1), valid_to=today - dt.timedelta(days=1))
    running = designate(org, "SCI_TECH_DEMO", valid_from=dt.date(2020, 1, 1))
    ends_today = designate(org, "MGMT_BENCHMARK", valid_from=dt.date(2020, 1, 1), valid_to=today)
    future = designate(org, valid_from=today + dt.timedelta(days=30))
    assert set(Designation.objects.current()) == {running, ends_today}
    assert set(Designation.objects.current(on=dt.date(2019, 1, 1))) == {ended}
    assert set(Designation.objects.current(on=today + dt.timedelta(days=31))) == {running, future}
    assert running.is_current() and not ended.is_current() and not future.is_current()


def test_only_managers_change_designations(tree, people):
    with pytest.raises(PermissionDenied):
        services.add_designation(
            user=people["reform_office"], organisation=tree["GROUP-A"],
            kind=kind("DOUBLE_HUNDRED"), valid_from=dt.date(2020, 1, 1),
        )  # fmt: skip
    made = services.add_designation(
        user=people["supervisor_admin"], organisation=tree["GROUP-A"],
        kind=kind("DOUBLE_HUNDRED"), valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.delete_designation(user=people["reform_office"], designation=made)
    services.delete_designation(user=people["supervisor_admin"], designation=made)
    assert not Designation.objects.exists()


# --- Scoping -------------------------------------------------------------------------------

SUBTREES = {
    "supervisor_admin": {"SASAC", "GROUP-A", "A-SUB", "A-SUB2", "GROUP-B", "B-SUB"},
    "reform_office": {"GROUP-A", "A-SUB", "A-SUB2"},
    "contributor": {"A-SUB", "A-SUB2"},
    "viewer": {"GROUP-A", "A-SUB", "A-SUB2"},
    "outsider": {"GROUP-B", "B-SUB"},
    "system": set(),
    "security": set(),
    "audit": set(),
}
ACTIONS_OF = {
    "supervisor_admin": set(Action.values),
    "reform_office": {"view", "report", "change", "approve"},
    "contributor": {"view", "report"},
    "viewer": {"view"},
    "outsider": {"view", "report", "change", "approve"},
    "system": set(),
    "security": set(),
    "audit": set(),
}


@pytest.mark.parametrize("who", list(SUBTREES))
@pytest.mark.parametrize("action", Action.values)
def test_visible_to_is_exactly_the_subtree_the_role_grants(people, who, action):
    expected = SUBTREES[who] if action in ACTIONS_OF[who] else set()
    assert codes(Organisation.objects.visible_to(people[who], action)) == expected


def test_visible_to_after_a_new_grant(tree, people, make_user):
    user = make_user("two_roles", role="viewer", org=tree["A-SUB2"])
    assert codes(Organisation.objects.visible_to(user)) == {"A-SUB2"}
    services.grant_role(user=user, organisation=tree["GROUP-B"], role="viewer")
    assert codes(Organisation.objects.visible_to(user)) == {"A-SUB2", "GROUP-B", "B-SUB"}
    services.revoke_role(
        assignment=RoleAssignment.objects.get(user=user, organisation=tree["A-SUB2"])
    )
    user = type(user).objects.get(pk=user.pk)  # as the next request loads it
    assert codes(Organisation.objects.visible_to(user)) == {"GROUP-B", "B-SUB"}


def test_designations_are_scoped_by_their_organisation(tree, people):
    mine = designate(tree["A-SUB2"])
    designate(tree["B-SUB"])
    assert list(Designation.objects.visible_to(people["viewer"])) == [mine]


@pytest.mark.parametrize("who", ["system", "security", "audit"])
def test_administrators_hold_no_business_role(tree, people, who):
    admin = people[who]
    with pytest.raises(ValidationError):
        services.grant_role(user=admin, organisation=tree["SASAC"], role="viewer")
    assert not RoleAssignment.objects.filter(user=admin).exists()
    assert not Organisation.objects.visible_to(admin).exists()


# --- Pages ---------------------------------------------------------------------------------


def table_codes(response) -> list[str]:
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_list_page_shows_the_users_scope(client_for, people):
    response = client_for(people["viewer"]).get("/orgs/")
    assert response.status_code == 200
    assert table_codes(response) == ["GROUP-A", "A-SUB", "A-SUB2"]
    html = response.content.decode()
    assert "甲孙公司" in html and "乙集团" not in html


def test_list_page_links_a_parent_only_where_the_reader_may_open_it(client_for, tree, people):
    html = client_for(people["viewer"]).get("/orgs/").content.decode()
    assert f'href="/orgs/{tree["GROUP-A"].pk}/"' in html  # A-SUB's parent, inside the grant
    assert f'href="/orgs/{tree["SASAC"].pk}/"' not in html  # above the grant: a 404 to follow
    assert "国资委" in html  # still named


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=甲孙", ["A-SUB2"]),
        ("q=group b", ["GROUP-B"]),
        ("q=b-sub", ["B-SUB"]),
        ("kind=group", ["GROUP-A", "GROUP-B"]),
        ("kind=supervisor", ["SASAC"]),
        ("level=3", ["A-SUB2"]),
        ("designation=DOUBLE_HUNDRED", ["A-SUB", "B-SUB"]),
        ("within=GROUP-A", ["GROUP-A", "A-SUB", "A-SUB2"]),
        ("within=group-b&kind=subsidiary", ["B-SUB"]),
        ("within=PROV", []),
        ("within=NOPE", []),
    ],
)
def test_list_page_filters(client_for, tree, people, query, expected):
    designate(tree["A-SUB"])
    designate(tree["B-SUB"])
    designate(tree["GROUP-B"], valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2019, 12, 31))
    designate(tree["GROUP-A"], "SCI_TECH_DEMO")
    response = client_for(people["supervisor_admin"]).get(f"/orgs/?{query}")
    assert response.status_code == 200
    assert table_codes(response) == expected


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_has_bom_header_and_only_the_scope(client_for, tree, people):
    designate(tree["A-SUB"])
    designate(tree["A-SUB"], "SCI_TECH_DEMO")
    response = client_for(people["viewer"]).get("/orgs/?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows[0]) == len(EXPORT_COLUMNS)
    assert rows[0][0] not in ("GROUP-A", "") and len(set(rows[0])) == len(EXPORT_COLUMNS)
    by_code = {row[0]: dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["GROUP-A", "A-SUB", "A-SUB2"]
    assert by_code["GROUP-A"]["uscc"] == make_uscc(1)
    assert by_code["GROUP-A"]["name_zh"] == "甲集团"
    assert by_code["GROUP-A"]["parent"] == "SASAC"
    assert by_code["A-SUB2"]["parent"] == "A-SUB"
    assert by_code["A-SUB2"]["level"] == "3"
    assert by_code["A-SUB"]["designations"] == "DOUBLE_HUNDRED, SCI_TECH_DEMO"
    assert by_code["A-SUB2"]["designations"] == ""


def test_csv_export_follows_the_filters(client_for, people):
    response = client_for(people["supervisor_admin"]).get("/orgs/?kind=group&export=csv")
    assert [row[0] for row in csv_rows(response)[1:]] == ["GROUP-A", "GROUP-B"]


def test_xlsx_export(client_for, tree, people):
    designate(tree["B-SUB"])
    response = client_for(people["outsider"]).get("/orgs/?export=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    csv_header = csv_rows(client_for(people["outsider"]).get("/orgs/?export=csv"))[0]
    assert rows[0] == csv_header  # the same header row in both formats
    assert all(cell.font.bold for cell in sheet[1])
    assert [row[0] for row in rows[1:]] == ["GROUP-B", "B-SUB"]
    b_sub = dict(zip(EXPORT_COLUMNS, rows[2], strict=True))
    assert b_sub["name_zh"] == "乙子公司"
    assert b_sub["parent"] == "GROUP-B"
    assert b_sub["designations"] == "DOUBLE_HUNDRED"
    assert b_sub["level"] == 2


def test_exports_never_hand_a_formula_to_the_spreadsheet(client_for, tree, people):
    services.create_organisation(
        user=None, parent=tree["GROUP-B"], code="B-EVIL", name_zh="=HYPERLINK(\"x\")",
        name_en="+1", short_name_zh="@SUM(A1)", short_name_en="-2", kind="subsidiary",
    )  # fmt: skip
    client = client_for(people["outsider"])
    row = dict(zip(EXPORT_COLUMNS, csv_rows(client.get("/orgs/?export=csv"))[-1], strict=True))
    assert row["code"] == "B-EVIL"
    assert row["name_zh"] == '\'=HYPERLINK("x")'
    assert (row["name_en"], row["short_name_zh"], row["short_name_en"]) == (
        "'+1",
        "'@SUM(A1)",
        "'-2",
    )

    sheet = load_workbook(io.BytesIO(client.get("/orgs/?export=xlsx").content)).active
    last = list(sheet.iter_rows())[-1]
    assert last[0].value == "B-EVIL"
    assert last[2].value == '\'=HYPERLINK("x")'
    assert "f" not in {c.data_type for c in last}  # no formula cells


def test_tree_page_starts_at_the_users_grants(client_for, tree, people):
    response = client_for(people["viewer"]).get("/orgs/tree/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲集团" in html
    assert "国资委" not in html and "甲子公司" not in html  # children load on demand
    assert f'hx-get="/orgs/{tree["GROUP-A"].pk}/children/"' in html

    html = client_for(people["supervisor_admin"]).get("/orgs/tree/").content.decode()
    assert "国资委" in html and "省国资委" not in html


def test_children_endpoint_lists_direct_children(client_for, tree, people):
    client = client_for(people["supervisor_admin"])
    response = client.get(f"/orgs/{tree['SASAC'].pk}/children/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲集团" in html and "乙集团" in html
    assert "甲子公司" not in html
    assert "<html" not in html  # a fragment for htmx
    html = client.get(f"/orgs/{tree['A-SUB'].pk}/children/").content.decode()
    assert "甲孙公司" in html
    assert f'hx-get="/orgs/{tree["A-SUB2"].pk}/children/"' not in html  # a leaf


def test_children_endpoint_outside_scope_is_404(client_for, tree, people):
    assert (
        client_for(people["outsider"]).get(f"/orgs/{tree['A-SUB'].pk}/children/").status_code == 404
    )


def test_detail_page_shows_designations_children_and_manage_links(client_for, tree, people):
    designate(tree["GROUP-A"], "CHAIN_LEADER", chain="新材料", batch="第二批")
    org = tree["GROUP-A"]
    response = client_for(people["supervisor_admin"]).get(f"/orgs/{org.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲集团" in html and make_uscc(1) in html
    assert "链长企业" in html and "新材料" in html and "第二批" in html
    assert "甲子公司" in html and "甲孙公司" not in html
    assert [c.code for c in response.context["children"]] == ["A-SUB"]
    for url in ("edit", "move", "add", "designations/add"):
        assert f'href="/orgs/{org.pk}/{url}/"' in html

    html = client_for(people["viewer"]).get(f"/orgs/{org.pk}/").content.decode()
    assert "链长企业" in html
    assert f'href="/orgs/{org.pk}/edit/"' not in html


def form_data(org: Organisation, **changes) -> dict:
    data = {
        "code": org.code, "uscc": org.uscc or "", "name_zh": org.name_zh,
        "name_en": org.name_en, "short_name_zh": org.short_name_zh,
        "short_name_en": org.short_name_en, "kind": org.kind, "is_active": "on",
        "closed_on": "",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_form_saves_a_new_name(client_for, tree, people):
    org = fresh(tree["GROUP-A"])
    client = client_for(people["supervisor_admin"])
    assert client.get(f"/orgs/{org.pk}/edit/").status_code == 200
    response = client.post(f"/orgs/{org.pk}/edit/", form_data(org, name_zh="甲控股集团"))
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.pk}/"
    assert fresh(org).name_zh == "甲控股集团"
    assert "甲控股集团" in client.get(f"/orgs/{org.pk}/").content.decode()


def test_edit_form_shows_a_bad_uscc(client_for, tree, people):
    org = fresh(tree["GROUP-A"])
    good = make_uscc(1)
    wrong = next(ch for ch in ALPHABET if ch != good[17])
    client = client_for(people["supervisor_admin"])
    response = client.post(f"/orgs/{org.pk}/edit/", form_data(org, uscc=good[:17] + wrong))
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]
    html = response.content.decode()
    assert f"{good[:17] + wrong}" in html and f" {good[17]}" in html
    assert fresh(org).uscc == good


def test_edit_form_closing_needs_a_date(client_for, tree, people):
    org = fresh(tree["A-SUB2"])
    client = client_for(people["supervisor_admin"])
    response = client.post(f"/orgs/{org.pk}/edit/", form_data(org, is_active=None))
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"]
    assert fresh(org).is_active
    response = client.post(
        f"/orgs/{org.pk}/edit/", form_data(org, is_active=None, closed_on="2024-03-31")
    )
    assert response.status_code == 302
    assert (fresh(org).is_active, fresh(org).closed_on) == (False, dt.date(2024, 3, 31))


def test_forms_need_manage(client_for, tree, people):
    client = client_for(people["reform_office"])
    org = tree["GROUP-A"]
    for url in ("edit", "move", "add", "designations/add"):
        assert client.get(f"/orgs/{org.pk}/{url}/").status_code == 404
    response = client.post(f"/orgs/{org.pk}/edit/", form_data(fresh(org), name_zh="改名"))
    assert response.status_code == 404
    assert fresh(org).name_zh == "甲集团"


def test_move_form_moves_the_subtree(client_for, tree, people):
    org = tree["A-SUB"]
    client = client_for(people["supervisor_admin"])
    assert client.get(f"/orgs/{org.pk}/move/").status_code == 200
    response = client.post(f"/orgs/{org.pk}/move/", {"parent_code": "group-b"})
    assert response.status_code == 302
    assert fresh(org).parent == tree["GROUP-B"]
    assert fresh(tree["A-SUB2"]).path.startswith(fresh(tree["GROUP-B"]).path)
    assert client_for(people["outsider"]).get(f"/orgs/{tree['A-SUB2'].pk}/").status_code == 200
    assert client_for(people["viewer"]).get(f"/orgs/{tree['A-SUB2'].pk}/").status_code == 404


@pytest.mark.parametrize("parent_code", ["NOPE", "A-SUB2", "PROV", "SASAC"])
def test_move_form_shows_why_it_refuses(client_for, tree, people, parent_code):
    org = tree["A-SUB"]
    response = client_for(people["supervisor_admin"]).post(
        f"/orgs/{org.pk}/move/", {"parent_code": parent_code}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="error"' in response.content.decode() or "errors" in response.content.decode()
    assert fresh(org).parent == tree["GROUP-A"]


def test_add_child_form(client_for, tree, people):
    parent = tree["A-SUB"]
    client = client_for(people["supervisor_admin"])
    assert client.get(f"/orgs/{parent.pk}/add/").status_code == 200
    response = client.post(
        f"/orgs/{parent.pk}/add/",
        {"code": "A-SUB3", "uscc": make_uscc(33), "name_zh": "甲新公司", "kind": "subsidiary",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    new = Organisation.objects.get(code="A-SUB3")
    assert response["Location"] == f"/orgs/{new.pk}/"
    assert (new.parent, new.level, new.uscc) == (parent, 3, make_uscc(33))
    assert new in Organisation.objects.get_children(fresh(parent))
    forget(people["viewer"])
    assert new in Organisation.objects.visible_to(people["viewer"])


def test_add_child_form_refuses_a_group_under_a_subsidiary(client_for, tree, people):
    parent = tree["A-SUB"]
    response = client_for(people["supervisor_admin"]).post(
        f"/orgs/{parent.pk}/add/",
        {"code": "BAD", "name_zh": "错", "kind": "group", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Organisation.objects.filter(code="BAD").exists()


def test_designation_forms(client_for, tree, people):
    org = tree["GROUP-A"]
    client = client_for(people["supervisor_admin"])
    assert client.get(f"/orgs/{org.pk}/designations/add/").status_code == 200
    response = client.post(
        f"/orgs/{org.pk}/designations/add/",
        {"kind": kind("DOUBLE_HUNDRED").pk, "valid_from": "2020-08-01", "batch": "第二批"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.pk}/"
    made = Designation.objects.get(organisation=org)
    assert (made.kind.code, made.valid_from, made.batch) == (
        "DOUBLE_HUNDRED",
        dt.date(2020, 8, 1),
        "第二批",
    )

    assert client.get(f"/designations/{made.pk}/edit/").status_code == 200
    response = client.post(
        f"/designations/{made.pk}/edit/",
        {"kind": made.kind.pk, "valid_from": "2020-08-01", "valid_to": "2023-07-31"},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.valid_to == dt.date(2023, 7, 31)

    assert client.get(f"/designations/{made.pk}/delete/").status_code == 200
    response = client.post(f"/designations/{made.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.pk}/"
    assert not Designation.objects.filter(pk=made.pk).exists()


def test_designation_form_shows_errors(client_for, tree, people):
    org = tree["GROUP-A"]
    client = client_for(people["supervisor_admin"])
    response = client.post(
        f"/orgs/{org.pk}/designations/add/",
        {"kind": kind("CHAIN_LEADER").pk, "valid_from": "2021-12-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["chain"]
    response = client.post(
        f"/orgs/{org.pk}/designations/add/",
        {"kind": kind("DOUBLE_HUNDRED").pk, "valid_from": "2021-12-01", "valid_to": "2021-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Designation.objects.exists()


def test_designation_forms_need_manage(client_for, tree, people):
    made = designate(tree["GROUP-A"])
    client = client_for(people["reform_office"])
    assert client.get(f"/designations/{made.pk}/edit/").status_code == 404
    assert client.post(f"/designations/{made.pk}/delete/").status_code == 404
    assert Designation.objects.filter(pk=made.pk).exists()


# --- Language ------------------------------------------------------------------------------


def test_pages_default_to_simplified_chinese_and_switch_to_english(client_for, tree, people):
    client = client_for(people["viewer"])
    org = tree["GROUP-A"]
    response = client.get(f"/orgs/{org.pk}/")
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "<title>甲集团" in html
    with translation.override("zh-hans"):
        nav_zh = translation.gettext("Organisations")
    assert nav_zh != "Organisations"  # the catalogue translates the navigation
    assert f">{nav_zh}</a>" in html
    assert ">Organisations</a>" not in html

    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/orgs/{org.pk}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.pk}/"

    response = client.get(f"/orgs/{org.pk}/")
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>Group A" in html
    assert ">Organisations</a>" in html and f">{nav_zh}</a>" not in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/orgs/"})
    assert client.get("/orgs/")["Content-Language"] == "zh-hans"


def test_kind_change_must_still_fit_the_organisations_below(tree):
    """Turning a group into a supervisor would leave its subsidiaries directly under a
    supervisor, which create_organisation and move_organisation never allow."""
    with pytest.raises(ValidationError) as info:
        services.update_organisation(user=None, organisation=tree["GROUP-B"], kind="supervisor")
    assert "kind" in info.value.message_dict
    assert fresh(tree["GROUP-B"]).kind == "group"


def test_kind_change_that_fits_is_saved(tree):
    services.update_organisation(user=None, organisation=tree["A-SUB2"], kind="subsidiary")
    leaf = services.create_organisation(
        user=None, parent=tree["SASAC"], code="LONE", name_zh="孤", kind="group"
    )
    services.update_organisation(user=None, organisation=leaf, kind="supervisor")
    assert (fresh(leaf).kind, fresh(leaf).level) == ("supervisor", 0)


def test_date_pickers_hold_iso_dates_in_both_languages(tree):
    """A browser's date input reads only yyyy-mm-dd: in Chinese the date was 2020/04/01, the
    picker showed empty and the required start date could not be saved."""
    from django.utils import translation

    from reformtrack.orgs.forms import DesignationForm

    designation = designate(tree["A-SUB"], valid_from=dt.date(2020, 4, 1))
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(DesignationForm(instance=designation)["valid_from"])
        assert 'type="date"' in html and 'value="2020-04-01"' in html, language
