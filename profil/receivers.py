"""Keeps the cached site chrome (profil.selectors.site_chrome) true to what it shows: the site
identity, its menu and footer links, and the pages those links point to."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from profil.selectors import forget_site_chrome
from profil.site_settings import MenuItem, SiteIdentity


@receiver(post_save, sender=SiteIdentity)
@receiver(post_delete, sender=SiteIdentity)
@receiver(post_save, sender=MenuItem)
@receiver(post_delete, sender=MenuItem)
def _settings_changed(**kwargs):
    forget_site_chrome()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(**kwargs):
    # A menu link to a page shows its title and URL, and is left out while the page is not live.
    forget_site_chrome()


@receiver(post_delete, sender=Page)
def _page_deleted(instance, **kwargs):
    forget_site_chrome()
