"""The configured engine: Elasticsearch when `ELASTICSEARCH_URL` is set, else the database."""

from django.conf import settings

from .base import EngineUnavailable, SearchEngine

__all__ = ["EngineUnavailable", "SearchEngine", "search_engine"]


def search_engine() -> SearchEngine:
    if settings.SEARCH_ENGINE == "elasticsearch":
        from .elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine.from_settings()
    from .database import DatabaseEngine

    return DatabaseEngine()
