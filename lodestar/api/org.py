"""Units and people."""

from typing import Annotated, Literal

from ninja import FilterLookup, FilterSchema, Router, Schema
from pydantic import Field

from lodestar.api.crud import Entity, Id, Text, Version, register
from lodestar.org.models import Person, Unit
from lodestar.org.services import (
    person_create,
    person_update,
    unit_create,
    unit_delete,
    unit_update,
)

router = Router()

UnitKind = Literal[tuple(Unit.Kind.values)]
Role = Literal[tuple(Person.Role.values)]


class UnitOut(Schema):
    id: int
    version: Version
    name: str
    kind: str
    parent: int | None = Field(validation_alias="parent_id")


class UnitIn(Schema):
    name: Text(200)
    kind: UnitKind = Unit.Kind.TEAM
    parent: Id | None = None


class UnitPatch(Schema):
    name: Text(200) = None
    kind: UnitKind = None
    parent: Id | None = None


class UnitFilters(FilterSchema):
    parent: Annotated[Id | None, FilterLookup("parent_id")] = None
    kind: UnitKind | None = None


def create_unit(person: Person, fields: dict) -> Unit:
    return unit_create(acting=person, **fields)


def change_unit(person: Person, unit: Unit, fields: dict) -> Unit:
    return unit_update(acting=person, unit=unit, **fields)


register(
    router,
    Entity(
        model=Unit,
        path="units",
        out=UnitOut,
        filters=UnitFilters,
        visible=lambda person: Unit.objects.all(),
        create_in=UnitIn,
        update_in=UnitPatch,
        create=create_unit,
        update=change_unit,
        delete=lambda person, unit: unit_delete(acting=person, unit=unit),
    ),
)


class PersonOut(Schema):
    id: int
    version: Version
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    manager: int | None = Field(validation_alias="manager_id")
    is_active: bool


class PersonIn(Schema):
    username: Text(150)
    email: Text(254) = ""
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    password: Text(128) | None = None
    role: Role = Person.Role.MEMBER
    manager: Id | None = None


class PersonPatch(Schema):
    email: Text(254) = None
    first_name: Text(150) = None
    last_name: Text(150) = None
    role: Role = None
    manager: Id | None = None
    is_active: bool = None


class PersonFilters(FilterSchema):
    unit: Annotated[Id | None, FilterLookup("memberships__unit_id")] = None
    role: Role | None = None
    manager: Annotated[Id | None, FilterLookup("manager_id")] = None


def create_person(person: Person, fields: dict) -> Person:
    return person_create(acting=person, **fields)


def change_person(person: Person, target: Person, fields: dict) -> Person:
    return person_update(acting=person, person=target, **fields)


def deactivate_person(person: Person, target: Person) -> None:
    """People are deactivated, never deleted: their check-ins and values keep an author."""
    person_update(acting=person, person=target, is_active=False)


register(
    router,
    Entity(
        model=Person,
        path="people",
        out=PersonOut,
        filters=PersonFilters,
        visible=lambda person: Person.objects.distinct(),
        create_in=PersonIn,
        update_in=PersonPatch,
        create=create_person,
        update=change_person,
        delete=deactivate_person,
    ),
)
