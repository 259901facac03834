"""Wagtail's user screens with Lontar's username rule (``accounts.usernames``): the forms add the
check, the viewset uses the forms, ``accounts.users_app`` puts the viewset in place."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from accounts.usernames import validate_username


class _UsernameRuleMixin:
    def _clean_username(self):
        username = super()._clean_username()
        field = get_user_model().USERNAME_FIELD
        if username and field not in self.errors:
            try:
                validate_username(username, exclude_pk=self.instance.pk)
            except ValidationError as exc:
                self.add_error(field, exc)
        return username


class LontarUserCreationForm(_UsernameRuleMixin, UserCreationForm):
    pass


class LontarUserEditForm(_UsernameRuleMixin, UserEditForm):
    pass


class LontarUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return LontarUserEditForm if for_update else LontarUserCreationForm
