from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    verbose_name = _("e家学习")

    def ready(self):
        from dangjian.learning import downloads  # noqa: F401  (registers its file kinds with core.files)
