"""Access to "My shop" pages: signed in, and a member of the producer the page acts for."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..selectors.shop import shop_producer


def producer_required(view=None, *, verified: bool = False):
    """Sets `request.producer` (the producer this session acts for) or sends the user away:
    anonymous users to the login page, users without a producer to registration, and, when
    `verified`, members of a producer not verified yet back to the shop home with a message."""

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            producer = shop_producer(user=request.user, session=request.session)
            if producer is None:
                return redirect("marketplace:producer_register")
            if verified and not producer.is_verified:
                messages.warning(
                    request,
                    _("This is available once a moderator has verified your producer profile."),
                )
                return redirect("marketplace:shop_home")
            request.producer = producer
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
