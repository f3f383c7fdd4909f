"""Facts about the request that services record (audit logs, rate limits)."""

from dataclasses import dataclass


def client_address(request) -> str:
    # Behind the reverse proxy (see docs/deployment.md) REMOTE_ADDR is set from X-Forwarded-For.
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> "ClientInfo":
        return cls(
            ip=client_address(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        )
