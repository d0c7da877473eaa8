"""The formula language of KPI sets: arithmetic over statement line codes, evaluated with
simpleeval (never Python's eval). Names are the line codes; functions are a short safe list."""

from __future__ import annotations

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from simpleeval import SimpleEval

FUNCTIONS = {
    "avg": lambda *values: sum(values, Decimal(0)) / len(values),
    "abs": abs,
    "min": min,
    "max": max,
}
ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub,
    ast.UAdd, ast.Name, ast.Load, ast.Constant, ast.Call,
)  # fmt: skip


class FormulaError(ValueError):
    """A formula that cannot be used: bad syntax, an unknown line, a forbidden construct."""


class NotComputable(Exception):  # noqa: N818 - reads as the outcome
    """The formula is fine but this statement cannot give a value (missing line, zero)."""


def names_in(formula: str) -> list[str]:
    """Line codes a formula reads, in order of first use; FormulaError if it is not valid."""
    return list(_names(formula))


@lru_cache(maxsize=512)
def _names(formula: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error: {exc.msg}") from None
    names: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise FormulaError(f"{type(node).__name__} is not allowed in a formula")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise FormulaError("only the functions avg, abs, min, max may be called")
            if node.keywords:
                raise FormulaError("functions take no keyword arguments")
        elif isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in names:
            names.append(node.id)
        elif isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError("only numbers may be written in a formula")
    return tuple(names)


@lru_cache(maxsize=512)
def _parsed(formula: str):
    """simpleeval's parse of a checked formula, kept: a peer table evaluates it hundreds of
    times."""
    _names(formula)
    return SimpleEval.parse(formula)


def check(formula: str, known: set[str]) -> None:
    """FormulaError naming the first unknown line."""
    for name in names_in(formula):
        if name not in known:
            raise FormulaError(f"unknown statement line {name!r}")


def evaluator_for(values: dict[str, Decimal]) -> SimpleEval:
    """One evaluator over a statement's lines, to evaluate a whole KPI set with."""
    return SimpleEval(names=dict(values), functions=FUNCTIONS)


def evaluate(formula: str, values: dict[str, Decimal], evaluator: SimpleEval | None = None):
    """The formula's value over `values` (Decimal); NotComputable for a missing line or a zero
    divisor. `evaluator`, from evaluator_for(values), saves building one per formula."""
    missing = [n for n in _names(formula) if values.get(n) is None]
    if missing:
        raise NotComputable("missing:" + ",".join(missing))
    evaluator = evaluator or evaluator_for(values)
    try:
        result = evaluator.eval(formula, previously_parsed=_parsed(formula))
    except (ZeroDivisionError, DivisionByZero, InvalidOperation):
        raise NotComputable("zero") from None
    return Decimal(str(result)) if isinstance(result, float | int) else result
