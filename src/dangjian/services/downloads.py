"""Request attachments and visit photos, served by core.files to whoever sees the request or the visit."""
from dangjian.core.files import register
from dangjian.services.models import Request, Visit

register("request-attachment", "attachment", lambda user, pk: Request.objects.get_for_user(pk, user))
register("visit-photo", "photo", lambda user, pk: Visit.objects.get_for_user(pk, user))
