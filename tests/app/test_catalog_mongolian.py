"""The shipped catalog names every matter, queue category and office in Mongolian too, in the script's own letters,
and the bundled font draws every one of them (no .notdef glyph, so no tofu on a screen or a paper)."""

from __future__ import annotations

from app.catalog.loader import load_catalog
from app.language import is_mongolian
from printing.mongolian import shape


def _letters_only_mongolian(text: str) -> bool:
    return all(not ch.isalpha() or "\u1800" <= ch <= "\u18af" for ch in text)


def test_every_shipped_matter_category_and_office_has_a_mongolian_name() -> None:
    catalog = load_catalog()
    named = {
        **{f"matter {m.code}": m.name_mn for m in catalog.matters},
        **{f"category {k}": catalog.categories_mn.get(k, "") for k in catalog.categories},
        **{f"department {d.code}": d.name_mn for d in catalog.departments},
    }
    assert len(named) == len(catalog.matters) + len(catalog.categories) + len(catalog.departments) > 60
    missing = [k for k, v in named.items() if not v or not is_mongolian(v) or not _letters_only_mongolian(v)]
    assert missing == []
    # Two matters with one Mongolian name would read as one service on the kiosk and the papers.
    matter_names = [m.name_mn for m in catalog.matters]
    assert len(set(matter_names)) == len(matter_names)


def test_the_bundled_font_draws_every_shipped_mongolian_name() -> None:
    catalog = load_catalog()
    texts = [m.name_mn for m in catalog.matters] + list(catalog.categories_mn.values()) + [
        d.name_mn for d in catalog.departments]
    for text in texts:
        for word in text.replace("(", " ").replace(")", " ").split():
            glyphs = shape(word, 12).glyph_ids
            assert glyphs and 0 not in glyphs, f"{word!r} has a glyph the font lacks"
