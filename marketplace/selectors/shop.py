"""Which producers a user manages, and which one their "My shop" pages act for."""

from django.db.models import QuerySet

from ..models import Producer

SESSION_KEY = "marketplace_producer_id"


def producers_for_user(*, user) -> QuerySet[Producer]:
    """Producers the user is a member of (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    return Producer.objects.filter(members__user=user).order_by("name")


def shop_producer(*, user, session) -> Producer | None:
    """The producer chosen in this session, else the user's first one; None if they manage none."""
    producers = producers_for_user(user=user)
    chosen = session.get(SESSION_KEY)
    if chosen is not None:
        producer = producers.filter(pk=chosen).first()
        if producer is not None:
            return producer
    return producers.first()
