from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "dangjian.coverage"
    label = "coverage"
    verbose_name = _("两个覆盖")
