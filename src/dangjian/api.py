"""The JSON API under /api/v1, documented at /api/docs (OpenAPI at /api/openapi.json)."""
import orjson
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError
from ninja.renderers import BaseRenderer
from ninja.security import django_auth

from dangjian.core.throttle import TooManyRequests


class JSONRenderer(BaseRenderer):
    """orjson: a page of 50 members encodes several times faster than with the json module. Dates and
    times are ISO 8601 as before; what orjson doesn't know (Decimal, lazy strings) goes through Django's
    encoder, so amounts stay exact strings."""

    media_type = "application/json"
    _fallback = DjangoJSONEncoder().default

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, default=self._fallback, option=orjson.OPT_UTC_Z)


api = NinjaAPI(
    renderer=JSONRenderer(),
    title="Dangjian API",
    version="1",
    urls_namespace="api",
    auth=django_auth,  # session cookie + CSRF, the same login as the pages
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=login_required,  # intranet users only, like every page
)

# Pydantic's error types, said in the user's language (same shape as the actions' errors); ``ctx`` carries the
# bound a number broke, so a huge id or year says which range is allowed.
def _number(value) -> str:
    """A bound as people write it: 90, not 90.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


SCHEMA_MESSAGES = {
    "missing": lambda ctx: _("必填"),
    "int_parsing": lambda ctx: _("应为整数"),
    "int_type": lambda ctx: _("应为整数"),
    "int_from_float": lambda ctx: _("应为整数"),
    "float_parsing": lambda ctx: _("应为数字"),
    "float_type": lambda ctx: _("应为数字"),
    "finite_number": lambda ctx: _("应为有限的数字"),
    "decimal_parsing": lambda ctx: _("应为数字"),
    "bool_parsing": lambda ctx: _("应为 true 或 false"),
    "date_from_datetime_parsing": lambda ctx: _("日期格式错误，应为 YYYY-MM-DD"),
    "date_parsing": lambda ctx: _("日期格式错误，应为 YYYY-MM-DD"),
    "enum": lambda ctx: _("不是可选的值"),
    "literal_error": lambda ctx: _("不是可选的值"),
    "string_too_long": lambda ctx: _("内容过长"),
    "string_type": lambda ctx: _("应为文本"),
    "list_type": lambda ctx: _("应为列表"),
    "dict_type": lambda ctx: _("应为对象"),
    "greater_than_equal": lambda ctx: _("应不小于 %(n)s") % {"n": _number(ctx.get("ge"))},
    "greater_than": lambda ctx: _("应大于 %(n)s") % {"n": _number(ctx.get("gt"))},
    "less_than_equal": lambda ctx: _("应不大于 %(n)s") % {"n": _number(ctx.get("le"))},
    "less_than": lambda ctx: _("应小于 %(n)s") % {"n": _number(ctx.get("lt"))},
}


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [part for part in err.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        names = [str(part) for part in loc if not isinstance(part, int)]
        field = names[-1] if names else "__all__"
        message = SCHEMA_MESSAGES.get(err.get("type"), lambda ctx: _("格式错误"))(err.get("ctx") or {})
        if loc and isinstance(loc[-1], int):  # an item of a list: say which one (from 1, as people count)
            message = _("第 %(n)d 项：%(message)s") % {"n": loc[-1] + 1, "message": message}
        errors.setdefault(field, []).append(message)
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(TooManyRequests)
def too_many_requests(request, exc: TooManyRequests):
    """A rate-limited look-up (core.throttle): the same body as a 422, status 429."""
    return api.create_response(request, {"detail": exc.message_dict}, status=429)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


def _register():
    from dangjian.accounts.api import router as accounts
    from dangjian.accounts.users_api import router as users
    from dangjian.alliances.api import router as alliances
    from dangjian.coverage.api import router as coverage
    from dangjian.learning.api import router as learning
    from dangjian.members.api import router as members
    from dangjian.organizations.api import router as organizations
    from dangjian.orglife.api import router as orglife
    from dangjian.regions.api import router as regions
    from dangjian.services.api import router as services
    from dangjian.units.api import router as units

    api.add_router("/v1/me", accounts)
    api.add_router("/v1/accounts/users", users)
    api.add_router("/v1/regions", regions)
    api.add_router("/v1/units", units)
    api.add_router("/v1/organizations", organizations)
    api.add_router("/v1/members", members)
    api.add_router("/v1/coverage", coverage)
    api.add_router("/v1/orglife", orglife)
    api.add_router("/v1/learning", learning)
    api.add_router("/v1/services", services)
    api.add_router("/v1/alliances", alliances)


_register()
