"""Saving and removing named mappings. A mapping holds column names, never data, so that
anyone who may import may save one for everyone to reuse; replacing or removing one is
for the person who saved it or an admin."""

import json

from django.core.exceptions import PermissionDenied, ValidationError

from lodestar.exchange.mapping.spec import Mapping
from lodestar.exchange.models import ImportMapping
from lodestar.org.acting import Actor, personal_service
from lodestar.org.permissions import Action, reader_for


def may_replace(acting: Actor, saved: ImportMapping) -> bool:
    return acting is None or reader_for(acting).can(Action.CHANGE, saved)


@personal_service  # column names for reading files: nothing the figures are made of
def mapping_save(*, acting: Actor, name: str, mapping: Mapping) -> ImportMapping:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"save_as": ["Name the mapping in 1 to 100 characters."]})
    saved = ImportMapping.objects.select_for_update().filter(name__iexact=name).first()
    if saved is None:
        return ImportMapping.objects.create(
            name=name, spec=mapping_data(mapping, name), saved_by=acting
        )
    if not may_replace(acting, saved):
        raise PermissionDenied(
            f"The mapping {saved.name!r} is someone else's: save yours under another name."
        )
    saved.spec = mapping_data(mapping, saved.name)
    saved.save(update_fields=["spec", "saved_at"])
    return saved


@personal_service
def mapping_delete(*, acting: Actor, saved: ImportMapping) -> None:
    if not may_replace(acting, saved):
        raise PermissionDenied("Only the person who saved a mapping, or an admin, removes it.")
    saved.delete()


def mapping_data(mapping: Mapping, name: str) -> dict:
    return json.loads(mapping.as_json(name))
