"""Template context of the marketplace for every page: the cart count in the header."""

from .services.cart import cart_count


def cart(request):
    """`marketplace_cart_count`: units in the session cart, read from the session only (no
    query), and only when a template uses it."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    return {"marketplace_cart_count": lambda: cart_count(session=session)}
