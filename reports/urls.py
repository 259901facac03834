from django.urls import path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from desk.views import refuse_forbidden
from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("unduh/<str:fmt>/", views.export, name="export"),
]
# A refusal is a 403 that says why, as on the desk.
decorate_urlpatterns(urlpatterns, refuse_forbidden)
