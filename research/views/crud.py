"""Create / edit / delete views shared by every team-owned object.

Each area describes its object once (an ObjectSpec); these views do the rest: look the object up
inside the team, validate the form, call the area's service, and map its ValidationError back
onto the form.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from research.access import editor_required, team_object
from research.forms.base import add_service_errors


@dataclass(frozen=True)
class ObjectSpec:
    model: type
    form_class: type
    create: Callable  # service(team=..., [created_by=...], **cleaned_data)
    update: Callable  # service(<name>=obj, **cleaned_data)
    delete: Callable  # service(<name>=obj)
    list_url: str
    passes_creator: bool = False
    # Where a create started from, if anywhere: (request) -> a URL with "{uid}" for the new
    # object, or None; it looks up the ids it takes (a bad one is a 404 before anything saves).
    return_to: Callable | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name


def _save(request, spec: ObjectSpec, form, instance=None):
    data = dict(form.cleaned_data)
    try:
        if instance is None:
            extra = {"created_by": request.user} if spec.passes_creator else {}
            return spec.create(team=request.team, **extra, **data)
        return spec.update(**{spec.name: instance}, **data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _form_page(request, spec, form, instance, status=200):
    context = {"form": form, "object": instance, "spec": spec, "label": spec.label}
    return render(request, "research/object_form.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def object_create(request, spec: ObjectSpec):
    back = spec.return_to(request) if spec.return_to else None
    form = spec.form_class(request.POST or None, team=request.team, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        obj = _save(request, spec, form)
        if obj is not None:
            messages.success(request, f"{spec.label.capitalize()} “{obj}” created.")
            return redirect(back.format(uid=obj.uid) if back else obj.get_absolute_url())
    return _form_page(request, spec, form, None, status=400 if form.errors else 200)


@editor_required
@require_http_methods(["GET", "POST"])
def object_edit(request, uid, spec: ObjectSpec):
    instance = team_object(request, spec.model, uid=uid)
    form = spec.form_class(request.POST or None, team=request.team, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = _save(request, spec, form, instance)
        if obj is not None:
            messages.success(request, f"{spec.label.capitalize()} saved.")
            return redirect(obj.get_absolute_url())
    return _form_page(request, spec, form, instance, status=400 if form.errors else 200)


@editor_required
@require_http_methods(["GET", "POST"])
def object_delete(request, uid, spec: ObjectSpec):
    instance = team_object(request, spec.model, uid=uid)
    error = None
    if request.method == "POST":
        try:
            spec.delete(**{spec.name: instance})
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{spec.label.capitalize()} “{instance}” deleted.")
            return redirect(spec.list_url)
    context = {"object": instance, "spec": spec, "label": spec.label, "error": error}
    return render(
        request, "research/object_confirm_delete.html", context, status=400 if error else 200
    )


def crud_paths(
    prefix: str, spec: ObjectSpec, list_view=None, detail_view=None, *, create: bool = True
) -> list:
    """URL patterns for an object's list, create, detail, edit and delete pages."""
    from django.urls import path

    name = spec.name
    patterns = [
        path(f"{prefix}/<uuid:uid>/edit/", object_edit, {"spec": spec}, name=f"{name}_edit"),
        path(f"{prefix}/<uuid:uid>/delete/", object_delete, {"spec": spec}, name=f"{name}_delete"),
    ]
    if create:
        patterns.append(
            path(f"{prefix}/new/", object_create, {"spec": spec}, name=f"{name}_create")
        )
    if list_view:
        patterns.append(path(f"{prefix}/", list_view, name=f"{name}_list"))
    if detail_view:
        patterns.append(path(f"{prefix}/<uuid:uid>/", detail_view, name=f"{name}_detail"))
    return patterns
