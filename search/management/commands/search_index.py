"""`manage.py search_index --rebuild`: the whole index again, with progress, counts and time;
`--pending`: index the queued changes now; without options: what is indexed and queued."""

import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from search.documents import KINDS
from search.engines import EngineUnavailable, search_engine
from search.models import PendingChange
from search.services import index_pending_process, search_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuilds the search index, indexes queued changes, or reports the index's state."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Index everything again.")
        parser.add_argument("--pending", action="store_true", help="Index the queued changes now.")
        parser.add_argument(
            "--skip-admin",
            action="store_true",
            help="With --rebuild: leave Wagtail's own (admin) index as it is.",
        )

    def handle(self, *args, rebuild=False, pending=False, skip_admin=False, verbosity=1, **opts):
        try:
            if rebuild:
                self._rebuild(verbosity, skip_admin)
            elif pending:
                result = index_pending_process()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Indexed {result.indexed} document(s), removed {result.removed}."
                    )
                )
            else:
                self._report()
        except EngineUnavailable as error:
            raise CommandError(f"The search engine is unavailable: {error}") from error

    def _progress(self, done: int, total: int) -> None:
        if not total:
            return
        filled = int(BAR_WIDTH * min(done, total) / total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stdout.flush()

    def _rebuild(self, verbosity: int, skip_admin: bool) -> None:
        interactive = verbosity > 0 and sys.stdout.isatty()
        progress = self._progress if verbosity > 0 else None
        if verbosity > 0 and not interactive:
            last = {"shown": 0}

            def progress(done, total):  # a line per tenth when the output is a file
                if total and done * 10 // total > last["shown"]:
                    last["shown"] = done * 10 // total
                    self.stdout.write(f"{done}/{total}")

        result = search_rebuild(progress=progress)
        if interactive:
            self.stdout.write("")
        kinds = ", ".join(f"{k}: {result.by_kind[k]}" for k in KINDS if result.by_kind.get(k))
        rate = result.documents / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {result.documents} document(s) ({kinds or 'none'}) and "
                f"{result.terms} term(s) with the {result.engine} engine in "
                f"{result.seconds:.1f} s ({rate:.0f} documents/s)."
            )
        )
        if not skip_admin:
            started = time.monotonic()
            call_command("update_index", verbosity=0)
            self.stdout.write(
                f"Wagtail's admin index rebuilt in {time.monotonic() - started:.1f} s."
            )

    def _report(self) -> None:
        engine = search_engine()
        keys = engine.indexed_keys()
        by_kind = {}
        for key in keys:
            by_kind[key.kind] = by_kind.get(key.kind, 0) + 1
        self.stdout.write(f"Engine: {engine.name}")
        for kind in KINDS:
            self.stdout.write(f"  {kind}: {by_kind.get(kind, 0)}")
        self.stdout.write(f"Queued changes: {PendingChange.objects.count()}")
