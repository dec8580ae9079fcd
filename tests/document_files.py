"""Real documents made at test time: a cluttered news web page, PDFs (with text, and scanned), WARC and WACZ files.

Each is written by the library the field uses to make such files (fpdf2 for PDFs, warcio for WARC records,
zipfile for a WACZ's ZIP), so the importer reads what it will be sent.
"""

import datetime as dt
import hashlib
import io
import json
import zipfile

from fpdf import FPDF
from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STORY = (
    "BEIRUT (AFP) - Islamic State jihadists destroyed the Tetrapylon in Palmyra last week, the Syrian "
    "Observatory for Human Rights said on Friday.",
    "Satellite images showed damage to the facade of the Roman Theatre, the monitor added.",
    "The ancient city was recaptured by government forces in March 2016 before IS seized it again in December.",
)
# Words that stand only in the page around the story: none may reach the body.
CLUTTER = (
    "cookies",
    "Accept all",
    "Home",
    "World",
    "Share on Twitter",
    "Share on Facebook",
    "Related stories",
    "Museum reopens in Damascus",
    "Aleppo citadel damaged by shelling",
    "SCRIPT-TEXT",
    "font-family",
    "All rights reserved",
    "Newsletter",
)


def news_page(*, title: str = "IS destroys Palmyra's Tetrapylon", story=STORY) -> bytes:
    """Return a saved news page: the story amid navigation, a cookie banner, scripts, styles, share buttons."""
    paragraphs = "\n".join(f"<p>{paragraph}</p>" for paragraph in story)
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | The Desert Courier</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Desert Courier">
<meta property="og:type" content="article">
<meta property="og:url" content="https://courier.example/2017/01/20/tetrapylon">
<meta property="article:published_time" content="2017-01-20T09:30:00+00:00">
<link rel="canonical" href="https://courier.example/2017/01/20/tetrapylon">
<style>body {{ font-family: serif }} .cookie-banner {{ position: fixed }}</style>
<script>document.title = "hijacked"; window.leak = "SCRIPT-TEXT";</script>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{title}", "datePublished": "2017-01-20T09:30:00Z",
 "author": {{"@type": "Person", "name": "Lina Haddad"}},
 "publisher": {{"@type": "Organization", "name": "The Desert Courier"}}}}</script>
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. Accept all cookies or
manage your preferences.</p><button>Accept all</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/culture">Culture</a></li></ul></nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By Lina Haddad</p>
<div class="share-buttons"><a href="https://twitter.com/share">Share on Twitter</a>
<a href="https://facebook.com/sharer">Share on Facebook</a></div>
{paragraphs}
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Museum reopens in Damascus</a></li>
<li><a href="/b">Aleppo citadel damaged by shelling</a></li></ul></aside>
</main>
<footer><form><label>Newsletter</label><input name="email"></form>
<p>© 2017 The Desert Courier. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script>console.log("SCRIPT-TEXT again")</script>
</body></html>""".encode()


# A UNITAR-UNOSAT-like assessment of three pages; the second reports the destruction, the third states a state.
ASSESSMENT_PAGES = (
    "Satellite-detected damage to the ancient city of Palmyra, Syria. Satellite imagery analysis of images "
    "dated 27 August 2015 and 2 September 2015 (WorldView-2).",
    "Satellite images taken on 2 September 2015 show that the Tetrapylon was destroyed by explosives in late "
    "August 2015.",
    "The Roman Theatre shows no visible damage. The Monumental Arch remains intact.",
)


def pdf(pages=ASSESSMENT_PAGES, *, title: str = "Damage assessment of Palmyra", author: str = "UNITAR-UNOSAT") -> bytes:
    """Return a PDF with a text layer, one page per text, and its title, author and creation date."""
    document = FPDF()
    document.set_title(title)
    document.set_author(author)
    document.set_creation_date(dt.datetime(2015, 9, 3, 12, 0, tzinfo=dt.UTC))
    document.set_font("Helvetica", size=12)
    for text in pages:
        document.add_page()
        document.multi_cell(0, 8, text)
    return bytes(document.output())


def scanned_pdf(pages: int = 2, *, shade: int = 0) -> bytes:
    """Return a PDF of images only, as a scanner makes: no text layer (``shade`` makes another scan's bytes)."""
    document = FPDF()
    for number in range(pages):
        image = io.BytesIO()
        Image.new("RGB", (240, 320), (250 - shade % 200, 250 - number * 40, 240)).save(image, "PNG")
        image.seek(0)
        document.add_page()
        document.image(image, x=10, y=10, w=120)
    return bytes(document.output())


def warc(records, *, gzip: bool = True) -> bytes:
    """Return a WARC file of ``response`` records: (url, content type, payload, WARC-Date) each."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for url, content_type, payload, date in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers, warc_headers_dict={"WARC-Date": date}
        )
        writer.write_record(record)
    return out.getvalue()


PAGE_URL = "https://courier.example/2017/01/20/tetrapylon"
PDF_URL = "https://unitar.example/palmyra-assessment.pdf"
PAGE_CAPTURED = "2017-01-21T08:15:00Z"
PDF_CAPTURED = "2017-01-21T08:16:30Z"


def page_and_pdf_warc(*, gzip: bool = True) -> bytes:
    """Return a WARC holding one web page and one PDF as captured, and an image that is neither."""
    return warc(
        [
            (PAGE_URL, "text/html; charset=utf-8", news_page(), PAGE_CAPTURED),
            (PDF_URL, "application/pdf", pdf(), PDF_CAPTURED),
            ("https://courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n not really", PAGE_CAPTURED),
        ],
        gzip=gzip,
    )


def wacz(warc_data: bytes, *, path: str = "archive/data.warc.gz", recorded_sha256: str | None = None) -> bytes:
    """Return a WACZ: a ZIP of the WARC under archive/, with a datapackage.json giving its SHA-256."""
    out = io.BytesIO()
    recorded = recorded_sha256 or hashlib.sha256(warc_data).hexdigest()
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "resources": [{"name": path.rsplit("/", 1)[-1], "path": path, "hash": f"sha256:{recorded}"}],
    }
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(path, warc_data, compress_type=zipfile.ZIP_STORED)
        archive.writestr("pages/pages.jsonl", json.dumps({"format": "json-pages-1.0"}) + "\n")
        archive.writestr("datapackage.json", json.dumps(package))
    return out.getvalue()
