from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "pcn-portal-demo"


class Command(BaseCommand):
    help = (
        "Give an empty development database something to log in with: a demo superuser, "
        "whose credentials are printed. Does nothing when users exist. Refuses to run "
        "with DEBUG off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only; set DEBUG=true to load it.")
        User = get_user_model()
        if not User.objects.exists():
            User.objects.create_superuser(DEMO_USERNAME, password=DEMO_PASSWORD)
            self.stdout.write("Created the demo superuser.")
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo login (development only): username {DEMO_USERNAME}, password {DEMO_PASSWORD}"
            )
