from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from research.models import ConsentMethod, Conversation, ConversationKind, Person, Project, Team

from .base import check_same_team, model_save
from .consent import consent_record, consent_withdraw
from .photos import photo_files_forget
from .recordings import recording_files_forget
from .tags import tags_set


def _check_relations(
    team: Team, project: Project | None, participants: Iterable[Person] | None, interviewers
) -> None:
    errors = {}
    for field, objects, label in (
        ("project", [project], "a project"),
        ("participants", participants or [], "participants"),
    ):
        try:
            check_same_team(team.pk, objects, field=field, label=label)
        except ValidationError as error:
            errors.update(error.message_dict)
    if interviewers is not None:
        user_model = get_user_model()
        ids = {u.pk for u in interviewers}
        members = set(
            user_model.objects.filter(pk__in=ids, memberships__team=team).values_list(
                "pk", flat=True
            )
        )
        if ids - members:
            errors["interviewers"] = ["Choose interviewers who are members of your team."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conversation_create(
    *,
    team: Team,
    created_by,
    participants: Iterable[Person] = (),
    interviewers: Iterable = (),
    tags: Iterable[str] = (),
    **fields,
) -> Conversation:
    participants, interviewers = list(participants), list(interviewers)
    _check_relations(team, fields.get("project"), participants, interviewers)
    conversation = model_save(Conversation(team=team, created_by=created_by), **fields)
    conversation.participants.set(participants)
    conversation.interviewers.set(interviewers)
    tags_set(obj=conversation, names=tags)
    return conversation


@transaction.atomic
def conversation_update(
    *,
    conversation: Conversation,
    participants: Iterable[Person] | None = None,
    interviewers: Iterable | None = None,
    tags: Iterable[str] | None = None,
    **fields,
) -> Conversation:
    participants = list(participants) if participants is not None else None
    interviewers = list(interviewers) if interviewers is not None else None
    _check_relations(conversation.team, fields.get("project"), participants, interviewers)
    model_save(conversation, **fields)
    if participants is not None:
        conversation.participants.set(participants)
    if interviewers is not None:
        conversation.interviewers.set(interviewers)
    if tags is not None:
        tags_set(obj=conversation, names=tags)
    return conversation


@transaction.atomic
def conversation_delete(*, conversation: Conversation) -> None:
    recording_files_forget(conversation=conversation)
    photo_files_forget(conversation=conversation)
    conversation.delete()


__all__ = ["consent_record", "consent_withdraw"]  # consent lives in .consent; kept here too


@transaction.atomic
def site_visit_save(
    *,
    team: Team,
    user,
    conversation: Conversation | None,
    who: Iterable[Person],
    tags: Iterable[str],
    verbal_consent: bool = False,
    interviewers: Iterable | None = None,
    client_id: str = "",
    **fields,
) -> Conversation:
    """The phone's site visit: created on its first save (the user as interviewer), updated on
    the next ones so that notes typed while recording stick. `verbal_consent`: everyone present
    agreed, on the spot, to be recorded and transcribed; it is recorded for each of them.
    ``client_id`` (the device's id for the visit) finds the visit a device already sent, so a
    resend never makes a second."""
    if conversation is None and client_id:
        conversation = Conversation.objects.filter(team=team, client_id=client_id).first()
    conversation = _site_visit_save(
        team, user, conversation, who, tags, interviewers, client_id, **fields
    )
    if verbal_consent:
        for person in conversation.participants.all():
            consent = conversation.consents.filter(person=person).first()
            if consent is not None and consent.is_active and consent.may_record:
                continue
            consent_record(
                conversation=conversation,
                person=person,
                actor=user,
                given=True,
                may_record=True,
                may_transcribe=True,
                method=ConsentMethod.VERBAL,
                note="Given on the site-visit screen",
            )
    return conversation


def _site_visit_save(
    team, user, conversation, who, tags, interviewers, client_id, **fields
) -> Conversation:
    if conversation is None:
        try:
            with transaction.atomic():
                return conversation_create(
                    team=team,
                    created_by=user,
                    kind=ConversationKind.SITE_VISIT,
                    participants=who,
                    interviewers=[user] if interviewers is None else interviewers,
                    tags=tags,
                    client_id=client_id,
                    **fields,
                )
        except IntegrityError:
            # The same visit sent twice at once: the other request created it.
            conversation = Conversation.objects.get(team=team, client_id=client_id)
    return conversation_update(
        conversation=conversation,
        participants=who,
        interviewers=interviewers,
        tags=tags,
        **fields,
    )
