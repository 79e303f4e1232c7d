from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from dangjian.accounts import middleware  # noqa: F401  connects the login signal that starts the clock
        from dangjian.accounts.scope import build_scopes
        from dangjian.core.scoping import register_scope_builder

        register_scope_builder(build_scopes)
