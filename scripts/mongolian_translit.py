"""Latin transliteration (the scholarly one used beside every term in ``app.vocabulary.MONGOLIAN``) → traditional
Mongolian script, for writing catalog names by hand without picking letters from a character map.

    .venv/bin/python scripts/mongolian_translit.py "neyigem-ün daγatqal"    →  ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠳᠠᠭᠠᠲᠬᠠᠯ

Rules (the Unicode model of the script): q/k → QA, γ/g → GA (the font picks the form from the word's vowels),
``-`` before a suffix → U+202F (the suffix joins its word but stands apart), ``~`` → U+180E (a detached final
a/e, written ``ner~e``), ``,`` → Mongolian comma, ``.`` → Mongolian full stop. Anything else is refused, so a typo
cannot slip through as a stray Latin letter. The output still needs a native writer's reading (docs/mongolian.md).
"""

from __future__ import annotations

import sys

_DIGRAPHS = {"ng": "\u1829"}
_LETTERS = {
    "a": "\u1820", "e": "\u1821", "i": "\u1822", "o": "\u1823", "u": "\u1824", "ö": "\u1825", "ü": "\u1826",
    "ē": "\u1827", "n": "\u1828", "b": "\u182a", "p": "\u182b", "q": "\u182c", "k": "\u182c", "h": "\u182c",
    "γ": "\u182d", "g": "\u182d", "m": "\u182e", "l": "\u182f", "s": "\u1830", "š": "\u1831", "t": "\u1832",
    "d": "\u1833", "č": "\u1834", "j": "\u1835", "y": "\u1836", "r": "\u1837", "w": "\u1838", "f": "\u1839",
    "K": "\u183a",  # KA, for loanwords (komis)
    "-": "\u202f", "~": "\u180e", " ": " ", ",": "\u1802", ".": "\u1803", "(": "(", ")": ")",
}


def to_script(latin: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(latin):
        pair = latin[i:i + 2]
        if pair in _DIGRAPHS and latin[i + 2:i + 3] not in ("a", "e", "i", "o", "u", "ö", "ü"):
            out.append(_DIGRAPHS[pair])  # ng before a consonant or at the end; n+g before a vowel (e.g. "ange")
            i += 2
            continue
        ch = latin[i]
        if ch not in _LETTERS:
            raise ValueError(f"{latin!r}: no Mongolian letter for {ch!r} at {i}")
        out.append(_LETTERS[ch])
        i += 1
    return "".join(out)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(to_script(arg))
