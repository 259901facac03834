from django.urls import path

from accounts import two_factor_views as views

app_name = "two_factor"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("verifikasi/", views.verify, name="verify"),
    path("pasang/", views.enrol, name="enrol"),
    path("kode-cadangan/", views.recovery_codes, name="recovery_codes"),
    path("kode-cadangan/baru/", views.regenerate, name="regenerate"),
    path("matikan/", views.remove, name="remove"),
    path("atur-ulang/<int:user_id>/", views.reset, name="reset"),
]
