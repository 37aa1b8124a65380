"""Helpers of scripts/fuzz: `recreate` drops and creates the database DATABASE_URL names;
`token USERNAME` prints a new personal API token of that user."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def recreate() -> None:
    import psycopg
    from psycopg import sql

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    maintenance = url._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def token(username: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from programmes.models import ApiToken

    _, key = ApiToken.issue(get_user_model().objects.get(username=username))
    print(key)


if __name__ == "__main__":
    if sys.argv[1:] == ["recreate"]:
        recreate()
    elif len(sys.argv) == 3 and sys.argv[1] == "token":
        token(sys.argv[2])
    else:
        sys.exit("usage: fuzz_database.py recreate | token USERNAME")
