"""herbproc.fields.record_genus: the genus a record kept without a species name gives, as a prior for the name its
label is read with (no taxonomy): a near misreading of it is written as the record has it, nothing else."""

from __future__ import annotations

import pytest

from herbproc.fields.label import Field
from herbproc.fields.record_genus import max_edits, respell_genus


def fields_of(name: str) -> dict[str, Field]:
    return {"scientificName": Field(name, 0.61, 3), "genus": Field(name.split()[0], 0.61, 3),
            "specificEpithet": Field(name.split()[1], 0.61, 3)}  # fmt: skip


@pytest.mark.parametrize(
    ("read", "genus", "expected"),
    [
        ("Cetaria islandica (W) Adh.", "Cetraria", "Cetraria islandica (W) Adh."),  # a letter dropped
        ("Shlene antirrhina L", "Silene", "Silene antirrhina L"),  # one read wrong
        ("Quéreus imbricaria Michx.", "Quercus", "Quercus imbricaria Michx."),  # an accent is no letter
        ("Aguilegia canadensis L.", "Aquilegia", "Aquilegia canadensis L."),
        ("Boeninghausenla albiflora", "Boenninghausenia", "Boenninghausenia albiflora"),  # two, in a long one
    ],
)
def test_a_genus_misread_is_written_as_the_record_gives_it(read: str, genus: str, expected: str) -> None:
    fields = fields_of(read)
    assert respell_genus(fields, genus)
    assert fields["scientificName"] == Field(expected, 0.61, 3)  # the confidence and the line unchanged
    assert fields["genus"].value == genus and fields["specificEpithet"].value == read.split()[1]


@pytest.mark.parametrize(
    ("read", "genus"),
    [
        ("Cetraria islandica", "Cetraria"),  # read right
        ("Verrucaria lactea Garov.", "Arthopyrenia"),  # another genus: the label's own (an older name)
        ("Rhus typhina", "Rubus"),  # two letters off a five-letter genus
        ("Poa annua", "Pea"),  # a short genus only as written
        ("Silene antirrhina", "silene"),  # not a genus as a record writes one
        ("Silene antirrhina", "Silene sp."),
        ("Silene antirrhina", ""),
        ("x antirrhina", "Silene"),  # no genus read
    ],
)
def test_anything_else_stays_as_read(read: str, genus: str) -> None:
    fields = fields_of(read)
    before = dict(fields)
    assert not respell_genus(fields, genus)
    assert fields == before


def test_without_a_name_read_nothing_is_added() -> None:
    fields: dict[str, Field] = {"recordedBy": Field("A. Smith", 0.9, 1)}
    assert not respell_genus(fields, "Carex") and fields == {"recordedBy": Field("A. Smith", 0.9, 1)}


def test_how_many_letters_may_be_wrong_grows_with_the_genus() -> None:
    assert [max_edits(g) for g in ("Poa", "Rhus", "Carex", "Cetraria", "Boenninghausenia")] == [0, 0, 1, 2, 2]
