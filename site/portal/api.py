"""The site's JSON API (django-ninja): each app contributes a router."""

from ninja import NinjaAPI

from courses.api import router as courses_router
from portal.locations.api import router as locations_router
from quizzes.api import router as quizzes_router

api = NinjaAPI(title="CĐS platform API", version="1", urls_namespace="api", docs_url=None)
api.add_router("/locations/", locations_router)
api.add_router("/quizzes/", quizzes_router)
api.add_router("/courses/", courses_router)
