from django.urls import path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from desk import views

app_name = "desk"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ringkasan/", views.overview, name="overview"),
    path("agenda/", views.agenda_list, name="agenda_list"),
    path("agenda/baru/", views.agenda_create, name="agenda_create"),
    path("agenda/<int:pk>/", views.agenda_edit, name="agenda_edit"),
    path("agenda/<int:pk>/disposisi/", views.disposisi_create, name="disposisi_create"),
    path("liputan/", views.liputan_list, name="liputan_list"),
    path("liputan/<int:pk>/", views.liputan_detail, name="liputan"),
    path("liputan/<int:pk>/telaah/", views.review, name="review"),
    path("liputan/<int:pk>/tindakan/", views.liputan_act, name="act"),
    path("liputan/<int:pk>/tulis/", views.liputan_write, name="write"),
    path("liputan/<int:pk>/laporkan/", views.liputan_submit, name="submit"),
    path("liputan/<int:pk>/terbit-darurat/", views.emergency_publish, name="emergency_publish"),
    path("liputan/<int:pk>/revisi/<int:revision_a>/<int:revision_b>/", views.revision_compare, name="compare"),
]
# Refusals answer 403 with the reason, not Wagtail's redirect to the dashboard.
decorate_urlpatterns(urlpatterns, views.refuse_forbidden)
