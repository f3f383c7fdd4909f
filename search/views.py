from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .selectors import SiteQuery, autocomplete, site_search


@require_GET
def search(request):
    results = site_search(SiteQuery.from_querydict(request.GET))
    status = 503 if results.unavailable else 200
    return TemplateResponse(
        request,
        "search/search.html",
        {"results": results, "query": results.query.text},
        status=status,
    )


@require_GET
@cache_control(public=True, max_age=60)
def suggest(request):
    suggestions = autocomplete(request.GET.get("q", ""))
    return JsonResponse(
        {
            "suggestions": [
                {
                    "kind": s.kind,
                    "kind_label": s.kind_label,
                    "title": s.title,
                    "title_html": str(s.title_html),
                    "url": s.url,
                    "meta": s.meta,
                }
                for s in suggestions
            ]
        }
    )
