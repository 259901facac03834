"""Admin wiring for the profil app: the home page banners as an ordered snippet list.

(The site identity and navigation settings register themselves with ``register_setting``, which
Wagtail's settings menu reads.)"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from profil.models import Banner


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    menu_label = _("Banner beranda")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "active_from", "active_until"]
    # Banner is Orderable: the list can be reordered by dragging (its sort_order field).


register_snippet(BannerViewSet)
