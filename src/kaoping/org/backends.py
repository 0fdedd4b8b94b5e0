"""The login backend: Django's, with the person's profile (unit, department) read in the same query as the
user, since every page asks the policy who the person is."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        user = User.objects.select_related("profile__unit", "profile__department").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
