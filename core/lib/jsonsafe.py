"""JSON from strangers, as a database can keep it."""

import json


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def load_json(text: str | bytes):
    """JSON as a database can keep it; ValueError otherwise.

    Beyond ``json.loads``: no ``NaN`` or ``Infinity`` (not JSON, refused by
    PostgreSQL), no NUL character (refused by PostgreSQL), no nesting so deep
    that parsing it exhausts the stack.
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as err:
        raise ValueError("nested too deeply") from err
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and "\x00" in value:
            raise ValueError("a NUL character")
    return data
