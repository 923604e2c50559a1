import gzip

import pytest

from newsnlp.errors import BinaryInputError, EmptyInputError, InputTooLargeError
from newsnlp.preprocess.decode import decode_bytes

ZH = "国务院总理温家宝今天在北京会见了来访的美国国务卿，双方就中美关系交换了意见。"
TW = "國務院總理溫家寶今天在北京會見了來訪的美國國務卿，雙方就中美關係交換了意見。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("Plain “quoted” text".encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + "BOM text".encode("utf-8"), "utf-8"),
        (b"\xff\xfe" + ZH.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + ZH.encode("utf-16-be"), "utf-16-be"),
        (ZH.encode("gbk"), "gb18030"),
        (ZH.encode("gb18030"), "gb18030"),
        (TW.encode("big5"), "big5"),
        ("He said “no” – twice… café".encode("cp1252"), "cp1252"),
    ],
)
def test_decodes_each_supported_encoding(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert "â€" not in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_roundtrip_text_is_exact() -> None:
    assert decode_bytes(ZH.encode("gbk")).text == ZH
    assert decode_bytes(TW.encode("big5")).text == TW
    assert decode_bytes("He said “no”".encode("cp1252")).text == "He said “no”"


def test_utf16_without_bom() -> None:
    assert decode_bytes(ZH.encode("utf-16-le")).text == ZH


def test_html_meta_charset_is_honoured() -> None:
    page = f'<html><head><meta charset="gbk"></head><body><p>{ZH}</p></body></html>'.encode("gbk")
    decoded = decode_bytes(page)
    assert decoded.encoding == "gb18030" and ZH in decoded.text


def test_crlf_and_cr_become_lf() -> None:
    assert decode_bytes(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_truncated_utf8_decodes_with_replacement_and_warning() -> None:
    data = ZH.encode("utf-8")[:-1]
    decoded = decode_bytes(data)
    assert decoded.text.endswith("\ufffd")
    assert decoded.warnings and "truncated" in decoded.warnings[0]


@pytest.mark.parametrize(
    "data, reason",
    [
        (gzip.compress(b"an article"), "gzip"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"%PDF-1.7 ...", "PDF"),
        (bytes(range(256)) * 4, "NUL"),
    ],
)
def test_binary_is_refused_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(BinaryInputError, match=reason):
        decode_bytes(data, source="f.txt")


@pytest.mark.parametrize("data", [b"", b"  \t\n", " \u3000 \n".encode("utf-8")])
def test_empty_and_whitespace_are_refused(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        decode_bytes(data)


def test_too_large_is_refused() -> None:
    with pytest.raises(InputTooLargeError, match="limit"):
        decode_bytes(b"x" * 101, max_bytes=100)


def test_error_names_the_source() -> None:
    with pytest.raises(EmptyInputError, match="my.txt"):
        decode_bytes(b"", source="my.txt")


def test_undecodable_bytes_are_refused_with_a_hint() -> None:
    from newsnlp.errors import DecodingError

    with pytest.raises(DecodingError, match="not decodable"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 50, source="odd.txt")
