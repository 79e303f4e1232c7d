"""Study material files (documents, videos), served by core.files to whoever the library shows them to."""
from django.shortcuts import get_object_or_404

from dangjian.core.files import register
from dangjian.learning import queries

register("content-file", "file", lambda user, pk: get_object_or_404(queries.library(user), pk=pk))
