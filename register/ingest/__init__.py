"""Article ingestion: from received bytes to a cleaned report, its mentions and suggested evidence.

One module per job, none of them touching the database, so each can be run and
tested on plain strings:

- ``files``: files read safely (regular files only, links in a directory not followed, the size limit checked
  before reading) and their names shown safely;
- ``budget``: the time one file may take, checked between steps;
- ``decoding``: bytes to text (UTF-8, else Windows-1252), line endings normalised;
- ``furniture``: page furniture (captions, photo credits, trailers) out of the body;
- ``header``: the ``date YYYY-MM-DD Title`` line, the dateline, byline and credit lines;
- ``report``: the three above put together into one ``Report``;
- ``sources``: the agencies, outlets and cited bodies the importer recognises;
- ``mentions``: the name matcher, one Aho-Corasick automaton over every name;
- ``dates``: relative dates ("last month", "Wednesday") resolved to EDTF;
- ``suggestions``: sentences that report damage or a return, as suggested evidence.

``register.services.articles`` stores what they produce.
"""
