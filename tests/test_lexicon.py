"""Whether a value's lower-case words are words of the languages labels are written in."""

from __future__ import annotations

import pytest

from herbproc.fields.lexicon import has_unknown_word, is_word, unknown_words


@pytest.mark.parametrize(
    "text",
    [
        "along the river, on limestone bluffs in rich woods",
        "bosque de galería cerca del río, en la quebrada",  # Spanish, its accents folded
        "forêt humide au bord du ruisseau",
        "am Waldrand bei der Brücke",
        "Mt. Chubetsu, DAISETSU MTS., Ozark Natl. Forest",  # capitals and abbreviations are not looked up
        "2 mi. N. of Rayville, 5220-5260 ft.",
        "foothills of the Cen-tral Range",  # hyphenated at a line's end
        "",
    ],
)
def test_a_value_of_words_has_no_unknown_word(text: str) -> None:
    assert unknown_words(text) == [] and not has_unknown_word(text)


def test_words_a_reader_garbled_are_unknown_and_names_are_not_looked_up() -> None:
    text = "E facing lemestone bluff. crevicest, along St. Francis Riner, beteveen Rucker and Ojifuay"
    assert unknown_words(text) == ["lemestone", "crevicest", "beteveen"]
    assert has_unknown_word("ravine thibutary to Littll Platte")
    assert is_word("River") and is_word("RÍO") and not is_word("Riner")


def test_a_word_list_that_cannot_be_read_says_which_in_one_line(tmp_path, monkeypatch) -> None:
    from herbproc.fields import lexicon

    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "en.json.gz").write_bytes(b"not gzip")
    monkeypatch.setattr(lexicon, "files", lambda package: tmp_path)
    lexicon._hashes.cache_clear()
    try:
        with pytest.raises(RuntimeError) as err:
            lexicon.is_word("river")
        assert "pyspellchecker's en word list cannot be read" in str(err.value) and "\n" not in str(err.value)
    finally:
        lexicon._hashes.cache_clear()
