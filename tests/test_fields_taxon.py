"""Scientific names: parsing, the taxonomy index, OCR matching and fusion with the image prior."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from herbproc.fields import TaxonIndex, extract_fields, parse_name, resolve_taxon
from herbproc.fields.names import find_name_in_line
from herbproc.fields.taxon import ocr_likelihood

CRINITA = "Carex crinita Lam."
TAXONOMY = [
    "Carex crinita Lam.",
    "Carex crinata Lam.",  # a near-twin, to make OCR ambiguous
    "Carex crinita var. brevicrinis Fernald",
    "Carex lurida Wahlenb.",
    "Carex",
    "Castanea dentata (Marsh.) Borkh.",
    "Quercus rubra L.",
    "Poa annua L.",
    "Aster novae-angliae L.",
    "Fimbristylis autumnalis (L.) Roem. & Schult.",
]


@pytest.fixture(scope="module")
def index() -> TaxonIndex:
    return TaxonIndex(TAXONOMY)


@pytest.mark.parametrize(
    ("text", "canonical", "authorship", "rank"),
    [
        ("Carex crinita Lam. var. brevicrinis Fernald", "Carex crinita var. brevicrinis", "Fernald", "variety"),
        ("Carex crinita Lam. var. brevicrinis Fern.", "Carex crinita var. brevicrinis", "Fern.", "variety"),
        ("Castanea dentata (Marsh.) Borkh.", "Castanea dentata", "(Marsh.) Borkh.", "species"),
        ("Fimbristylis autumnalis (L.) Roem. & Schult.", "Fimbristylis autumnalis", "(L.) Roem. & Schult.",
         "species"),
        ("Eragrostis pectinacea (Michx.) Nees ex Steud.", "Eragrostis pectinacea", "(Michx.) Nees ex Steud.",
         "species"),
        ("Rubus fulleri L.H.Bailey", "Rubus fulleri", "L.H.Bailey", "species"),
        ("Solidago canadensis L. f.", "Solidago canadensis", "L. f.", "species"),  # f. = filius here
        ("Aster novae-angliae L. f. roseus (Desf.) Britton", "Aster novae-angliae f. roseus", "(Desf.) Britton",
         "form"),
        ("Betula papyrifera ssp. cordifolia", "Betula papyrifera subsp. cordifolia", "", "subspecies"),
        ("Quercus x bebbiana Schneid.", "Quercus bebbiana", "Schneid.", "species"),
        ("CAREX CRINITA LAM.", "Carex crinita", "LAM.", "species"),
        ("Carex", "Carex", "", "genus"),
        ("Aster novae-angIiae L.", "Aster novae-angliae", "L.", "species"),  # OCR "I" for "l"
        # epithets once written with a capital: from places, persons and old genus names
        ("Solanum Tequilense Gray", "Solanum tequilense", "Gray", "species"),
        ("Hibiscus Moscheutos L.", "Hibiscus moscheutos", "L.", "species"),
        ("Cymbalaria Cymbalaria (L.) Wettst.", "Cymbalaria cymbalaria", "(L.) Wettst.", "species"),
        ("Quercus Muhlenbergii Engelm.", "Quercus muhlenbergii", "Engelm.", "species"),
        ("Carex Britton", "Carex", "", "genus"),  # a genus and its author, not an epithet
        ("Solanum Gray", "Solanum", "", "genus"),
        ("Carex Torr.", "Carex", "", "genus"),
        # an infraspecific epithet after its rank marker, capitalised as species epithets were
        ("Salix alba L. var. Vitellina", "Salix alba var. vitellina", "", "variety"),
        ("Rosa nitida Willd. subsp. Palustris Crép.", "Rosa nitida subsp. palustris", "Crép.", "subspecies"),
        ("Salix alba var. Smith", "Salix alba", "", "species"),  # an author's name is no epithet
    ],
)  # fmt: skip
def test_parse_name(text: str, canonical: str, authorship: str, rank: str) -> None:
    parsed = parse_name(text)
    assert (parsed.canonical, parsed.authorship, parsed.rank) == (canonical, authorship, rank)


@pytest.mark.parametrize(
    ("line", "binomial"),
    [
        ("Solanum Tequilense Gray", "Solanum tequilense"),  # an epithet's own ending: a name in running text too
        ("Salix Babylonica L. Weeping willow", "Salix babylonica"),
        ("Hibiscus Moscheutos L.", None),  # a capitalised noun: only where a names list says so
        ("Boston Post Road near Spithead Road", None),
    ],
)
def test_capitalised_epithets_in_running_text(line: str, binomial: str | None) -> None:
    found = find_name_in_line(line)
    assert (found.parsed.binomial if found and found.parsed.specific_epithet else None) == binomial


def test_parse_name_keeps_species_authorship_of_an_infraspecific_name() -> None:
    parsed = parse_name("Carex crinita Lam. var. brevicrinis Fernald")
    assert parsed.species_authorship == "Lam."
    assert parsed.scientific_name == "Carex crinita var. brevicrinis Fernald"


@pytest.mark.parametrize("text", ["", "123", "carex crinita", "the woods", None])
def test_not_a_name(text) -> None:
    assert parse_name(text) is None


@pytest.mark.parametrize(
    "line",
    [
        "Growing in upland forest on the Dogwood Point Trail",
        "Scattered around the edges of a cluster",
        "Plants of Connecticut",
        "FAGACEAE",
        "Cerro del Elmo",  # a place: an article is no epithet
        "Sierra de los Organos",
    ],
)
def test_sentences_are_not_names_without_a_taxonomy(line: str) -> None:
    assert find_name_in_line(line) is None


def test_names_inside_sentences_are_found_without_a_taxonomy() -> None:
    found = find_name_in_line(
        "Voucher for Remnant American Chestnut (Castanea dentata (Marsh.) Borkh.; Fagaceae)"
    )
    assert found.parsed.canonical == "Castanea dentata"
    assert find_name_in_line("Quercus rubra, Fagus grandifolia").parsed.authorship == ""


def test_index_from_list_and_file_agree(tmp_path: Path, index: TaxonIndex) -> None:
    path = tmp_path / "names.txt"
    path.write_text("# taxonomy of the run\n" + "\n".join(TAXONOMY) + "\n\n", encoding="utf-8")
    from_file = TaxonIndex(path)
    assert from_file.names == index.names == TAXONOMY
    assert "carex CRINITA" in index and "Carex crinita Lam." in index
    assert index.lookup("Castanea dentata") == "Castanea dentata (Marsh.) Borkh."
    assert "Carex nonexistens" not in index


def test_index_skips_unparseable_and_duplicate_entries() -> None:
    index = TaxonIndex(["Carex crinita Lam.", "Carex crinita", "Unknown", "123", "", "Poa annua"])
    assert index.names == ["Carex crinita Lam.", "Poa annua"]
    assert index.skipped == ["Unknown", "123"]


def test_broken_names_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="taxon names file not found"):
        TaxonIndex(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no names"):
        TaxonIndex(empty)
    binary = tmp_path / "names.bin"
    binary.write_bytes(b"\xff\xfe\x00Carex\x80\x81")
    with pytest.raises(ValueError, match="not UTF-8"):
        TaxonIndex(binary)
    with pytest.raises(TypeError, match="must be strings"):
        TaxonIndex(["Carex crinita", 12])


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Carex crinita Lam."], "Carex crinita Lam."),
        (["CAREX CRINITA"], "Carex crinita Lam."),  # case noise
        (["carex  crinita,"], "Carex crinita Lam."),  # punctuation noise
        (["Carcx crinita Lam."], "Carex crinita Lam."),  # OCR error in the genus
        (["Carex crinita Lam. var. brevicrinis Fern."], "Carex crinita var. brevicrinis Fernald"),
        (["Castanea dentata (Marsh.) Borkh."], "Castanea dentata (Marsh.) Borkh."),
        (["Castanea dentata"], "Castanea dentata (Marsh.) Borkh."),  # authorship optional
        (["Pca annua"], "Poa annua L."),  # short genus with an OCR error
        (["Fimbristylis autumnaiis (L.) Roem. & Schult."], "Fimbristylis autumnalis (L.) Roem. & Schult."),
        (["Carex sp."], "Carex"),
        (["PLANTS OF CONNECTICUT", "Aster novae-angliae L.", "Groton, with Quercus rubra L."],
         "Aster novae-angliae L."),  # the label's own name, not an associated species in a sentence
    ],
)  # fmt: skip
def test_ocr_text_resolves_to_the_taxonomy(index: TaxonIndex, lines: list[str], expected: str) -> None:
    result = resolve_taxon(lines, index)
    assert result.name == expected
    assert result.confidence > 0.5
    assert math.isclose(sum(c.probability for c in result.candidates) + result.none_probability, 1.0)


def test_candidates_carry_similarity_likelihood_and_line(index: TaxonIndex) -> None:
    result = resolve_taxon(["Plants of Connecticut", "Carex crinita Lam."], index)
    top = result.candidates[0]
    assert top.similarity == 1.0 and top.line == 1 == result.line
    assert top.prior_probability is None
    assert [c.probability for c in result.candidates] == sorted((c.probability for c in result.candidates),
                                                                reverse=True)  # fmt: skip


def test_prior_fusion_decides_where_ocr_is_ambiguous(index: TaxonIndex) -> None:
    degraded = ["Carex crinjta Lam."]  # one letter lost: equally far from crinita and crinata
    ocr_only = resolve_taxon(degraded, index)
    assert {c.name for c in ocr_only.candidates[:2]} == {"Carex crinita Lam.", "Carex crinata Lam."}
    assert ocr_only.confidence < 0.6
    towards_crinata = resolve_taxon(degraded, index, {"Carex crinata": 0.9, "Carex crinita": 0.05})
    towards_crinita = resolve_taxon(degraded, index, {"Carex crinita": 0.9, "Carex crinata": 0.05})
    assert towards_crinata.name == "Carex crinata Lam."
    assert towards_crinita.name == "Carex crinita Lam."
    assert towards_crinata.confidence > 0.8 and towards_crinita.confidence > 0.8


def test_a_confident_reading_is_not_overturned_by_a_weak_prior(index: TaxonIndex) -> None:
    clear = ["Carex crinita Lam."]
    weak = {"Carex crinata": 0.45, "Carex crinita": 0.30, "Carex lurida": 0.1}
    result = resolve_taxon(clear, index, weak)
    assert result.name == "Carex crinita Lam."
    assert result.confidence > 0.8
    assert resolve_taxon(clear, index, {"Carex crinata": 0.9, "Carex crinita": 0.05}).name == CRINITA
    # ... nor when the image's top-k misses it altogether (the floor applies)
    assert resolve_taxon(clear, index, {"Carex crinata": 0.45, "Carex lurida": 0.3}).name == CRINITA
    assert resolve_taxon(clear, index, {"Carex crinata": 0.98}).name == CRINITA


def test_an_image_sure_enough_of_a_near_twin_overturns_a_reading(index: TaxonIndex) -> None:
    # prior ratio 97 against a likelihood ratio of ~50 for one letter in "Carex crinita Lam."
    result = resolve_taxon(["Carex crinita Lam."], index, {"Carex crinata": 0.97, "Carex crinita": 0.01})
    assert result.name == "Carex crinata Lam."
    # ... but not towards a name that reads far from the text
    far = resolve_taxon(["Carex crinita Lam."], index, {"Carex lurida": 0.97, "Carex crinita": 0.01})
    assert far.name == CRINITA


def test_weight_zero_is_pure_ocr(index: TaxonIndex) -> None:
    lines = ["Carex crinjta Lam."]
    prior = {"Carex crinata": 0.9, "Carex crinita": 0.05}
    pure = resolve_taxon(lines, index)
    weightless = resolve_taxon(lines, index, prior, weight=0.0)
    assert [c.name for c in weightless.candidates] == [c.name for c in pure.candidates]
    assert math.isclose(weightless.confidence, pure.confidence, rel_tol=1e-9)


@pytest.mark.parametrize("lines", [[], [""], ["   "], ["~|^}{ ¦¦"], ["Growing in upland forest"], None])
def test_no_readable_name_gives_no_answer(index: TaxonIndex, lines) -> None:
    result = resolve_taxon(lines, index)
    assert result.name is None
    assert result.confidence < 0.2
    with_prior = resolve_taxon(lines, index, {"Carex crinita": 0.9})
    assert with_prior.name is None  # the image alone does not put a name on the label


def test_ocr_likelihood_has_a_none_outcome() -> None:
    from herbproc.fields.taxon import Candidate

    strong = [Candidate("A", 1.0, 0, 1.0)]
    weak = [Candidate("A", 0.6, 0, 0.6)]
    assert ocr_likelihood(strong)[1] < 0.01
    assert ocr_likelihood(weak)[1] > 0.99
    assert ocr_likelihood([]) == ([], 1.0)
    with pytest.raises(ValueError, match="temperature"):
        ocr_likelihood(strong, temperature=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prior": {"Carex crinita": 1.5}}, "sum to"),
        ({"prior": {"Carex crinita": -0.1}}, ">= 0"),
        ({"prior": {"Carex crinita": float("nan")}}, "finite"),
        ({"prior": {"Carex crinita": "high"}}, "finite"),
        ({"weight": -1.0}, "weight"),
        ({"floor": 0.0}, "floor"),
    ],
)
def test_broken_prior_arguments_fail_clearly(index: TaxonIndex, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_taxon(["Carex crinita"], index, **kwargs)


@pytest.mark.parametrize(
    "line", ["REPORT ANY REIDENTIFICATION OF THIS VOUCHER", "PLEASE REPORT ANY CHANGE OF NAME TO THE HERBARIUM"]
)
def test_a_herbariums_request_in_capitals_is_no_name_without_a_taxonomy(line: str) -> None:
    # English words are no authorship ("OF THIS VOUCHER") nor an epithet ("ANY")
    assert "scientificName" not in extract_fields([line, "Dry hillside"])


@pytest.mark.parametrize("code", ["Sample codes OCJX-0176-H (LF)", "Sample codes:", "Voucher codes AB-12"])
def test_a_code_line_is_no_name_and_the_label_name_wins_without_a_taxonomy(code: str) -> None:
    fields = extract_fields(["INSTITUTE OF ECONOMIC BOTANY", code, "OLEACEAE", "Jasminum fluminense Vell."])
    assert fields["scientificName"].value == "Jasminum fluminense Vell."


@pytest.mark.parametrize(
    ("name", "authorship"),
    [("Rubus fulleri L.H. Bailey", "L.H. Bailey"), ("Quercus x bebbiana C.K. Schneid.", "C.K. Schneid."),
     ("Aster novae-angliae L.", "L."), ("Carex crinita Lam. OCJX-0176", "Lam.")],
)  # fmt: skip
def test_authors_are_read_up_to_a_code_with_digits(name: str, authorship: str) -> None:
    from herbproc.fields import parse_name

    assert parse_name(name).authorship == authorship


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Actinogyra mühlenbergii (Ach.) Schol.", "Actinogyra mühlenbergii"),
        ("Cladonia förster-smithii Ahti", "Cladonia förster-smithii"),
        ("Ramalina menziësii Tayl.", "Ramalina menziësii"),
    ],
)
def test_epithets_with_diacritics_are_names(written: str, canonical: str) -> None:
    assert parse_name(written).canonical == canonical


def test_a_list_spelling_with_an_umlaut_is_the_same_taxon_as_the_label_without() -> None:
    index = TaxonIndex(["Actinogyra mühlenbergii (Ach.) Schol.", "Actinogyra polyrrhiza (L.) Schol."])
    assert len(index.names) == 2
    best = resolve_taxon(["Actinogyra muhlenbergii (Ach.) Schol."], index)
    assert best is not None and best.name == "Actinogyra mühlenbergii (Ach.) Schol."


@pytest.mark.parametrize("line", ["Parmelia e Gyis laevigata Rared", "Parmelia e Gyis laevigata", "Parmelia o Kz laevigata Rared"])
def test_ocr_debris_between_genus_and_epithet_is_skipped(line: str) -> None:
    index = TaxonIndex(["Parmelia laevigata Rass.", "Parmelia lanea Ach.", "Parmelia sulcata Tayl."])
    best = resolve_taxon([line], index)
    assert best.name == "Parmelia laevigata Rass." and best.confidence > 0.9, best


def test_a_long_word_between_genus_and_epithet_is_not_skipped() -> None:
    index = TaxonIndex(["Quercus rubra L.", "Quercus alba L."])
    best = resolve_taxon(["Quercus albida rubra"], index)
    assert best.name != "Quercus rubra L."


SYNONYMS = ["Lecanora chlorophana (Wahlb.) Mass.", "Lecanora flava (Bell.) Ach.", "Lecanora muralis (Schreb.) Rabenh."]


@pytest.mark.parametrize(
    "lines",
    [
        ["1730 Lecanora chlogophana(Wahlb.)Mas,", "(Lecanora flava (Bell.) Trev.)", "On exposed siliceous rocks."],
        ["Lecanora chlorophana (Wahlb.) Mass.", "(= Lecanora flava)"],
        ["Lecanora chlorophana (Wahlb.) Mass.", "= Lecanora flava (Bell.) Ach."],
    ],
)
def test_a_synonym_in_brackets_or_after_an_equals_sign_is_not_the_specimens_name(lines: list[str]) -> None:
    best = resolve_taxon(lines, TaxonIndex(SYNONYMS))
    assert best.name == "Lecanora chlorophana (Wahlb.) Mass." and best.confidence > 0.8, best


@pytest.mark.parametrize(
    "lines",
    [
        # the original label's name on top, an annotation below equating it with the current name
        ["Lecanora flava (Bell.) Ach.", "LICHENS OF OHIO", "(= Lecanora flava (Bell.) Ach.)",
         "Lecanora chlorophana (Wahlb.) Mass.", "Det. J. Doe 1974"],
        ["Lecanora flava (Bell.) Ach.", "Lecanora chlorophana (Wahlb.) Mass.", "= Lecanora flava (Bell.) Ach."],
    ],
)  # fmt: skip
def test_a_name_the_label_cites_as_a_synonym_is_superseded_everywhere_on_it(lines: list[str]) -> None:
    best = resolve_taxon(lines, TaxonIndex(SYNONYMS))
    assert best.name == "Lecanora chlorophana (Wahlb.) Mass." and best.confidence > 0.8, best


def test_a_name_cited_as_a_synonym_alone_keeps_its_clean_reading_first() -> None:
    # no other name is read: the superseded name is still the best reading, only by a smaller margin
    lines = ["Lecanora flava (Bell.) Ach.", "(= Lecanora flava (Bell.) Ach.)", "Coll. A. Collector 12"]
    best = resolve_taxon(lines, TaxonIndex(SYNONYMS))
    assert best.name == "Lecanora flava (Bell.) Ach."


def test_a_name_in_brackets_alone_is_still_read() -> None:
    best = resolve_taxon(["(Lecanora flava (Bell.) Ach.)"], TaxonIndex(SYNONYMS))
    assert best.name == "Lecanora flava (Bell.) Ach."
