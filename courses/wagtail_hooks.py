"""Admin screens of courses; each module registers its own hooks when imported."""

from .admin import assignments, certificates, compliance, h5p  # noqa: F401
