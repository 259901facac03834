"""Addresses outside Wagtail's page tree. Wagtail serves only paths of words and slashes, so a
name with a dot such as /data/data.json cannot reach a page route; this view answers it with the
index page's own catalogue route. Wired by including ``opendata.urls`` before Wagtail's URLs."""

from django.http import Http404
from django.views.decorators.http import require_GET

from opendata.selectors import data_index_public
from portal.page_cache import cache_public


@cache_public("type:opendata.datasetpage")
@require_GET
def catalogue_json(request):
    index = data_index_public()
    if index is None:
        raise Http404
    return index.catalogue(request)
