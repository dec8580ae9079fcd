"""Generate a realistic register of any size (for benchmarks), reproducibly from a seed."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from register.dev.synthetic_register import QUOTES_PER_ARTICLE, register_generate


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Add N generated monuments with names, incidents, restorations, articles and their quotes."

    def add_arguments(self, parser):
        parser.add_argument("--monuments", type=positive, required=True, help="How many monuments to add.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same register.")
        parser.add_argument(
            "--incidents-per-monument", type=int, default=4, help="Mean incidents per monument (default 4)."
        )
        parser.add_argument(
            "--quotes-per-article",
            type=positive,
            default=QUOTES_PER_ARTICLE,
            help=f"Events each article reports, so articles = events / this (default {QUOTES_PER_ARTICLE}).",
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=5000,
            help="Monuments generated and written per batch (and refreshed per batch at the end).",
        )

    def handle(self, *args, monuments, seed, incidents_per_monument, quotes_per_article, batch_size, **options):
        if incidents_per_monument < 0:
            raise CommandError("--incidents-per-monument must not be negative.")
        # The bars only on a terminal; a log or a test gets the summary alone.
        quiet = not sys.stderr.isatty()
        with (
            tqdm(total=monuments, unit="monument", desc="Generating", disable=quiet) as bar,
            # The stored conditions are refreshed for the whole register, so its size is known only then.
            tqdm(unit="record", desc="Refreshing conditions", disable=quiet, delay=1) as refresh_bar,
        ):
            summary = register_generate(
                monuments=monuments,
                seed=seed,
                incidents_per_monument=incidents_per_monument,
                quotes_per_article=quotes_per_article,
                batch_size=batch_size,
                progress=bar.update,
                refresh_progress=refresh_bar.update,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.monuments} monuments, {summary.names} alternate names, "
                f"{summary.articles} articles, {summary.incidents} incidents, {summary.restorations} restorations "
                f"and {summary.evidence} quotes."
            )
        )
        if options["verbosity"] >= 2:
            self.stdout.write(", ".join(f"{phase}: {spent:.1f} s" for phase, spent in summary.seconds.items()))
