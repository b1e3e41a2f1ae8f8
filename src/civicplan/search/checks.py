"""`civicplan check --database default` (and `migrate`): warn when PostgreSQL cannot narrow Chinese searches."""

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database)
def postgresql_ctype_is_utf8(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            ctype = cursor.fetchone()[0]
        if "utf" not in ctype.lower().replace("-", ""):
            problems.append(Warning(
                f"database {connection.settings_dict['NAME']!r} has LC_CTYPE {ctype!r}: pg_trgm sees no Chinese "
                "trigrams, so every search reads the whole index (results stay right, but slow)",
                hint="create the database with --locale=C.UTF-8 (docs/operations.md, Databases)",
                id="civicplan.search.W001"))
    return problems
