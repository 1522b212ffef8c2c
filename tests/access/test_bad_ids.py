"""Garbage ids in requests: every URL of the access matrix, every parameter its view reads that
takes an id, gets a malformed id, an empty one, a well-formed id of nothing, and an id from
another team. A write answers 4xx and saves nothing; nothing ever answers 500.

Which parameters a URL reads is not listed by hand: a probe request (the matrix case, and an
empty POST to pages that show a form) records every key read from request.GET / request.POST
and every form field cleaned. A form field that takes an id (a ModelChoiceField, a UUIDField)
is known from the form; a raw key a view reads itself must be classified below (RAW_IDS or
NOT_IDS), so a new one fails here until someone says what it is.
"""

import importlib
import pkgutil
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    Membership,
    Organization,
    Person,
    Project,
    Team,
    TeamTag,
    Transcript,
)
from research.services.tags import tags_resolve
from tests import access
from tests.access.test_matrix import NAMESPACE, all_cases

# Keys views read themselves (not through a form) that name an object: key -> (model, field,
# required). A slug is an id too.
RAW_IDS = {
    "feature": (Feature, "uid", False),
    "for_insight": (Insight, "uid", False),
    "highlight": (Highlight, "uid", True),
    "insight": (Insight, "uid", True),
    "conversation": (Conversation, "uid", False),
    "person": (Person, "uid", False),
    "team": (Team, "uid", True),
    "to": (TeamTag, "slug", True),
    "from": (TeamTag, "slug", False),
    "t": (Transcript, "uid", False),
    "project": (Project, "slug", False),
    "organization": (Organization, "uid", False),
    "tag": (TeamTag, "slug", False),
}
# Keys that are not ids (text, choices, flags, pages, where to go back to).
NOT_IDS = {
    "confirmed",
    "q",
    "protected",
    "download",
    "page",
    "next",
    "role",
    "speaker",
    "name",
    "status",
    "kind",
    "show",
    "split_channels",
    "mime",
    "seq",
    "model",
    "step",
    "side",
    "text",
    "username",
    "password",
    "email",
    "type",
    "tags",
}
# Pages whose POST needs more than the matrix case gives before the id is even read.
BASE_DATA = {
    "transcript_speakers": {"speaker": ["Ana"], "name": ["Ana B"]},
}


@dataclass(frozen=True)
class IdParam:
    key: str
    model: type
    field: str
    required: bool
    multiple: bool = False


class Reads:
    """Instrumentation (the real QueryDict and forms run): what a request read from the data
    of the probed method. The probe marks that data with MARK, so a read of the query string
    during a POST is not taken for a field of the POST."""

    MARK = "_probe"

    def __init__(self):
        self.keys: set[str] = set()
        self.form_fields: dict[str, forms.Field] = {}

    def clear(self):
        self.keys.clear()
        self.form_fields.clear()


@pytest.fixture
def reads(monkeypatch):
    found = Reads()
    for method in ("get", "getlist", "__getitem__"):
        original = getattr(MultiValueDict, method)

        def spy(self, key, *args, _original=original, **kwargs):
            if isinstance(self, QueryDict) and dict.__contains__(self, Reads.MARK):
                found.keys.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(MultiValueDict, method, spy)
    original_clean = forms.BaseForm.full_clean

    def clean_spy(form):
        if form.is_bound and Reads.MARK in form.data:
            for name, field in form.fields.items():
                found.form_fields[form.add_prefix(name)] = field
        return original_clean(form)

    monkeypatch.setattr(forms.BaseForm, "full_clean", clean_spy)
    return found


def fingerprint() -> dict:
    """Rows and the latest change of every table a request could write."""
    models = [*apps.get_app_config("research").get_models(), get_user_model()]
    state = {}
    for model in models:
        fields = {f.name for f in model._meta.concrete_fields}
        agg = {"n": Count("pk"), "top": Max("pk")}
        if "updated_at" in fields:
            agg["changed"] = Max("updated_at")
        state[model._meta.label] = model._default_manager.aggregate(**agg)
    return state


def foreign_objects(other_team, other_owner) -> None:
    """Objects of every kind in another team (the matrix's own builders, run for that team),
    and a tag and a project whose slugs exist only there."""
    tags_resolve(team=other_team, names=["only-over-there"])
    Project.objects.create(team=other_team, name="Only over there", slug="only-over-there")
    for module in pkgutil.iter_modules(access.__path__):
        if module.name.startswith("test_") or module.name == "teams":
            continue
        importlib.import_module(f"tests.access.{module.name}").build(other_team, other_owner)


