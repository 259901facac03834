from wagtail.permission_policies import ModelPermissionPolicy


class PermohonanPermissionPolicy(ModelPermissionPolicy):
    """Requests come only from the public form and are kept as records: Django's model permissions
    decide view and change; add and delete are refused to everyone, superusers included."""

    READ_ONLY_ACTIONS = ("add", "delete")

    def user_has_permission(self, user, action):
        if action in self.READ_ONLY_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.READ_ONLY_ACTIONS]
        if not actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(actions)
