"""Objectives come in two kinds (docs/domain.md): a model's name for them says which."""

from django.apps import apps


def test_no_model_calls_objectives_of_either_kind_just_objectives():
    vague = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if "objectives" in (field.name, getattr(field, "get_accessor_name", lambda: None)())
    ]
    assert vague == []
