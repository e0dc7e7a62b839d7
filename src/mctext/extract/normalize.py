"""Unicode and whitespace normalisation shared by every extractor.

Small ``str -> str`` functions (the textacy idea): each does one thing, and
``normalize_text`` composes them in the order that keeps offsets meaningful.
"""

from __future__ import annotations

import re
import unicodedata

# Presentation-form ligatures that NFKC would expand, handled alone so that we
# keep NFC for everything else (NFKC also rewrites superscripts, fractions, "ｆ").
LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Invisible characters that only ever break words apart in extracted text.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_LIGATURE_TABLE = str.maketrans(LIGATURES)
# Every Unicode space except newline becomes a plain space.
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# what ``_SPACES`` would change: a space other than a single plain one
_ODD_SPACE = re.compile(r"[^\S\n ]|  ")


# str.translate looks every character up in its table (slow); most texts hold none of these
_ANY_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
_ANY_INVISIBLE = re.compile("[" + "".join(map(chr, INVISIBLE)) + "]")


def expand_ligatures(text: str) -> str:
    return text.translate(_LIGATURE_TABLE) if _ANY_LIGATURE.search(text) else text


def drop_invisible(text: str) -> str:
    return text.translate(INVISIBLE) if _ANY_INVISIBLE.search(text) else text


def unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def collapse_whitespace(text: str) -> str:
    """Runs of spaces become one; paragraphs (blank lines) survive as exactly one blank line.

    (Each substitution runs only where it changes something: a text whose only spaces are
    single plain ones, none beside a newline, is left as it is by the first two, and a
    search that finds nothing is cheaper than a substitution at every space and newline.)"""
    if _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def normalize_text(text: str) -> str:
    """NFC, ligatures expanded, soft hyphens and zero-width characters dropped, whitespace collapsed."""
    text = unify_newlines(text)
    text = expand_ligatures(drop_invisible(text))
    text = unicodedata.normalize("NFC", text)
    return collapse_whitespace(text)
