"""A form's fields made from a model's, so that every field of the model is in the form."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from ..model import FuzzyDate
from ..model.annotations import unwrap
from ..model.records import REFERENCE_KINDS
from .fields import BoolField, ChoiceField, DateField, Field, LinesField, TextField
from .reference import ReferenceField
from .rows import RowsField

if TYPE_CHECKING:
    from .session import CasefileSession

MULTILINE = {"summary", "quote", "question", "excerpt"}
ROW_NOUNS = {"roles": "role", "participants": "participant", "citations": "citation", "about": "meeting",
             "sources": "source"}


class FieldFactory:
    """Makes a form's fields from a model's, so that every field of the model is in the form."""

    def __init__(self, session: CasefileSession) -> None:
        self.session = session

    def fields(self, model: type[BaseModel]) -> list[Field]:
        made: list[Field] = []
        for name, info in model.model_fields.items():
            if name == "id":
                continue
            # A list's default is a factory (a new list per record), called here for its value.
            default = info.get_default(call_default_factory=True)
            made.append(self.field(name, info.annotation, info.is_required(), default))
        return made

    def field(self, name: str, annotation: Any, required: bool, default: Any) -> Field:
        label = name.replace("_", " ")
        annotation, _ = unwrap(annotation)
        if typing.get_origin(annotation) is Literal:
            choices = tuple(typing.get_args(annotation))
            return ChoiceField(name, label, choices, default if isinstance(default, str) else None, required=required)
        if annotation is bool:
            return BoolField(name, label)
        if annotation is FuzzyDate:
            return DateField(name, label, required=required)
        if typing.get_origin(annotation) is list:
            (inner,) = typing.get_args(annotation)
            inner, _ = unwrap(inner)
            noun = ROW_NOUNS.get(name, name)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return RowsField(name, label, lambda model=inner: self.fields(model), noun)
            if name in REFERENCE_KINDS:
                kinds = REFERENCE_KINDS[name]
                return RowsField(name, label, lambda: [self.reference("source", "source", True, kinds)], noun,
                                 scalar="source")
            return LinesField(name, label)
        if name in REFERENCE_KINDS:
            return self.reference(name, label, required)
        return TextField(name, label, multiline=name in MULTILINE, required=required)

    def reference(self, name: str, label: str, required: bool,
                  kinds: tuple[str, ...] | None = None) -> ReferenceField:
        return ReferenceField(name, label, kinds or REFERENCE_KINDS[name], self.session.suggest,
                              self.session.label, required=required)
