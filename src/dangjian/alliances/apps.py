from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "dangjian.alliances"
    label = "alliances"
    verbose_name = _("联建共建")

    def ready(self):
        from dangjian.alliances import downloads  # noqa: F401  (registers its file kinds with core.files)
