"""Create the local editor account that `make run` announces, once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

EDITORS_GROUP = "Editors"


class Command(BaseCommand):
    help = "Create a staff account in the Editors group with a generated password (only if it does not exist)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Editor account '{username}' already exists; its password was printed when it was created."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(
            self.style.SUCCESS("Local editor account created (shown only this once):\n")
            + f"    user name: {username}\n    password:  {password}\n"
            + "    sign in at http://127.0.0.1:8000/admin/ (or your PORT)"
        )
