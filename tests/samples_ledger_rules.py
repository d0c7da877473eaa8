"""Permission-matrix samples of plan change requests: one asked on each group's subsidiary task
of the MINI programme that test_permissions launched from SASAC."""

from __future__ import annotations

import datetime as dt

from reformtrack.programs.models import LedgerTask, PlanChangeRequest
from reformtrack.programs.services.plan_changes import request_plan_change


def build(tree, people) -> dict:
    asker = {"a": people["contributor"], "b": people["outsider"]}
    changes = {
        side: request_plan_change(
            user=asker[side],
            task=LedgerTask.objects.get(code=f"M-1-{code}"),
            reason="延期",
            deadline=dt.date(2022, 6, 30),
        )
        for side, code in (("a", "A-SUB"), ("b", "B-SUB"))
    }
    return {"models": {PlanChangeRequest: changes}}
