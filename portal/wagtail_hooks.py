from django.http import Http404
from wagtail import hooks

from portal.documents import document_may_be_served


@hooks.register("before_serve_document")
def hide_documents_of_unpublished_pages(document, request):
    """A document only unpublished or restricted pages use is not found (portal.documents)."""
    if not document_may_be_served(document, request):
        raise Http404
