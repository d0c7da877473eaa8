"""The `reformtrack` commands: `orgs list|show`, `createuser`, `demo`, and the console script."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from reformtrack.core.models import ApprovalRequest
from reformtrack.core.security.otp import base32_secret
from reformtrack.core.security.passwords import CharacterClassValidator
from reformtrack.orgs.models import Designation, DesignationKind, Organisation, RoleAssignment
from reformtrack.programs.models import LedgerTask

User = get_user_model()
STRONG = "Str0ng#Passw0rd"
DEMO_PASSWORD = "Reform#2026"
SINOCHEM_UNITS = {
    "HAOHUA", "SINOCHEM-ENERGY", "SINOCHEM-INTL", "NANTONG-XINGCHEN", "SINOCHEM-ENV", "SYRICI",
    "ZHONGLAN-CHENGUANG",
}  # fmt: skip


def login(client: Client, username: str, password: str) -> bool:
    """client.login with a request, as django-axes (the lock-out backend) requires."""
    return client.login(request=HttpRequest(), username=username, password=password)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_json(*args):
    return json.loads(run(*args))


# --- orgs list / show ----------------------------------------------------------------------


@pytest.fixture
def designated(tree):
    kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
    Designation.objects.create(organisation=tree["A-SUB"], kind=kind, valid_from="2020-01-01")
    return tree


def test_orgs_list_json_has_every_organisation(designated):
    records = run_json("orgs", "list", "--json")
    by_code = {r["code"]: r for r in records}
    assert list(by_code) == ["SASAC", "GROUP-A", "A-SUB", "A-SUB2", "GROUP-B", "B-SUB", "PROV"]
    assert by_code["GROUP-A"]["name_zh"] == "甲集团"
    assert by_code["GROUP-A"]["name_en"] == "Group A"
    assert by_code["GROUP-A"]["parent"] == "SASAC"
    assert by_code["SASAC"]["parent"] is None
    assert {code: r["level"] for code, r in by_code.items()} == {
        "SASAC": 0, "GROUP-A": 1, "A-SUB": 2, "A-SUB2": 3, "GROUP-B": 1, "B-SUB": 2, "PROV": 0,
    }  # fmt: skip
    assert by_code["A-SUB"]["designations"] == ["DOUBLE_HUNDRED"]
    assert by_code["A-SUB2"]["designations"] == []
    assert by_code["A-SUB2"]["kind"] == "subsidiary"


def test_orgs_list_for_a_user_is_their_subtree(designated, people):
    codes = [r["code"] for r in run_json("orgs", "list", "--user", "viewer_a", "--json")]
    assert codes == ["GROUP-A", "A-SUB", "A-SUB2"]
    codes = [r["code"] for r in run_json("orgs", "list", "--user", "office_b", "--json")]
    assert codes == ["GROUP-B", "B-SUB"]
    assert run_json("orgs", "list", "--user", "aud", "--json") == []


def test_orgs_list_for_an_unknown_user_is_an_error(tree):
    with pytest.raises(CommandError, match="nobody"):
        run("orgs", "list", "--user", "nobody")


def test_orgs_list_within_a_subtree(designated):
    text = run("orgs", "list", "--within", "GROUP-A")
    lines = text.splitlines()
    assert [line.split()[0] for line in lines] == ["GROUP-A", "A-SUB", "A-SUB2"]
    assert "甲孙公司" in text and "乙集团" not in text
    assert "DOUBLE_HUNDRED" in lines[1]
    codes = [r["code"] for r in run_json("orgs", "list", "--within", "group-b", "--json")]
    assert codes == ["GROUP-B", "B-SUB"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--kind", "group"), ["GROUP-A", "GROUP-B"]),
        (("--designation", "DOUBLE_HUNDRED"), ["A-SUB"]),
        (("--within", "GROUP-A", "--kind", "subsidiary"), ["A-SUB", "A-SUB2"]),
        (("--user", "viewer_a", "--within", "GROUP-B"), []),
        (("--within", "NOPE"), []),
    ],
)
def test_orgs_list_filters(designated, people, args, expected):
    assert [r["code"] for r in run_json("orgs", "list", *args, "--json")] == expected


def test_orgs_list_unknown_designation_is_an_error(tree):
    with pytest.raises(CommandError):
        run("orgs", "list", "--designation", "NOPE")


def test_orgs_show(designated):
    record = run_json("orgs", "show", "GROUP-A", "--json")
    assert record["code"] == "GROUP-A"
    assert record["name_zh"] == "甲集团"
    assert record["parent"] == "SASAC"
    assert record["level"] == 1
    assert record["children"] == ["A-SUB"]
    assert run_json("orgs", "show", "a-sub", "--json")["designations"] == ["DOUBLE_HUNDRED"]
    text = run("orgs", "show", "A-SUB2")
    assert "A-SUB2" in text and "甲孙公司" in text


def test_orgs_show_unknown_code_is_an_error(tree):
    with pytest.raises(CommandError, match="NOPE"):
        run("orgs", "show", "NOPE")


# --- createuser ----------------------------------------------------------------------------


def test_createuser_with_a_business_role(tree):
    out = run("createuser", "newbie", "--password", STRONG, "--role", "reform_office@GROUP-A",
              "--display-name", "新人")  # fmt: skip
    assert "newbie" in out
    user = User.objects.get(username="newbie")
    assert user.check_password(STRONG)
    assert user.display_name == "新人"
    assert not user.admin_role
    assert [(r.role, r.organisation.code) for r in RoleAssignment.objects.filter(user=user)] == [
        ("reform_office", "GROUP-A")
    ]
    assert set(Organisation.objects.visible_to(user, "approve").values_list("code", flat=True)) == {
        "GROUP-A", "A-SUB", "A-SUB2",
    }  # fmt: skip
    assert login(Client(), "newbie", STRONG)


def test_createuser_with_two_roles_json(tree):
    result = run_json("createuser", "two", "--password", STRONG, "--role", "viewer@group-a",
                      "--role", "contributor@B-SUB", "--json")  # fmt: skip
    assert result["username"] == "two"
    assert result["otp_secret"] is None
    assert sorted(result["roles"]) == ["contributor@B-SUB", "viewer@GROUP-A"]
    user = User.objects.get(username="two")
    assert set(Organisation.objects.visible_to(user).values_list("code", flat=True)) == {
        "GROUP-A", "A-SUB", "A-SUB2", "B-SUB",
    }  # fmt: skip


def test_createuser_administrator_gets_an_otp_secret(db):
    out = run("createuser", "auditor2", "--password", STRONG, "--admin-role", "audit")
    user = User.objects.get(username="auditor2")
    assert user.admin_role == "audit"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    secret = base32_secret(device)
    assert len(secret) >= 16
    assert secret in out
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_createuser_administrator_json(db):
    result = run_json(
        "createuser", "sys2", "--password", STRONG, "--admin-role", "system", "--json"
    )
    device = TOTPDevice.objects.get(user__username="sys2")
    assert result["admin_role"] == "system"
    assert result["otp_secret"] == base32_secret(device)


def test_createuser_refuses_an_administrator_with_a_business_role(tree):
    with pytest.raises(CommandError, match="三员分立"):
        run("createuser", "both", "--password", STRONG, "--admin-role", "audit",
            "--role", "viewer@GROUP-A")  # fmt: skip
    assert not User.objects.filter(username="both").exists()


@pytest.mark.parametrize("password", ["onlylowercaseletters", "Ab1#", "Password1"])
def test_createuser_refuses_a_weak_password_with_the_policy(tree, password):
    with pytest.raises(CommandError) as info:
        run("createuser", "weak", "--password", password, "--role", "viewer@GROUP-A")
    text = str(info.value)
    policy = CharacterClassValidator(settings.PASSWORD_MIN_CLASSES).get_help_text()
    if password == "onlylowercaseletters":  # long enough, one kind of character
        assert policy in text
    elif password == "Ab1#":  # four kinds, too short
        assert str(settings.PASSWORD_MIN_LENGTH) in text and policy not in text
    else:  # a well-known password
        assert text
    assert not User.objects.filter(username="weak").exists()
    assert not RoleAssignment.objects.filter(user__username="weak").exists()


@pytest.mark.parametrize(
    "spec",
    ["viewer@NOPE", "boss@GROUP-A", "viewer", "viewer@"],
    ids=["code", "role", "no-at", "empty"],
)
def test_createuser_refuses_a_bad_role(tree, spec):
    with pytest.raises(CommandError) as info:
        run("createuser", "who", "--password", STRONG, "--role", spec)
    if spec == "viewer@NOPE":
        assert "NOPE" in str(info.value)
    assert not User.objects.filter(username="who").exists()


def test_createuser_refuses_an_existing_name(people):
    with pytest.raises(CommandError):
        run("createuser", "viewer_a", "--password", STRONG)
    assert User.objects.filter(username="viewer_a").count() == 1


# --- demo ----------------------------------------------------------------------------------


def counts() -> dict:
    return {
        "organisations": Organisation.objects.count(),
        "designations": Designation.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "approvals": ApprovalRequest.objects.count(),
        "users": User.objects.count(),
        "otp_devices": TOTPDevice.objects.count(),
    }


@pytest.fixture
def demo(db):
    """The demo organisations and users only: what the sign-in and scoping tests need."""
    run("demo", "--only", "orgs")


# The whole demo's own checks (demo_loads_the_organisations … below) run in
# tests/test_full_demo.py, on the one load every whole-demo test shares.


def demo_loads_the_organisations():
    assert Organisation.objects.count() == 21
    sinochem = Organisation.objects.get(code="SINOCHEM")
    assert (sinochem.kind, sinochem.parent.code, sinochem.level) == ("group", "SASAC", 1)
    units = Organisation.objects.get_children(sinochem)
    assert set(units.values_list("code", flat=True)) == SINOCHEM_UNITS
    assert {u.level for u in units} == {2}
    roots = set(Organisation.objects.get_root_nodes().values_list("code", flat=True))
    assert roots == {"SASAC", "JSSASAC"}
    assert Organisation.objects.get(code="JSCH").parent.code == "JSSASAC"
    assert Organisation.objects.get(code="CNEPG").parent.code == "CECEP"
    assert Organisation.objects.filter(uscc__isnull=True).count() == 0
    for org in Organisation.objects.all():
        org.full_clean()  # valid USCC check characters, codes and names
    assert Designation.objects.filter(kind__code="SCI_TECH_DEMO").count() == 4
    assert Designation.objects.get(organisation__code="CRRC").chain
    # the designation waiting at 昊华科技, plus the demo ledger's three progress reports
    assert ApprovalRequest.objects.filter(content_type__model="designation").count() == 1
    assert ApprovalRequest.objects.filter(content_type__model="progressreport").count() == 3


def test_demo_loads_only_the_parts_asked_for(db):
    summary = run_json("demo", "--only", "orgs", "--json")
    assert list(summary) == ["orgs"]
    assert Organisation.objects.count() == 21 and not LedgerTask.objects.exists()
    with pytest.raises(CommandError, match="Unknown demo part"):
        run("demo", "--only", "nonsense")


def demo_twice_changes_nothing():
    before = counts()
    snapshot = list(Organisation.objects.values_list("code", "path", "parent__code", "level"))
    run("demo")
    assert counts() == before
    assert list(Organisation.objects.values_list("code", "path", "parent__code", "level")) == (
        snapshot
    )


def demo_json_output_parses(summary):
    orgs = summary["orgs"]
    assert orgs["organisations"] == 21
    users = {u["username"]: u for u in orgs["users"]}
    assert users["sinochem_office"]["organisation"] == "SINOCHEM"
    assert users["sinochem_office"]["password"] == DEMO_PASSWORD
    assert users["auditor"]["role"] == "audit"
    device = TOTPDevice.objects.get(user__username="auditor")
    assert users["auditor"]["otp_secret"] == base32_secret(device)
    again = run_json("demo", "--json")["orgs"]
    assert again["new_designations"] == 0
    assert {u["username"]: u.get("otp_secret") for u in again["users"]} == {
        name: u.get("otp_secret") for name, u in users.items()
    }


def api_codes(client) -> set[str]:
    response = client.get("/api/orgs/organisations/", {"limit": 100})
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("sinochem_office", {"SINOCHEM"} | SINOCHEM_UNITS),
        ("haohua_contributor", {"HAOHUA"}),
        ("crrc_office", {"CRRC"}),
        ("jiangsu_viewer", {"JSSASAC", "JSCH", "XUZHOU-MINING", "SUZHOU-BEARING", "XCMG"}),
    ],
)
def test_demo_users_sign_in_and_see_their_subtree(demo, username, expected):
    client = Client()
    assert login(client, username, DEMO_PASSWORD)
    assert api_codes(client) == expected
    response = client.get("/orgs/")
    assert response.status_code == 200
    assert {row.record.code for row in response.context["table"].paginated_rows} == expected


def test_demo_supervisor_admin_sees_everything_under_sasac(demo):
    client = Client()
    assert login(client, "sasac_admin", DEMO_PASSWORD)
    codes = api_codes(client)
    assert len(codes) == 16
    assert "SINOCHEM" in codes and "CRRC" in codes and "JSSASAC" not in codes


def test_demo_sinochem_office_does_not_reach_crrc(demo):
    client = Client()
    assert login(client, "sinochem_office", DEMO_PASSWORD)
    crrc = Organisation.objects.get(code="CRRC")
    assert client.get(f"/orgs/{crrc.pk}/").status_code == 404
    assert client.get(f"/api/orgs/organisations/{crrc.pk}/").status_code == 404
    haohua = Organisation.objects.get(code="HAOHUA")
    assert client.get(f"/orgs/{haohua.pk}/").status_code == 200


def test_demo_administrators_need_their_second_factor(demo):
    client = Client()
    assert login(client, "auditor", DEMO_PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert "otp" in response["Location"]


def test_demo_user_signs_in_through_the_sign_in_page(demo):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "crrc_office", "password": DEMO_PASSWORD, "next": "/orgs/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    response = client.get("/orgs/")
    assert {row.record.code for row in response.context["table"].paginated_rows} == {"CRRC"}


def test_demo_password_is_needed(demo):
    assert not login(Client(), "sinochem_office", "wrong-Password#1")


# --- the console script --------------------------------------------------------------------


def test_console_script_help(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "console-script-test-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "REFORMTRACK_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "reformtrack.cli", "orgs", "--help"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "list" in result.stdout and "show" in result.stdout
    assert "reformtrack orgs" in result.stdout


# --- the README's command table ------------------------------------------------------------------

README = Path(__file__).parent.parent / "README.md"
# A value for each placeholder the table writes in capitals (typed options need a valid one).
SAMPLES = {"N": "7", "ID": "1", "Y": "2024", "P": "8000", "H": "127.0.0.1", "FILE": "out.xlsx",
           "PATH": "x.yaml", "GOLD": "gold.json", "QUERY": "改革", "K": "group"}  # fmt: skip


def readme_commands() -> list[str]:
    """Every command the README's command table names, as written (alternatives included)."""
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `.venv/bin/reformtrack "):
            continue
        first_cell = line.split(" | ")[0]
        for command in re.findall(r"`([^`]+)`", first_cell):
            command = command.removeprefix(".venv/bin/reformtrack ")
            found.append(command)
    return found


def concrete(command: str) -> list[str]:
    """The command with placeholders filled, optional parts included, first alternatives."""
    tokens, skip = [], False
    for token in command.replace("[", " ").replace("]", " ").split():
        if skip:
            skip = False
            continue
        if token == "\\|":  # `A \| B`: the first alternative
            skip = True
            continue
        token = token.split("\\|")[0].rstrip("…")
        if not token:
            continue
        base = token.split(".")[0]
        if re.fullmatch(r"[A-Z][A-Z@]*", base) and not token.startswith("-"):
            token = SAMPLES.get(base, "X")
        tokens.append(token)
    return tokens


def test_every_readme_command_parses_as_written():
    """Each command of the README's table exists and takes the options the README gives it
    (parsed by the command's own parser, nothing run)."""
    from django.core.management import get_commands, load_command_class

    commands = readme_commands()
    assert len(commands) > 30
    wrong = []
    for command in commands:
        tokens = concrete(command)
        name, args = tokens[0], tokens[1:]
        app = get_commands().get(name)
        if app is None:
            wrong.append(f"{command}: no such command")
            continue
        parser = load_command_class(app, name).create_parser("reformtrack", name)
        try:
            parser.parse_args(args)
        except (SystemExit, CommandError) as exc:
            wrong.append(f"{command}: {' '.join(args)} refused ({exc})")
    assert not wrong, "\n".join(wrong)
