"""Create a local staff account in the Editors or Publishers group, once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

ROLES = {"editor": "Editors", "publisher": "Publishers"}


class Command(BaseCommand):
    help = "Create a staff account with a generated password in the role's group (only if it does not exist)."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Default: the role's name.")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")

    def handle(self, *args, username=None, role="editor", **options):
        username = username or role
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Account '{username}' already exists; its password was printed when it was created.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(
            self.style.SUCCESS(f"Local {role} account created (shown only this once):\n")
            + f"    user name: {username}\n    password:  {password}\n"
            + "    sign in at http://127.0.0.1:8000/admin/ (or your PORT)"
        )
