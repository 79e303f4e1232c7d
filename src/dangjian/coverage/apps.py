from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "dangjian.coverage"
    label = "coverage"
    verbose_name = _("两个覆盖")

    def ready(self):
        from dangjian.core.panels import register
        from dangjian.coverage.queries import unit_status

        register("unit", "coverage", unit_status)  # the unit page's coverage status (units.views.unit_detail)
