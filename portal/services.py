from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from desk.content_types import installed_content_types
from portal.models import HomePage


@transaction.atomic
def portal_setup(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Create the public site's home and berita section once; later calls return what exists."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's install leaves a "Welcome" page at the site root; Lontar's home replaces it.
        for page in root.get_children().exact_type(Page):
            Site.objects.filter(root_page=page).delete()
            page.delete()
        home = HomePage(
            title=settings.LONTAR_PUBLIC_SITE_NAME,
            slug="beranda",
            intro="Informasi resmi, berita dan potensi daerah Kabupaten Tabanan.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    for content_type in installed_content_types():
        index_class = content_type.index_class()
        if not index_class.objects.exists():
            index = index_class(title=content_type.index_title, slug=content_type.index_slug)
            home.add_child(instance=index)
            index.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=home.title)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = home.title
        site.save()
    return home
