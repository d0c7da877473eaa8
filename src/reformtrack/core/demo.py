"""Registry of demo-data loaders: each app's `demo.py` registers one with an order."""

from collections.abc import Callable

_LOADERS: list[tuple[int, str, Callable]] = []


def register(order: int, name: str):
    def wrap(func):
        if all(existing != name for _o, existing, _f in _LOADERS):
            _LOADERS.append((order, name, func))
        return func

    return wrap


def loaders() -> list[tuple[str, Callable]]:
    return [(name, func) for _o, name, func in sorted(_LOADERS, key=lambda item: item[:2])]
