"""A model field's annotation read plainly: for the forms and the template that are made from the
models. Imports nothing heavy, so that either can ask it without the other's widgets."""

from __future__ import annotations

import types
import typing
from typing import Any, Union


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` (and whether it was optional) or ``Annotated``."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional
