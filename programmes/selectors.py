"""Reads about programmes, all scoped through ``visible_programmes``: the one place that decides
what a user may see."""

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.http import Http404

from .any_of import AnyOf
from .models import (
    OWNER_FIELDS,
    AuditEvent,
    Channel,
    DeliveryAttempt,
    Membership,
    Notification,
    Person,
    Programme,
    ProgrammeToken,
    Role,
    Stage,
    StageTransition,
)
from .rules import PROGRAMME_TOKEN_ACCESS, Access, access_for

LEADERSHIP_GROUP = "leadership"


def _token_programme_id(user: Any) -> int | None:
    """The one programme a programme token's requests are limited to, or None for a person."""
    token = getattr(user, "programme_token", None)
    return None if token is None else int(token.programme_id)


def signed_in_users() -> QuerySet[Any]:
    """Users as a request reads them: with their directory entry (whose time zone every answer
    is written in) and whether they are in leadership, in the one query that loads the user."""
    return (
        get_user_model()
        ._default_manager.select_related("person")
        .annotate(
            _keel_is_leadership=Exists(
                Group.objects.filter(user=OuterRef("pk"), name=LEADERSHIP_GROUP)
            )
        )
    )


def is_leadership(user: Any) -> bool:
    """Whether ``user`` belongs to the leadership group, which reads every programme."""
    if not user.is_authenticated or _token_programme_id(user) is not None:
        return False
    cached = getattr(user, "_keel_is_leadership", None)
    if cached is None:
        cached = user.groups.filter(name=LEADERSHIP_GROUP).exists()
        user._keel_is_leadership = cached
    return bool(cached)


class Visibility(NamedTuple):
    """Which of ``visible_programmes``' queries a caller gets, and the id it is for: the user's,
    or a programme token's programme."""

    kind: Literal["none", "token", "all", "member"]
    pk: Any = None


def visibility(user: Any) -> Visibility:
    """Members see their programmes; leadership and staff see all; a programme token sees its
    own programme; anyone else sees none."""
    if not user.is_authenticated:
        return Visibility("none")
    token_programme_id = _token_programme_id(user)
    if token_programme_id is not None:
        return Visibility("token", token_programme_id)
    if user.is_staff or is_leadership(user):
        return Visibility("all", user.pk)
    return Visibility("member", user.pk)


def programmes_visible(seen: Visibility) -> QuerySet[Programme]:
    """The programmes of ``seen`` (from ``visibility``), each annotated with ``member_role``.

    Nothing but ``seen.pk`` and constants goes into the query: its SQL is the same for every
    caller of one kind, which lets the programme list keep it (``programme_rows``).
    """
    if seen.kind == "none":
        return Programme.objects.none()
    if seen.kind == "token":
        return Programme.objects.annotate(member_role=Value(None, output_field=CharField())).filter(
            pk=seen.pk
        )
    # One membership per user and programme: the subquery needs no order, and Membership's own
    # (by programme, then username) would join both tables again for every programme read.
    member_role = (
        Membership.objects.filter(programme=OuterRef("pk"), user_id=seen.pk)
        .order_by()
        .values("role")[:1]
    )
    programmes = Programme.objects.annotate(member_role=Subquery(member_role))
    if seen.kind == "all":
        return programmes
    return programmes.filter(memberships__user_id=seen.pk)


def visible_programmes(user: Any) -> QuerySet[Programme]:
    """Every programme ``user`` may see (``visibility``), each annotated with ``member_role``
    (theirs, or None)."""
    return programmes_visible(visibility(user))


def programme_access(user: Any, programme: Programme) -> Access:
    """What ``user`` may do with a programme fetched through ``visible_programmes``."""
    return access_for_role(user, getattr(programme, "member_role", None))


def access_for_role(user: Any, member_role: str | None) -> Access:
    """What ``user`` may do with a programme of ``visible_programmes`` whose ``member_role``
    (theirs on it) is this: a list of many programmes asks once per role, not once per row."""
    if _token_programme_id(user) is not None:
        return PROGRAMME_TOKEN_ACCESS
    return access_for(
        role=member_role, is_staff=bool(user.is_staff), is_leadership=is_leadership(user)
    )


def with_owners(
    programmes: Iterable[Programme], owners: Iterable[str] = OWNER_FIELDS
) -> list[Programme]:
    """``programmes`` with their named ``owners`` (all eight unless told) loaded in one query
    for the people, not one join per role (a join of eight costs PostgreSQL more planning than
    the read itself), and one object per person however many programmes they own."""
    programmes, owners = list(programmes), tuple(owners)
    ids = {getattr(p, f"{field}_id") for p in programmes for field in owners}
    people = Person.objects.filter(AnyOf(F("pk"), [pk for pk in ids if pk is not None])).in_bulk()
    for programme in programmes:
        for field in owners:
            person_id = getattr(programme, f"{field}_id")
            if person_id is not None:
                setattr(programme, field, people.get(person_id))
    return programmes


