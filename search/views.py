from django.template.response import TemplateResponse

from .selectors import site_search


def search(request):
    context = site_search(query=request.GET.get("q", ""), page_number=request.GET.get("page", 1))
    return TemplateResponse(request, "search/search.html", context)
