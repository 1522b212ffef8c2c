"""Tags (themes): describe, rename and merge."""

from django import forms

from research.models import TeamTag


class TagForm(forms.ModelForm):
    class Meta:
        model = TeamTag
        fields = ["name", "description", "color"]
        widgets = {"color": forms.TextInput(attrs={"placeholder": "#3366cc", "maxlength": 7})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("team", None)
        super().__init__(*args, **kwargs)
        self.fields["color"].required = False

    def validate_unique(self):
        # tag_update explains a clash (and suggests merging); no generic uniqueness message.
        pass


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=TeamTag.objects.none(), to_field_name="slug", label="Merge into"
    )

    def __init__(self, *args, tag: TeamTag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = TeamTag.objects.filter(team_id=tag.team_id).exclude(
            pk=tag.pk
        )
