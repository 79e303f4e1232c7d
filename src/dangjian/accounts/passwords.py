"""Password rules beyond Django's: a password must not contain the login's user name."""
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter names (e.g. "qu") occur inside ordinary words by chance; refusing them would only annoy.
MIN_NAME_LENGTH = 3


class UsernameInPasswordValidator:
    """Refuses "bumen12345" for user "bumen" (case-insensitive), which similarity ratios let through."""

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").strip().lower()
        if len(name) >= MIN_NAME_LENGTH and name in (password or "").lower():
            raise ValidationError(_("密码不能包含用户名“%(name)s”。") % {"name": user.username},
                                  code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check; its message has no Chinese translation in Django's own catalogue."""

    def get_error_message(self):
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}
