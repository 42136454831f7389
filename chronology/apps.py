from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ChronologyConfig(AppConfig):
    name = "chronology"

    def ready(self) -> None:
        connection_created.connect(unicode_lower_on_sqlite, dispatch_uid="chronology.unicode_lower_on_sqlite")


def unicode_lower_on_sqlite(sender, connection, **kwargs) -> None:
    """SQLite's own lower() changes only A to Z, so "ZOË ÖZTÜRK" would become "zoË ÖztÜrk" and
    never match "Zoë Öztürk". The integrated chronology's searchable text is lowered by the
    database, and so are the words searched for (chronology.integrated.build and .selectors):
    on SQLite both go through Python's lower() instead, as they do on a PostgreSQL database with
    a UTF-8 locale."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    """As SQLite's own lower() but for every letter: NULL stays NULL; anything else is text."""
    return None if value is None else str(value).lower()
