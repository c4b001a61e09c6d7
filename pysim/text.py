"""Text as typed -> the words pysim reads, and a notice for whatever was cleaned away; for a
model that reads vectors, not words, the fixed vector each word is fed as (word_vectors).

What a user would expect, and what pysim does:

- Words are separated by whitespace (`str.split`: spaces, tabs, newlines, the Unicode spaces).
- Control characters (Unicode category Cc: NUL, BEL, backspace, ESC, DEL, the C1 controls) that
  are not whitespace are removed: nobody types them on purpose, they arrive by pasting (terminal
  colour codes, binary junk), and shown they are invisible or garble the display. "a\\0b" reads
  as "ab"; a text of only control characters is empty.
- Lone surrogates (a JavaScript string can hold them; they are not valid Unicode and cannot be
  encoded) become U+FFFD, the replacement character.
- A word made only of invisible format characters (category Cf: a zero-width space, bidi
  controls, a byte-order mark) is dropped: it would be a column with nothing to see.
- Everything else stays exactly as typed: HTML and script-like text (it is only ever shown as
  text), emoji and ZWJ sequences, combining marks, right-to-left scripts, very long words.
"""
from __future__ import annotations

import functools
import re
import unicodedata
import zlib

import numpy as np

from .model import tokenize

# Cc minus whitespace: \t \n \v \f \r (09-0D), the separators 1C-1F and NEL (85) split words
CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
SURROGATES = re.compile("[\ud800-\udfff]")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def words(text: str) -> tuple[list[str], list[str]]:
    """The words of `text` and the notices (sentences for the user) about what was cleaned."""
    notices = []
    text, n = CONTROLS.subn("", text)
    if n:
        notices.append(f"Removed {_plural(n, 'control character')} (such as NUL or ESC) "
                       f"from the text.")
    text, n = SURROGATES.subn("\ufffd", text)
    if n:
        notices.append(f"Replaced {_plural(n, 'invalid character')} (lone surrogates) "
                       f"with \ufffd.")
    tokens = tokenize(text)
    visible = [t for t in tokens if not all(unicodedata.category(c) == "Cf" for c in t)]
    if len(visible) < len(tokens):
        notices.append(f"Ignored {_plural(len(tokens) - len(visible), 'word')} made only of "
                       f"invisible characters.")
    return visible, notices


def word_vectors(tokens: list[str], width: int) -> np.ndarray:  # (T, width)
    """Fixed pseudo-random vectors for words, for models that take vectors, not words.

    Each word always gets the same vector (seeded by its CRC-32), so traces are reproducible.
    """
    return np.stack([_word_vector(w, width) for w in tokens]) if tokens else np.zeros((0, width))


# a retrace meets the same words again, and a generator per word costs ~10 us (more in
# Pyodide): keep the vectors of about one text's worth of words (MAX_TOKENS)
@functools.lru_cache(maxsize=1024)
def _word_vector(word: str, width: int) -> np.ndarray:
    vector = np.random.default_rng(zlib.crc32(word.encode("utf-8"))).standard_normal(width)
    vector.flags.writeable = False  # shared between calls
    return vector
