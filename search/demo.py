"""After the demo content: the search index of all of it, so the demo's searches work at once."""

from .services import search_rebuild


def search_demo_seed(*, report) -> None:
    result = search_rebuild()
    report.created["search documents"] = result.documents
