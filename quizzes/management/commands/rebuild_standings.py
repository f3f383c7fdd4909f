from django.core.management.base import BaseCommand

from quizzes.models import Round
from quizzes.services.standings import standings_rebuild


class Command(BaseCommand):
    help = "Recomputes contest standings (and fixed ranks) from the attempts in the database."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, action="append", help="Only this round id.")

    def handle(self, *args, **options):
        rounds = Round.objects.select_related("contest").order_by("pk")
        if options["round"]:
            rounds = rounds.filter(pk__in=options["round"])
        for round_ in rounds:
            count = standings_rebuild(round_=round_)
            self.stdout.write(f"{round_.contest.title} · {round_.title}: {count} standings")
