"""The last step of a restore (docs/deploy.md "Backup and restore"): every cached page forgotten."""

from django.core.management.base import BaseCommand, CommandError

from publishing import caching


class Command(BaseCommand):
    help = (
        "Forget every cached page and API answer: a new content generation, and the shared cache "
        "(Redis) emptied. Run it once the app servers use the restored database."
    )

    def handle(self, *args, **options):
        try:
            caching.forget_everything()
        except caching.Unavailable as error:
            raise CommandError(
                "The cache does not answer. The content generation is new, so no page cached before is "
                "served again; run this command again once the cache answers, to empty it."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Every cached page and API answer is forgotten. Empty each nginx's proxy cache too "
                "($NGINX_STATE_DIR/cache/)."
            )
        )
