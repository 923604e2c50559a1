"""Bytes → text, for news files as they really arrive.

Order of decisions (first that applies wins):

1. empty or whitespace-only → :class:`~newsnlp.errors.EmptyInputError`;
2. gzip/zip/PDF/image and other binary signatures, or NUL bytes outside UTF-16 →
   :class:`~newsnlp.errors.BinaryInputError` (gzip is *refused*, not unpacked: decompress
   first, e.g. ``gunzip``, so a corpus never silently mixes archives and text);
3. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
4. an HTML ``<meta charset>`` in the first 4 KB;
5. strict UTF-8; a file cut inside its last character decodes with U+FFFD and a warning;
6. UTF-16 without BOM (recognised by its zero bytes);
7. the Chinese legacy encodings GB18030 (⊇ GBK, GB2312) and Big5, chosen by how common the
   decoded Han characters are, else cp1252 (so ``“curly quotes”`` never turn into ``â€œ``);
8. UTF-8 with replacement when at most 1% of it is broken; anything else is refused with
   :class:`~newsnlp.errors.DecodingError` (naming the encoding it may be in).

Newlines are normalised: CRLF and lone CR become LF.

Example:
    >>> decode_bytes("“Hi”".encode("cp1252")).text
    '“Hi”'
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsnlp.chars import HAN_BASIC_RE
from newsnlp.config import DEFAULT_MAX_BYTES
from newsnlp.errors import BinaryInputError, DecodingError, EmptyInputError, InputTooLargeError

logger = logging.getLogger(__name__)


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data; decompress it first (e.g. gunzip)"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX); extract the text first"),
    (b"%PDF", "a PDF document; extract its text first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BZh", "bzip2-compressed data; decompress it first"),
    (b"\xfd7zXZ", "xz-compressed data; decompress it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Decoded:
    """Decoded text with the encoding used and any warnings raised on the way."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = field(default=())


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR → LF."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def check_text_size(text: str, *, max_bytes: int | None = DEFAULT_MAX_BYTES, source: str | None = None) -> None:
    """The ``max_bytes`` limit for text given as ``str``: its size in UTF-8, as if read from a file.

    Raises:
        InputTooLargeError: ``text`` is over the limit.
    """
    if max_bytes is None or len(text) * 4 <= max_bytes:  # even at 4 bytes a character it fits
        return
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputTooLargeError(
            f"input is {size:,} bytes in UTF-8, over the limit of {max_bytes:,} (raise max_bytes to allow it)",
            source=source)


def decode_bytes(data: bytes, *, source: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode raw bytes of a news file to text.

    Args:
        data: The raw bytes.
        source: File or record name, used in error messages.
        max_bytes: Refuse larger inputs (``None``: no limit).

    Raises:
        EmptyInputError, BinaryInputError, InputTooLargeError, DecodingError.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLargeError(
            f"input is {len(data):,} bytes, over the limit of {max_bytes:,} (raise max_bytes to allow it)", source=source
        )
    if not data.strip():
        raise EmptyInputError("input is empty", source=source)
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise BinaryInputError(f"not text: {what}", source=source)
    warnings: list[str] = []
    text, encoding = _decode(data, warnings, source)
    if _CONTROL.search(text):
        controls = len(_CONTROL.findall(text))
        if controls > max(8, len(text) // 100):
            raise BinaryInputError(f"not text: {controls} control characters after decoding as {encoding}", source=source)
        text = _CONTROL.sub(" ", text)  # same length: offsets hold
        warnings.append(f"replaced {controls} control characters with spaces")
    text = normalize_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise EmptyInputError("input holds only whitespace", source=source)
    for message in warnings:
        logger.warning("%s: %s", source or "input", message)
    return Decoded(text, encoding, tuple(warnings))


def _decode(data: bytes, warnings: list[str], source: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _with_replacement(data[len(bom):], encoding, warnings), encoding
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"declared charset {declared!r} does not fit the bytes; detected instead")
    # UTF-16 text of Latin letters is also valid UTF-8 (every other byte NUL): its zero bytes say which.
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4000] else None
    if utf16:
        return _with_replacement(data[:len(data) - len(data) % 2], utf16, warnings), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            warnings.append("input ends inside a UTF-8 character (truncated file?); replaced with U+FFFD")
            return data.decode("utf-8", errors="replace"), "utf-8"
    if b"\x00" in data:
        han_utf16 = _utf16_han(data)  # Chinese in UTF-16 has few zero bytes (言 is 8A 00)
        if han_utf16:
            return han_utf16
        raise BinaryInputError("not text: contains NUL bytes", source=source)
    return _legacy(data, warnings, source)


def _with_replacement(data: bytes, encoding: str, warnings: list[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        warnings.append(f"invalid {encoding} bytes replaced with U+FFFD")
        return data.decode(encoding, errors="replace")


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    if b"<" not in head:
        return None
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages that say gb2312/gbk are nearly always GB18030 in practice (a strict superset).
    return "gb18030" if name in ("gb2312", "gbk", "euc_cn") else name


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _utf16_han(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM and with few zero bytes (Chinese text): it must decode to common Han characters."""
    if len(data) % 2:
        return None
    gb_common, big5_common = _common_han()
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            candidate = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        fit, n_han = _han_fit(candidate, gb_common | big5_common)
        if n_han >= 0.5 * len(candidate) and fit >= 0.9:
            return candidate, encoding
    return None


@lru_cache(maxsize=1)
def _common_han() -> tuple[frozenset[str], frozenset[str]]:
    """The most frequent Han characters: GB2312 level 1 (simplified) and Big5 level 1 (traditional)."""
    gb = {bytes([hi, lo]).decode("gb2312", "ignore") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)}
    big5 = set()
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            big5.add(bytes([hi, lo]).decode("big5", "ignore"))
    return frozenset(gb - {""}), frozenset(big5 - {""})


def _han_fit(text: str, common: frozenset[str]) -> tuple[float, int]:
    han = HAN_BASIC_RE.findall(text)
    if not han:
        return 0.0, 0
    return sum(c in common for c in han) / len(han), len(han)


def _legacy(data: bytes, warnings: list[str], source: str | None) -> tuple[str, str]:
    gb_common, big5_common = _common_han()
    candidates: list[tuple[float, str, str]] = []
    for encoding, common in (("gb18030", gb_common), ("big5", big5_common)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        fit, n_han = _han_fit(text, common)
        non_ascii = sum(b > 0x7F for b in data)
        # Han characters must account for most non-ASCII bytes and be common ones.
        if n_han and fit >= 0.8 and n_han * 2 >= non_ascii * 0.6:
            candidates.append((fit, encoding, text))
    if candidates:
        _, encoding, text = max(candidates)
        return text, encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    han_utf16 = _utf16_han(data)
    if han_utf16:
        return han_utf16
    # Last resort: UTF-8 with a few replacement characters; otherwise refuse, naming the detector's guess.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(1, len(text) // 100):
        warnings.append("invalid UTF-8 bytes replaced with U+FFFD")
        return text, "utf-8"
    hint = ""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            hint = f" (it may be {best.encoding}: convert it to UTF-8 first, e.g. with iconv)"
    except Exception:  # pragma: no cover - the detector only improves the message
        pass
    raise DecodingError(f"not decodable as UTF-8, UTF-16, GB18030, Big5 or cp1252{hint}", source=source)