def foreign_value(param: IdParam, other_team, other_owner) -> str:
    if param.model is Team:
        obj = other_team
    elif param.model is get_user_model():
        obj = other_owner
    elif param.model is Membership:
        obj = Membership.objects.get(team=other_team, user=other_owner)
    else:
        theirs = param.model._default_manager.filter(team=other_team)
        # Slugs are unique per team: take one that this team does not also have.
        ours = param.model._default_manager.exclude(team=other_team).values(param.field)
        obj = theirs.exclude(**{f"{param.field}__in": ours}).order_by("pk").first()
    assert obj is not None, f"no {param.model.__name__} only in the other team"
    return str(getattr(obj, param.field))


def id_params(reads: Reads, name: str) -> list[IdParam]:
    params = {}
    for key, field in reads.form_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            params[key] = IdParam(
                key,
                field.queryset.model,
                field.to_field_name or "pk",
                field.required,
                isinstance(field, forms.ModelMultipleChoiceField),
            )
        elif isinstance(field, forms.UUIDField):
            params[key] = IdParam(key, Person, "uid", field.required)
    for key in reads.keys - set(reads.form_fields) - {Reads.MARK}:
        if key in RAW_IDS:
            model, field, required = RAW_IDS[key]
            params[key] = IdParam(key, model, field, required)
        else:
            assert key in NOT_IDS, f"{name} reads {key!r}: add it to RAW_IDS or NOT_IDS"
    return list(params.values())


def call(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    return client.post(url, data)


@pytest.mark.django_db
def test_garbage_ids_answer_4xx_and_save_nothing(team, owner, outsider, reads):
    cases = all_cases(team, owner)
    foreign_objects(outsider.team, outsider)
    Project.objects.get_or_create(team=team, slug="bad-ids", defaults={"name": "Bad ids"})
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    checked, failures, walked = 0, [], set()
    for name, case in sorted(cases.items()):
        url = reverse(f"{NAMESPACE}:{name}", kwargs=case.kwargs)
        probes = [(case.method, {**parse_qs(case.query), **case.data})]
        if case.method == "get":
            probes.append(("post", {}))  # the page's form, if it takes POST
        for method, base in probes:
            base = {**base, **BASE_DATA.get(name, {})}
            reads.clear()
            with transaction.atomic():
                status = call(client, method, url, {**base, Reads.MARK: "1"}).status_code
                transaction.set_rollback(True)
            if status == 405:
                continue
            assert status < 500, (name, method, "probe", status)
            for param in id_params(reads, name):
                foreign = foreign_value(param, outsider.team, outsider)
                nothing = str(uuid.uuid4()) if param.field != "slug" else "no-such-tag-at-all"
                for label, value in [
                    ("malformed", "notauuid"),
                    ("empty", ""),
                    ("of nothing", nothing),
                    ("other team's", foreign),
                ]:
                    data = {**base, param.key: [value] if param.multiple else value}
                    with transaction.atomic():
                        before = fingerprint()
                        status = call(client, method, url, data).status_code
                        saved = fingerprint() != before
                        transaction.set_rollback(True)
                    checked += 1
                    walked.add((name, method, param.key))
                    where = (name, method, param.key, label, status)
                    if status >= 500:
                        failures.append(where)
                    elif method == "post" and (label != "empty" or param.required):
                        if not 400 <= status < 500 or saved:
                            failures.append((*where, "saved" if saved else "accepted"))
                    elif method == "get" and saved:
                        failures.append((*where, "a GET saved something"))
    assert not failures, failures
    # The walk really reached the forms: the four that answered 500 before among them.
    assert {
        ("board_move", "post", "highlight"),
        ("conversation_to_insight", "post", "insight"),
        ("site_visit", "post", "conversation"),
        ("transcript_speakers", "post", "person"),
        ("consent_record", "post", "person"),
        ("audit_trail", "get", "person"),
    } <= walked
    assert len(walked) >= 30 and checked >= 120, (len(walked), checked)


@pytest.mark.django_db
def test_the_probe_reports_the_ids_the_brief_names(team, owner, reads):
    """The four requests that answered 500 before are among those walked, with their ids."""
    cases = all_cases(team, owner)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    expected = {
        "board_move": "highlight",
        "conversation_to_insight": "insight",
        "site_visit": "conversation",
        "transcript_speakers": "person",
    }
    for name, key in expected.items():
        case = cases[name]
        url = reverse(f"{NAMESPACE}:{name}", kwargs=case.kwargs)
        reads.clear()
        data = {**case.data, **BASE_DATA.get(name, {})}
        with transaction.atomic():
            response = client.post(url, {**data, Reads.MARK: "1"})
            transaction.set_rollback(True)
        assert response.status_code < 500
        assert key in {p.key for p in id_params(reads, name)}, name
        with transaction.atomic():
            response = client.post(url, {**data, key: "notauuid"})
            transaction.set_rollback(True)
        assert 400 <= response.status_code < 500, (name, response.status_code)
