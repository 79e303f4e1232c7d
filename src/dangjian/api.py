"""The JSON API under /api/v1, documented at /api/docs (OpenAPI at /api/openapi.json)."""
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Dangjian API",
    version="1",
    urls_namespace="api",
    auth=django_auth,  # session cookie + CSRF, the same login as the pages
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    from django.utils.translation import gettext as _

    return api.create_response(request, {"detail": _("未找到")}, status=404)


def _register():
    from dangjian.accounts.api import router as accounts
    from dangjian.coverage.api import router as coverage
    from dangjian.members.api import router as members
    from dangjian.organizations.api import router as organizations
    from dangjian.regions.api import router as regions
    from dangjian.units.api import router as units

    api.add_router("/v1/me", accounts)
    api.add_router("/v1/regions", regions)
    api.add_router("/v1/units", units)
    api.add_router("/v1/organizations", organizations)
    api.add_router("/v1/members", members)
    api.add_router("/v1/coverage", coverage)


_register()
