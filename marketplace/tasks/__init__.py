"""Celery tasks of the marketplace, one module per area; names are fixed strings
("marketplace.tasks.<name>") so that the beat schedule and queued messages survive moves."""

from .channels import *  # noqa: F403
from .orders import *  # noqa: F403
from .payments import *  # noqa: F403
from .products import *  # noqa: F403
