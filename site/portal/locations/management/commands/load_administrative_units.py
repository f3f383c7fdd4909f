from django.core.management.base import BaseCommand

from portal.locations.services import administrative_units_load


class Command(BaseCommand):
    help = "Loads the 2025 provinces and communes from the vietnam-provinces package (idempotent)."

    def handle(self, *args, **options):
        result = administrative_units_load()
        self.stdout.write(
            self.style.SUCCESS(f"{result.provinces} provinces, {result.communes} communes loaded.")
        )
