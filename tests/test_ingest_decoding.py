"""Received bytes become text, or a reason a curator can read."""

from pathlib import Path

import pytest

from register.ingest.decoding import MAX_BYTES, UnreadableError, decode, normalise_newlines

DATA = Path(__file__).parent / "data" / "ingest"


def test_utf8_is_decoded_as_utf8():
    decoded = decode("Palmyra’s théâtre".encode())
    assert decoded.text == "Palmyra’s théâtre"
    assert decoded.encoding == "utf-8"


def test_windows_1252_with_curly_quotes_is_decoded_and_named():
    decoded = decode((DATA / "windows-1252.txt").read_bytes())
    assert decoded.encoding == "windows-1252"
    assert "Palmyra’s theatre facade – “new destruction”" in decoded.text
    assert "Roman Théatre’s facade" in decoded.text


def test_crlf_and_lone_cr_line_endings_become_lf():
    decoded = decode((DATA / "crlf.txt").read_bytes())
    assert "\r" not in decoded.text
    assert decoded.text.startswith("date 2017-03-01 Busts back in Damascus\n\nDAMASCUS (AFP)")
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_a_byte_order_mark_is_not_part_of_the_text():
    decoded = decode(b"\xef\xbb\xbfdate 2017-03-02 Title\n")
    assert decoded.text == "date 2017-03-02 Title\n"
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n", "only white space"),
        ((DATA / "binary.txt").read_bytes(), "binary file: it contains NUL bytes"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50 + b"text", "full of control characters"),
        ("Palmyra".encode("utf-16"), "UTF-16"),
        (b"caf\x81 \x8d", "neither UTF-8 nor Windows-1252: byte 0x81 at offset 3"),
    ],
)
def test_bytes_that_are_not_a_report_are_refused_with_the_reason(data, reason):
    with pytest.raises(UnreadableError, match=reason):
        decode(data)


def test_a_file_larger_than_the_limit_is_refused_before_decoding():
    with pytest.raises(UnreadableError, match="larger than"):
        decode(b"a" * (MAX_BYTES + 1))


def test_an_empty_data_file_is_really_empty():
    assert (DATA / "empty.txt").read_bytes() == b""
