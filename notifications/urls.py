from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("dibaca/", views.mark_all_read, name="mark_read"),
    path("pilihan/", views.preferences, name="preferences"),
]
