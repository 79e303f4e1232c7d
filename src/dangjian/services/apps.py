from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "dangjian.services"
    label = "services"
    verbose_name = _("助企服务")