def visible_programme(user: Any, pk: int) -> Programme:
    """The programme ``pk`` as ``visible_programmes`` gives it to ``user``; 404 when they may
    not see it. An object of it was just found visible, but a request beside this one may have
    removed the programme, or the user's membership, in between: that is a 404, not an error."""
    programme = visible_programmes(user).filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


def get_programme_for_user(user: Any, slug: str) -> tuple[Programme, Access]:
    """The programme with ``slug`` and the user's access to it; 404 when they may not see it."""
    programme = visible_programmes(user).filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    return with_owners([programme])[0], programme_access(user, programme)


def programme_name_refusal(name: str, programme: Programme) -> str | None:
    """Why ``programme`` cannot be called ``name``: another live programme is, whatever the case
    (a retired programme's name is free again). None when it can."""
    if programme.stage == Stage.RETIRED:
        return None
    live = Programme.objects.filter(name__iexact=name).exclude(stage=Stage.RETIRED)
    if programme.pk is not None:
        live = live.exclude(pk=programme.pk)
    if live.exists():
        return f"Another programme is already called “{name}”: choose a name that tells them apart."
    return None


def programme_list(user: Any) -> QuerySet[Programme]:
    """The programmes ``user`` may see, with their programme owner and sponsor loaded."""
    return visible_programmes(user).select_related("programme_owner", "executive_sponsor")


def programme_transitions(programme: Programme) -> QuerySet[StageTransition]:
    return programme.transitions.select_related("actor")


def programme_members(programme: Programme) -> QuerySet[Membership]:
    return programme.memberships.select_related("user", "user__person").order_by("user__username")


def programme_audit_events(programme: Programme) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(programme=programme).order_by("-at", "-id")


def people_directory() -> QuerySet[Person]:
    """Everyone who can be named an owner: the organisation's directory, visible to all users."""
    return Person.objects.select_related("user")


def can_manage_people(user: Any) -> bool:
    """Staff, and anyone who edits a programme, may add people to the directory and edit them."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, role__in=["editor", "owner"]).exists()


def may_change_person(user: Any, person: Person) -> bool:
    """Whether ``user`` may change ``person``'s details, which decide where their messages go.

    Staff may, and the person themself. Someone with an account of their own changes their own
    details. For someone without one, an owner may who owns every programme that names them or
    has sent them a message: naming a stranger in a programme of one's own gives no hold over what
    other programmes send them.
    """
    if not user.is_authenticated or _token_programme_id(user) is not None:
        return False
    if user.is_staff or (person.user_id is not None and person.user_id == user.pk):
        return True
    if person.user_id is not None:
        return False
    naming = Q()
    for field in OWNER_FIELDS:
        naming |= Q(**{field: person})
    involved = set(Programme.objects.filter(naming).values_list("pk", flat=True)) | set(
        Notification.objects.filter(recipient=person, programme__isnull=False)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    owned = set(
        Membership.objects.filter(
            user=user, role=Role.OWNER, programme_id__in=involved
        ).values_list("programme_id", flat=True)
    )
    return bool(involved) and owned == involved


def visible_notifications(user: Any) -> QuerySet[Notification]:
    """Notifications of the programmes ``user`` may see, and those addressed to them, with their
    delivery attempts loaded."""
    if not user.is_authenticated or _token_programme_id(user) is not None:
        return Notification.objects.none()
    programme_ids = visible_programmes(user).values("pk")
    return (
        Notification.objects.filter(Q(programme__in=programme_ids) | Q(recipient__user=user))
        .select_related("recipient", "programme")
        .prefetch_related(
            Prefetch("delivery_attempts", queryset=DeliveryAttempt.objects.order_by("number"))
        )
    )


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's in-app notifications, unread first, newest first."""
    return (
        Notification.objects.filter(recipient__user=user, channel=Channel.IN_APP)
        .select_related("programme")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient__user=user, channel=Channel.IN_APP, read_at__isnull=True
    ).count()


def person_of(user: Any) -> Person | None:
    """The directory entry linked to ``user``, if there is one (never for the system or a
    programme token)."""
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def programme_tokens(programme: Programme) -> QuerySet[ProgrammeToken]:
    return programme.tokens.select_related("created_by")


def leadership_people() -> QuerySet[Person]:
    """People whose accounts are in the leadership group: who may agree a scorecard."""
    return Person.objects.filter(user__groups__name=LEADERSHIP_GROUP, user__is_active=True)


def stage_changes(programme_ids: list[int], since: Any) -> QuerySet[StageTransition]:
    """Stage changes of these programmes since ``since``, oldest first: one query, the ids as one
    array."""
    return (
        StageTransition.objects.filter(AnyOf(F("programme_id"), programme_ids), at__gte=since)
        .select_related("actor")
        .order_by("at", "id")
    )
