"""System checks (run by `dangjian serve`, `migrate` and `check`): a bad local calendar stops the start with a
message naming the entry, instead of failing later on the first deadline."""
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def calendar_overrides(app_configs=None, **kwargs):
    from dangjian.services import workdays

    try:
        workdays.local_overrides()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="services.E001")]
    return []
