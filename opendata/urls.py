"""Include before Wagtail's catch-all in ``lontar/urls.py``:

    path("", include("opendata.urls")),

The same catalogue is always served by Wagtail at /data/data-json/ (``DataIndexPage.catalogue``).
"""

from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("data/data.json", views.catalogue_json, name="catalogue_json"),
]
