from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.acting_list, name="acting_list"),
    path("baru/", views.acting_create, name="acting_create"),
    path("<int:pk>/cabut/", views.acting_revoke, name="acting_revoke"),
]
