"""Wagtail's users app with Lontar's user viewset (``accounts.users_admin``), as Wagtail documents
for custom user forms: listed in ``INSTALLED_APPS`` instead of ``"wagtail.users"``. Imports no
models: it is loaded while the app registry is being built."""

from wagtail.users.apps import WagtailUsersAppConfig


class LontarUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.users_admin.LontarUserViewSet"
