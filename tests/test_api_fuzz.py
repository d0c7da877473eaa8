"""Schemathesis against the live API, in-process, as two roles (issue 16): no request the schema
allows — nor one it does not — gets a 5xx, and answers match the schema the API publishes.

Bounded for `make test`: a few derandomized examples per operation (the same cases every run),
no shrinking. The app runs through its WSGI handler on the test's database connection, so
every write rolls back with the test."""

from __future__ import annotations

import logging

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from . import samples_assessments, samples_kpis

pytestmark = pytest.mark.django_db(transaction=False)

# Per operation and role: random valid input, valid input on an object that exists (when the
# path names one), and input the schema forbids.
POSITIVE_EXAMPLES = 4
EXISTING_EXAMPLES = 4
NEGATIVE_EXAMPLES = 3
# Random valid input on a path naming an object when one exists: a random id is a 404 before any
# other input is read, so one example checks that answer; the existing object gets the rest.
RANDOM_ID_EXAMPLES = 1
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Input the schema forbids may be refused with any 4xx; it must still never be a 5xx or HTML.
NEGATIVE_CHECKS = [not_a_server_error]
# Answers that do not match their schema yet: checked for everything but the response body's
# schema. Empty: add an operation's label only with the reason, and remove it once fixed.
KNOWN_SCHEMA_GAPS: set[str] = set()


def keep_connection():
    """The handler must not close the test's connection (that would end its transaction):
    Django's own test client does the same, and reconnects the signals after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler on the test's database connection. 4xx warnings are not logged:
    thousands of them are expected; errors still are."""
    handler = get_wsgi_application()

    def app(environ, start_response):
        keep_connection()
        return handler(environ, start_response)

    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        yield app
    finally:
        request_log.setLevel(level)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(people, programme, tree):
    """The shared fixtures with data in every app the API serves: ledger tasks, KPI statements
    and targets, campaigns with assessments, scores and evidence."""
    samples_kpis.build(tree, people)
    samples_assessments.build(tree, people)
    return people


def signed_in(user) -> tuple[dict, dict]:
    """Headers and cookies of a signed-in browser: the session, and a matching CSRF cookie and
    header (the API's session authentication checks CSRF on writes)."""
    client = Client()
    client.force_login(user)
    csrf = get_token(RequestFactory().get("/"))
    return {"X-CSRFToken": csrf}, {
        "sessionid": client.cookies["sessionid"].value,
        "csrftoken": csrf,
    }


def openapi(app, headers, cookies):
    """The schema the API publishes at /api/schema/, bound to the in-process app."""
    client = Client()
    client.cookies.load(cookies)
    response = client.get("/api/schema/", {"format": "json"}, headers=headers)
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = app
    return schema


def existing_id(operation, client) -> int | None:
    """The id of an object the user sees, for an operation on /…/{id}/…: the first one its
    list returns."""
    if "{id}" not in operation.path:
        return None
    listing = client.get(operation.path.split("{id}")[0])
    if listing.status_code != 200:
        return None
    rows = listing.json()
    rows = rows.get("results", []) if isinstance(rows, dict) else rows
    return rows[0]["id"] if rows and "id" in rows[0] else None


def run_operation(
    operation, *, headers, cookies, mode, checks, examples, path_parameters=None
) -> str | None:
    """Runs `examples` cases of one operation; the first failure's report, or None."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case):
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=checks, headers=headers)

    try:
        probe()
    except Unsatisfiable:
        return None  # nothing the schema forbids can be sent to this operation
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup, or the app's
        where = f" on id {path_parameters['id']}" if path_parameters else ""
        return f"{operation.label}{where} [{mode}]: {str(exc)[:1500]}"
    return None


@pytest.mark.parametrize("role", ["supervisor_admin", "reform_office"])
def test_api_fuzz_no_server_error_and_schema_conformance(world, wsgi_app, role):
    headers, cookies = signed_in(world[role])
    schema = openapi(wsgi_app, headers, cookies)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    reader = Client()
    reader.force_login(world[role])
    positive, negative = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
    for operation in operations:
        found = existing_id(operation, reader)
        valid_checks = POSITIVE_CHECKS
        if operation.label in KNOWN_SCHEMA_GAPS:
            valid_checks = [c for c in valid_checks if c is not response_schema_conformance]
        for mode, checks, examples, path_parameters in (
            (positive, valid_checks, RANDOM_ID_EXAMPLES if found else POSITIVE_EXAMPLES, None),
            (positive, valid_checks, EXISTING_EXAMPLES if found else 0, {"id": found}),
            (negative, NEGATIVE_CHECKS, NEGATIVE_EXAMPLES, None),
        ):
            if not examples:
                continue
            failure = run_operation(
                operation,
                headers=headers,
                cookies=cookies,
                mode=mode,
                checks=checks,
                examples=examples,
                path_parameters=path_parameters,
            )
            if failure:
                failures.append(failure)
    assert not failures, "\n\n".join(failures)
