"""Import reports as articles: ``manage.py import_articles seeds/ report.txt page.html survey.pdf capture.wacz``."""

import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from register.services.articles import ImportStatus, article_import_listed, files_to_import, gazetteer_current


class Command(BaseCommand):
    help = (
        "Import files (or directories of them) as articles: text reports (.txt), saved web pages (.html, .htm), "
        "PDF reports (.pdf) and web archives (.warc, .warc.gz, .wacz), whose web pages and PDFs each become an "
        "article. Decode or extract, fingerprint, clean, find the monuments they name and suggest evidence for "
        "curators. A file already imported is reported as duplicate. Links found in a directory are not "
        "followed. Each file has ARTICLE_IMPORT_SECONDS; one that fails is reported with the reason and the "
        "others still import. Exits with status 1 when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or directories whose .txt files are imported.")
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["text", "json"],
            default="text",
            help=(
                "json: one JSON object per line per file (file, status, format, sha256, article, pages, mentions, "
                "error; a web archive's also documents, one object per web page or PDF captured)."
            ),
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=None,
            help="Seconds each file may take before it fails (default: ARTICLE_IMPORT_SECONDS, 20).",
        )

    def handle(self, *args, paths, output_format, seconds, **options):
        if seconds is not None and not seconds > 0:
            raise CommandError(_("--seconds must be a positive number, not %(value)s.") % {"value": seconds})
        files = files_to_import(paths)
        gazetteer = gazetteer_current()
        counts = Counter()
        # A bar only for a person at a terminal; piped output stays one line per file.
        progress = tqdm(files, unit="file", leave=False, disable=not self.stdout.isatty() or len(files) < 2)
        for item in progress:
            result = article_import_listed(item=item, gazetteer=gazetteer, seconds=seconds)
            counts[result.status] += 1
            line = json.dumps(result.as_json(), ensure_ascii=False) if output_format == "json" else self._line(result)
            with tqdm.external_write_mode():
                self.stdout.write(line)
        progress.close()

        summary = (
            f"{len(files)} file{'s' if len(files) != 1 else ''}: {counts[ImportStatus.CREATED]} created, "
            f"{counts[ImportStatus.DUPLICATE]} duplicate, {counts[ImportStatus.FAILED]} failed."
        )
        if counts[ImportStatus.FAILED]:
            raise CommandError(summary)
        # In JSON mode stdout carries only the objects; the summary goes to stderr.
        (self.stderr if output_format == "json" else self.stdout).write(summary)

    def _line(self, result) -> str:
        if result.status == ImportStatus.FAILED:
            return self.style.ERROR(f"failed     {result.file}: {result.error}")
        article = result.article
        flag = f" (needs review: {article.review_note})" if article.needs_review else ""
        named = f" names {', '.join(result.mentions)}" if result.mentions else ""
        suggested = f"; {result.suggestions} new suggestion{'s' if result.suggestions != 1 else ''}"
        received = ""
        if result.format and result.format != "text":
            pages = f", {result.pages} page{'s' if result.pages != 1 else ''}" if result.pages else ""
            received = f" [{result.format}{pages}]"
        articles = f"article {article.pk}"
        if len(result.documents) > 1:
            stored = [str(document.article.pk) for document in result.documents if document.article]
            articles = f"articles {', '.join(stored)}"
            flag = (
                "".join(f"; {document.url}: {document.error}" for document in result.documents if document.error)
                or flag
            )
        style = self.style.SUCCESS if result.status == ImportStatus.CREATED else (lambda text: text)
        return style(f"{result.status:<10} {result.file}{received} → {articles}{named}{suggested}{flag}")
