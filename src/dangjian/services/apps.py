from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "dangjian.services"
    label = "services"
    verbose_name = _("助企服务")

    def ready(self):
        from dangjian.accounts.scope import register_served_units
        from dangjian.services import checks  # noqa: F401  (registers the calendar check)
        from dangjian.services import downloads  # noqa: F401  (registers its file kinds with core.files)
        from dangjian.core.panels import register
        from dangjian.services.actions import served_units
        from dangjian.services.queries import unit_timeline

        register_served_units(served_units)
        register("unit", "service", unit_timeline)  # the unit page's service timeline (units.views.unit_detail)
