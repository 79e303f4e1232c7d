"""The product's URLs plus one bench-only view: the baseline for the API throughput benchmark.

``/bench/bare`` does what any authenticated JSON view must (the session and user are loaded
by the same middleware as for /api/v1/...) and then returns a tiny JsonResponse. It exists
only in the benchmark's gunicorn (bench_settings.ROOT_URLCONF), never in the product.
"""
from django.http import JsonResponse
from django.urls import path

from dangjian.urls import handler404, handler500  # noqa: F401
from dangjian.urls import urlpatterns as product_urls


def bare(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "login required"}, status=401)
    return JsonResponse({"ok": True, "user": request.user.username})


urlpatterns = [path("bench/bare", bare), *product_urls]
