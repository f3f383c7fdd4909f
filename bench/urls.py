"""The portal's URLs behind one trivial view: the ceiling of what Django itself can serve."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/trivial", trivial, name="bench_trivial"), *portal_urlpatterns]
