"""Helpers shared by the permission matrices (tests/<app>/test_permission_matrix.py).

A matrix maps each resource to {role: expected outcome}; one `check_<resource>(world, role,
expected)` function per resource requests it as that role and checks the outcome exactly:

- "ok": 200;
- "login" / "admin_login": a 302 to the site's / the admin's login page with `next`;
- "admin_home": Wagtail's 302 back to the dashboard (admin users without the permission);
- any other name: a 302 to the address the matrix gives that name (`targets`);
- a number: that status code.

Known bugs are (resource, role) cells run as strict xfails: the suite stays green, and the
cell turns red the day the bug is fixed, so that the matrix is corrected with it.
"""

from collections.abc import Iterator, Mapping
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

BUILT_IN_OUTCOMES = ("ok", "login", "admin_login", "admin_home")


def client_for(user, *, csrf: bool = False) -> Client:
    """A client signed in as `user` (anonymous for None); `csrf` enforces CSRF checks the way
    a browser meets them (the test client skips them otherwise)."""
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def login_location(next_path: str, *, admin: bool = False) -> str:
    """Where a login redirect for `next_path` points: the site's or the admin's login page."""
    login = reverse("wagtailadmin_login") if admin else reverse("login")
    return f"{login}?{urlencode({'next': next_path}, safe='/')}"


def assert_outcome(response, expected, *, path: str, targets: Mapping[str, str] | None = None):
    """Checks the status code and, for redirects, the exact target. `path` is the address
    requested (the login page's `next`); `targets` names the other redirect targets."""
    targets = targets or {}
    location = response.get("Location")
    if expected == "ok":
        assert response.status_code == 200, (response.status_code, location)
    elif expected in ("login", "admin_login"):
        assert response.status_code == 302, (response.status_code, location)
        assert location == login_location(path, admin=expected == "admin_login")
    elif expected == "admin_home":
        assert response.status_code == 302, (response.status_code, location)
        assert location == reverse("wagtailadmin_home")
    elif isinstance(expected, str):
        assert expected in targets, f"unknown outcome {expected!r}"
        assert response.status_code == 302, (response.status_code, location)
        assert location == targets[expected]
    else:
        assert response.status_code == expected, (response.status_code, location)


def content(response) -> str:
    """The body as text, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def matrix_params(
    matrix: Mapping[str, Mapping[str, object]], known_bugs: Mapping[tuple[str, str], str]
) -> Iterator:
    """One pytest param (role, resource, expected) per cell, with the id "<resource>-<role>";
    known bugs are strict xfails."""
    for resource, outcomes in matrix.items():
        for role, expected in outcomes.items():
            marks = ()
            if (resource, role) in known_bugs:
                marks = pytest.mark.xfail(strict=True, reason=known_bugs[resource, role])
            yield pytest.param(role, resource, expected, marks=marks, id=f"{resource}-{role}")


def assert_matrix_complete(*, matrix, checks, roles, known_bugs, targets=()) -> None:
    """Every check has its row and every row its check; only known roles and outcomes; every
    known bug is a cell of the matrix."""
    assert set(matrix) == set(checks)
    assert all(set(outcomes) <= set(roles) for outcomes in matrix.values())
    names = set(BUILT_IN_OUTCOMES) | set(targets)
    for outcomes in matrix.values():
        for expected in outcomes.values():
            assert isinstance(expected, int) or expected in names, expected
    assert all(role in matrix.get(resource, {}) for resource, role in known_bugs)
