"""Contest abuse controls: one counter per user and one per client address for each action."""

from django.conf import settings

from portal.core.http import client_address
from portal.core.ratelimit import rate_limit_exceeded


def quiz_register_rate_limited(request) -> bool:
    """Counts one registration from the client address (visitors have no user yet)."""
    limit, window = settings.QUIZ_RATE_LIMITS["register_ip"]
    return rate_limit_exceeded(
        scope="quiz-register-ip", key=client_address(request), limit=limit, window_seconds=window
    )


def quiz_rate_limited(request, action: str) -> bool:
    """Counts one `action` (start, save) for the user and their address; True when either
    passes its limit in settings.QUIZ_RATE_LIMITS."""
    limits = settings.QUIZ_RATE_LIMITS
    user_limit, user_window = limits[f"{action}_user"]
    ip_limit, ip_window = limits[f"{action}_ip"]
    over_user = rate_limit_exceeded(
        scope=f"quiz-{action}-user",
        key=str(request.user.pk),
        limit=user_limit,
        window_seconds=user_window,
    )
    over_ip = rate_limit_exceeded(
        scope=f"quiz-{action}-ip",
        key=client_address(request),
        limit=ip_limit,
        window_seconds=ip_window,
    )
    return over_user or over_ip
