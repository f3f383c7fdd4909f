"""The database engine under a slow database: PostgreSQL cancels a search statement past its
time limit, and the engine reports itself unavailable instead of holding the page."""

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from search.documents import PRODUCT, SearchDocument
from search.engines import EngineUnavailable, database


# Committed like the races (the timeout is set in a transaction of the engine's own); serialized
# rollback, as every committing test here, so that the tests after it find the data migrations'.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_search_statement_is_cut_short(monkeypatch):
    engine = database.DatabaseEngine()
    engine.upsert([SearchDocument(kind=PRODUCT, object_id=1, title="Cà phê", url="/x/")])
    assert engine.counts(["ca", "phe"]) == {PRODUCT: 1}
    real = engine.dialect.match

    def slow(queryset, terms):  # every matching row costs 50 ms
        return real(queryset, terms).filter(
            RawSQL("pg_sleep(0.05) IS NOT NULL", [], output_field=BooleanField())
        )

    monkeypatch.setattr(database, "STATEMENT_TIMEOUT_MS", 10)
    monkeypatch.setattr(engine.dialect, "match", slow)
    with pytest.raises(EngineUnavailable, match="statement timeout"):
        engine.counts(["ca", "phe"])
    monkeypatch.undo()
    assert engine.counts(["ca", "phe"]) == {PRODUCT: 1}  # the connection is fine afterwards
