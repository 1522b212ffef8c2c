from django.db import models, transaction


@transaction.atomic
def model_save(instance: models.Model, **fields) -> models.Model:
    """Set fields, validate every field and constraint (team-scoped uniqueness included), save."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance
