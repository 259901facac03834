from django.db.models import Prefetch, Q

from portal.models import BeritaIndexPage, BeritaPage, BeritaPageImage
from portal.serving import public


def _berita_public():
    return (
        public(BeritaPage.objects.live())
        .select_related("category")
        .prefetch_related(
            # The photos' renditions too: without them every card asks the database for its
            # rendition whenever the rendition cache is cold (an N+1 on the listing pages).
            Prefetch(
                "images",
                queryset=BeritaPageImage.objects.select_related("image")
                .prefetch_related("image__renditions")
                .order_by("sort_order"),
            )
        )
        .order_by("-first_published_at", "-id")
    )


def berita_latest(*, limit: int):
    return _berita_public()[:limit]


def berita_list(*, parent: BeritaIndexPage, tag: str | None = None):
    items = _berita_public().child_of(parent)
    return items.filter(tags__slug=tag) if tag else items


def berita_related(page: BeritaPage, *, tags, limit: int):
    """Other published berita sharing a tag or the category with ``page``, newest first: one
    query, titles and dates only (the page lists them as links)."""
    match = Q(tags__in=[t.pk for t in tags]) if tags else Q(pk__in=[])
    if page.category_id:
        match |= Q(category_id=page.category_id)
    return list(
        public(BeritaPage.objects.live())
        .filter(match)
        .exclude(pk=page.pk)
        .distinct()
        .order_by("-first_published_at", "-id")[:limit]
    )


def berita_index() -> BeritaIndexPage | None:
    return BeritaIndexPage.objects.order_by("path").first()


def berita_feed(*, category=None, limit: int):
    """Latest berita for the feeds; no images needed, so no prefetch."""
    qs = public(BeritaPage.objects.live()).select_related("category").order_by("-first_published_at", "-id")
    if category is not None:
        qs = qs.filter(category=category)
    return qs[:limit]
