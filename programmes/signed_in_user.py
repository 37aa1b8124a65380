"""The user of a signed-in session, read on every request with what every request asks of them
next: their directory entry (whose time zone answers are written in) and whether they are in
leadership. One statement written out once per process: built through the ORM, the query cost
several times what PostgreSQL takes to run it."""

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router

from .models import Person
from .selectors import LEADERSHIP_GROUP


def _column(field: Any) -> str:
    return str(field.column)


class _Read:
    """The statement for one database, and how to turn its row into a user and their person."""

    def __init__(self, alias: str, person_model: type[Person]) -> None:
        self.alias = alias
        self.person_model = person_model
        connection = connections[alias]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        self.user_fields = list(user_model._meta.concrete_fields)
        self.person_fields = list(person_model._meta.concrete_fields)
        user_table = quote(user_model._meta.db_table)
        person_table = quote(person_model._meta.db_table)
        groups: Any = user_model._meta.get_field("groups")
        through = groups.remote_field.through._meta
        member_table, group_table = quote(through.db_table), quote(Group._meta.db_table)
        user_id = f"{user_table}.{quote(_column(user_model._meta.pk))}"
        columns = ", ".join(
            [f"{user_table}.{quote(field.column)}" for field in self.user_fields]
            + [f"{person_table}.{quote(field.column)}" for field in self.person_fields]
        )
        self.sql = (
            f"SELECT {columns}, EXISTS (SELECT 1 FROM {member_table} "  # noqa: S608 - our names
            f"INNER JOIN {group_table} ON {group_table}.{quote(_column(Group._meta.pk))} = "
            f"{member_table}.{quote(through.get_field('group').column)} "
            f"WHERE {member_table}.{quote(through.get_field('user').column)} = {user_id} "
            f"AND {group_table}.{quote(_column(Group._meta.get_field('name')))} = %s) "
            f"FROM {user_table} LEFT OUTER JOIN {person_table} ON "
            f"{person_table}.{quote(_column(person_model._meta.get_field('user')))} = {user_id} "
            f"WHERE {user_id} = %s"
        )
        # What the ORM would do to each value read (on PostgreSQL nothing; SQLite's instants
        # and booleans come as text and numbers).
        self.converters: list[tuple[int, list[Any], Any]] = []
        for index, field in enumerate(self.user_fields + self.person_fields):
            column = field.get_col(field.model._meta.db_table)
            converters = [
                *connection.ops.get_db_converters(column),
                *column.get_db_converters(connection),
            ]
            if converters:
                self.converters.append((index, converters, column))
        self.user_names = [field.attname for field in self.user_fields]
        self.person_names = [field.attname for field in self.person_fields]
        self.person_relation: Any = user_model._meta.get_field("person")
        self.user_relation: Any = person_model._meta.get_field("user")

    def user(self, user_id: Any) -> Any:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [LEADERSHIP_GROUP, user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, converters, column in self.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        split = len(self.user_fields)
        user = get_user_model().from_db(self.alias, self.user_names, values[:split])
        person = None
        if values[split] is not None:
            person = self.person_model.from_db(self.alias, self.person_names, values[split:-1])
            self.user_relation.set_cached_value(person, user)
        self.person_relation.set_cached_value(user, person)
        user._keel_is_leadership = bool(values[-1])  # type: ignore[attr-defined]
        return user


@cache
def _read(alias: str) -> _Read:
    return _Read(alias, Person)


def signed_in_user(user_id: Any) -> Any:
    """The user ``user_id`` with their person (or none) and ``_keel_is_leadership``, as
    ``selectors.signed_in_users`` gives them; None when there is no such user."""
    try:
        pk: Any = get_user_model()._meta.pk
        user_id = pk.to_python(user_id)
    except ValidationError:
        return None
    return _read(router.db_for_read(get_user_model())).user(user_id)
