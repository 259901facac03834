"""Who may download a document from the library (``/dokumen/<id>/<name>``).

Wagtail serves any document to anyone unless its collection is private. A document attached to
a page still on the desk (an announcement's letter, a data set's file, a PPID document before
step 10) would then be public before the SOP allowed it, to anyone who guesses its number. So a
document that pages use is served only when at least one of them is live and its view
restrictions (and its ancestors') let this request in. People who work in the admin see them all:
the officials reviewing a draft need its attachment.

Which pages use a document comes from Wagtail's reference index, which reads a page's row: the
draft of a page never published, the live version of a published one. Documents nothing refers to
(uploaded and not yet attached, or linked only from a newer draft of a live page) and documents
used by something other than pages (snippets, settings) keep Wagtail's own rules.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex


def document_users(document) -> tuple[list[int], bool]:
    """The ids of the pages that refer to ``document``, and whether anything else does."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids, others = [], False
    for content_type_id, object_id in (
        ReferenceIndex.get_references_to(document).values_list("base_content_type_id", "object_id").distinct()
    ):
        if content_type_id == page_type.pk:
            page_ids.append(int(object_id))
        else:
            others = True
    return page_ids, others


def document_may_be_served(document, request) -> bool:
    page_ids, used_elsewhere = document_users(document)
    if not page_ids or used_elsewhere:
        return True
    if request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin"):
        return True
    for page in Page.objects.filter(pk__in=page_ids, live=True).order_by("pk"):
        if all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
            return True
    return False
