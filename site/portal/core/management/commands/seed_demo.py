from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from portal.core.demo.content import DEMO_USERS
from portal.core.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Creates the demo province's units, accounts and pages. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts have published passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"] and not settings.TESTING:
            raise CommandError(
                "Demo accounts have published passwords: refusing with DEBUG off. "
                "Pass --allow-production to seed anyway."
            )
        # Demo orders go through the real flows, which email buyers and producers: demo data is
        # not activity, so emails sent in this process stay in memory. (With a broker, tasks are
        # queued instead, and the worker sends them with its own settings.)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            outbox_before = len(getattr(mail, "outbox", []))
            report = demo_seed()
            for seeder in settings.DEMO_SEEDERS:  # apps built on the site add their demo content
                import_string(seeder)(report=report)
            held = len(getattr(mail, "outbox", [])) - outbox_before
        if held:
            self.stdout.write(f"{held} email(s) of the demo flows were not sent.")
        created = ", ".join(f"{kind}: {n}" for kind, n in sorted(report.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo content ready (created {created})."))
        self.stdout.write("Demo accounts (email / password / role):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user['email']} / {user['password']} / {user['role']}")
        for email, password, role in report.accounts:
            self.stdout.write(f"  {email} / {password} / {role}")
