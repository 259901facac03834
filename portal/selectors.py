from django.db.models import Prefetch

from portal.models import BeritaIndexPage, BeritaPage, BeritaPageImage


def _berita_public():
    return (
        BeritaPage.objects.live()
        .public()
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


def berita_list(*, parent: BeritaIndexPage):
    return _berita_public().child_of(parent)


def berita_index() -> BeritaIndexPage | None:
    return BeritaIndexPage.objects.order_by("path").first()


def berita_feed(*, category=None, limit: int):
    """Latest berita for the feeds; no images needed, so no prefetch."""
    qs = BeritaPage.objects.live().public().select_related("category").order_by("-first_published_at", "-id")
    if category is not None:
        qs = qs.filter(category=category)
    return qs[:limit]
