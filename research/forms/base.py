"""What every form shares: team-scoped choices by public id, tag fields, service errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from research.models import Team
from research.services.tags import tag_names_parse


class TagsField(forms.CharField):
    """Comma-separated tag names; the widget offers the team's vocabulary via a datalist."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", "Separate tags with commas, e.g. exports, onboarding")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"list": "team-tags", "autocomplete": "off", "data-tag-input": "1"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return tag_names_parse(super().clean(value))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


TOO_LONG = "At most %(limit_value)d characters; this has %(show_value)d. Shorten it and save again."


def refuse_long_text(form) -> None:
    """Text over a field's limit is refused with a message that says so, never cut: the browser
    would stop typing (and cut a paste) silently at a maxlength attribute."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = TOO_LONG


def use_public_ids(field) -> None:
    """Choices carry the object's UUID, never its integer primary key."""
    if hasattr(field.queryset.model, "uid"):
        field.to_field_name = "uid"


class TeamForm(forms.ModelForm):
    """A ModelForm whose related-object choices come only from the current team."""

    team_querysets: dict = {}

    def __init__(self, *args, team: Team, **kwargs):
        self.team = team
        super().__init__(*args, **kwargs)
        refuse_long_text(self)
        for name, field in self.fields.items():
            if hasattr(field, "queryset") and hasattr(field.queryset.model, "team"):
                field.queryset = field.queryset.filter(team=team)
                use_public_ids(field)
                related = getattr(self.instance, name, None) if self.instance.pk else None
                if isinstance(related, models.Model):
                    # model_to_dict gave the integer key; the choices are UUIDs.
                    self.initial[name] = related.uid
