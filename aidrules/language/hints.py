"""What a policy officer most likely meant where an expression cannot be read.

Typing rules in a Chinese editor gives full-width brackets and commas, maths symbols
(``≤``), a single ``=`` for equality, or a fact's Chinese name instead of its id.
Each is recognised where the reading stopped, so the problem can say what to write."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

# A symbol as typed → what the language spells it.
SYMBOLS = {
    "≤": "<=", "≦": "<=", "⩽": "<=", "≥": ">=", "≧": ">=", "⩾": ">=", "≠": "!=",
    "＝": "==", "＜": "<", "＞": ">", "（": "(", "）": ")", "，": ",", "、": ",",
    "【": "[", "】": "]", "［": "[", "］": "]", "＋": "+", "－": "-", "−": "-", "–": "-",
    "×": "*", "＊": "*", "·": "*", "÷": "/", "／": "/", "“": '"', "”": '"', "‘": "'",
    "’": "'", "＂": '"', "＇": "'", "．": ".", "。": ".",
}
# Two-character spellings from other languages.
DIGRAPHS = {"&&": "and", "||": "or", "=<": "<=", "=>": ">=", "<>": "!="}


def operator_hint(text: str, pos: int) -> str | None:
    """The spelling the language wants for the symbol at ``text[pos]``, if it is a known slip."""
    char, pair = text[pos: pos + 1], text[pos: pos + 2]
    if pair in DIGRAPHS:
        return DIGRAPHS[pair]
    if char == "=":
        return "=="
    if char == "!":
        return "not"
    if char in SYMBOLS:
        return SYMBOLS[char]
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char and folded.isascii() and folded.strip() else None


def is_word_character(char: str) -> bool:
    """A letter of a name written in Chinese (or another non-Latin script)."""
    return not char.isascii() and (char.isalnum() or unicodedata.category(char) == "Lo")


def word_at(text: str, pos: int) -> str | None:
    """The run of non-Latin letters starting at ``text[pos]``, like 人均收入."""
    end = pos
    while end < len(text) and (is_word_character(text[end]) or
                               (end > pos and (text[end].isalnum() or text[end] == "_"))):
        end += 1
    return text[pos:end] if end > pos else None


def closest_name(word: str, glossary: Mapping[str, str]) -> str | None:
    """The id whose title (Chinese or English) is closest to ``word``: 人均收入 →
    per_capita_income (家庭月人均收入). ``glossary`` maps titles to ids."""
    best, best_score = None, 0.0
    for title, name in glossary.items():
        score = difflib.SequenceMatcher(None, word, title).ratio()
        if word in title or title in word:
            score += 0.5 * min(len(word), len(title)) / max(len(word), len(title)) + 0.25
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 0.5 else None
