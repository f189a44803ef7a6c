"""The world: taxa and one specimen record per sheet, all computed without rendering anything.

Sheet ``i`` shows taxon ``i % species``; everything about it comes from ``py_rng(seed, "record", i)``, so a
record is the same whichever process asks for it and in whatever order.
"""

from __future__ import annotations

import functools
import random
import zlib
from dataclasses import dataclass
from typing import Any

from herbproc.schema.synth import Settings, check_settings, synth_settings
from herbproc.synthetic import names
from herbproc.synthetic.rng import py_rng
from herbproc.synthetic.taxonomy import Taxon, make_taxa

PHENOLOGY_PARTS = ("flowers", "fruits", "buds")
# Darwin Core occurrence columns, in archive order: (column, term URI)
DWC = "http://rs.tdwg.org/dwc/terms/"
GBIF = "http://rs.gbif.org/terms/1.0/"
DC = "http://purl.org/dc/terms/"
OCCURRENCE_TERMS: list[tuple[str, str]] = [
    ("gbifID", GBIF), ("occurrenceID", DWC), ("basisOfRecord", DWC), ("institutionCode", DWC),
    ("collectionCode", DWC), ("catalogNumber", DWC), ("recordedBy", DWC), ("recordNumber", DWC),
    ("eventDate", DWC), ("verbatimEventDate", DWC), ("year", DWC), ("month", DWC), ("day", DWC),
    ("country", DWC), ("countryCode", DWC), ("stateProvince", DWC), ("county", DWC), ("locality", DWC),
    ("identifiedBy", DWC), ("dateIdentified", DWC), ("kingdom", DWC), ("phylum", DWC), ("class", DWC),
    ("order", DWC), ("family", DWC), ("genus", DWC), ("specificEpithet", DWC), ("infraspecificEpithet", DWC),
    ("taxonRank", DWC), ("scientificName", DWC), ("scientificNameAuthorship", DWC), ("species", GBIF),
    ("reproductiveCondition", DWC), ("license", DC), ("rightsHolder", DC), ("mediaType", GBIF),
]  # fmt: skip
OCCURRENCE_COLUMNS = [c for c, _ in OCCURRENCE_TERMS]
MULTIMEDIA_TERMS: list[tuple[str, str]] = [
    ("gbifID", GBIF), ("type", DC), ("format", DC), ("identifier", DC), ("references", DC), ("title", DC),
    ("description", DC), ("source", DC), ("audience", DC), ("created", DC), ("creator", DC),
    ("contributor", DC), ("publisher", DC), ("license", DC), ("rightsHolder", DC),
]  # fmt: skip
MULTIMEDIA_COLUMNS = [c for c, _ in MULTIMEDIA_TERMS]


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    stamp: tuple[str, ...]
    rights_holder: str
    license: str  # GBIF's enumeration, as in occurrence.txt
    license_url: str  # as in multimedia.txt


INSTITUTIONS = [Institution(*row) for row in names.INSTITUTIONS]


@dataclass(frozen=True)
class EventDate:
    year: int
    month: int
    day: int  # 0 = the label gives the month only
    verbatim: str

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


@dataclass(frozen=True)
class Specimen:
    """Everything about one sheet that is known before it is drawn."""

    index: int
    gbif_id: str
    taxon: Taxon
    institution: Institution
    catalog_number: str
    collector: str
    record_number: str  # "" = s.n.
    date: EventDate
    state: str  # code, e.g. "MA"
    county: str
    locality: str
    flowers: bool
    fruits: bool
    buds: bool
    reproductive_condition: str
    determiner: str  # "" = no determination slip
    determination_year: int

    @property
    def phenology(self) -> list[str]:
        return [p for p in PHENOLOGY_PARTS if getattr(self, p)]

    @property
    def state_name(self) -> str:
        return _state_table(self.state)[0]

    @property
    def occurrence_id(self) -> str:
        return f"urn:catalog:{self.institution.code}:herbarium:{self.catalog_number}"


def _state_table(code: str) -> tuple[str, str, str, str, float, dict[str, list[str]]]:
    return names.STATES.get(code) or names.FAR_STATES[code]


def gbif_id_for(seed: int, index: int) -> str:
    """A stable, unique, large integer per (seed, index): an odd multiplier is a bijection modulo 2**31, and
    each seed has its own multiplier and offset, so two worlds rarely share an id."""
    mix = zlib.crc32(f"gbif-{seed}".encode())
    mult = (0x9E3779B1 + 2 * mix) % 2**31 | 1
    return str(1_000_000_000 + (index * mult + mix * 7919) % 2**31)


def format_date(rng: random.Random, year: int, month: int, day: int) -> str:
    """The date the way a label writes it (day 0: month and year only)."""
    m_full, m_abbr, m_roman = names.MONTHS[month - 1], names.MONTH_ABBR[month - 1], names.ROMAN[month - 1]
    if not day:
        return rng.choice([f"{m_abbr} {year}", f"{m_full} {year}", f"{m_roman}.{year}"])
    return rng.choice(
        [
            f"{day} {m_full} {year}",
            f"{m_full} {day}, {year}",
            f"{month}/{day}/{year}",
            f"{day}.{m_roman}.{year}",
            f"{m_abbr} {day}, {year}",
            f"{day} {m_abbr} {year}",
            f"{year}-{month:02d}-{day:02d}",
        ]
    )


def _phenology(rng: random.Random, taxon: Taxon, sterile_share: float) -> tuple[int, set[str]]:
    """A collection month and the parts the plant carries then, following the taxon's season."""
    peak = taxon.look.peak_month
    if rng.random() < sterile_share:
        return min(10, max(4, peak + rng.choice([-2, -1, 2, 3]))), set()
    offset = rng.choice([-1, 0, 0, 0, 1, 1, 2, 2])
    month = min(11, max(3, peak + offset))
    state = {
        -1: rng.choice([{"buds"}, {"buds"}, {"buds", "flowers"}]),
        0: rng.choice([{"flowers"}, {"flowers"}, {"flowers", "buds"}, {"flowers", "fruits"}]),
        1: rng.choice([{"flowers", "fruits"}, {"fruits"}, {"flowers"}, {"buds", "flowers", "fruits"}]),
        2: rng.choice([{"fruits"}, {"fruits"}, {"flowers", "fruits"}]),
    }[offset]
    return month, set(state)


def _place(rng: random.Random, table: dict[str, tuple]) -> tuple[str, str, str]:
    codes = list(table)
    state = rng.choices(codes, weights=[table[c][4] for c in codes])[0]
    counties = table[state][5]
    county = rng.choice(sorted(counties))
    town = rng.choice(counties[county])
    habitat = rng.choice(names.HABITATS)
    where = f"{rng.choice(names.PREPOSITIONS)} {rng.choice(names.FEATURES)}"
    locality = rng.choice(
        [
            f"{town}, {habitat} {where}",
            f"{town}: {habitat.capitalize()} {where}",
            f"{habitat.capitalize()} {where}, {town}",
            f"{town}, {habitat}, {rng.randint(1, 9)} mi. {rng.choice(['N', 'S', 'E', 'W', 'NE', 'SW'])} of village",
        ]
    )
    return state, county, locality


def make_specimen(
    seed: int, index: int, taxa: list[Taxon], settings: Settings, far: bool = False
) -> Specimen:
    rng = py_rng(seed, "record", index)
    taxon = taxa[index % len(taxa)]
    inst = rng.choice(INSTITUTIONS)
    year = rng.choice([rng.randint(1860, 2019), rng.randint(1880, 1960), rng.randint(1890, 1940)])
    month, state = _phenology(rng, taxon, settings.sterile_share)
    day = 0 if rng.random() < 0.12 else rng.randint(1, 28 if month == 2 else 30)
    date = EventDate(year, month, day, format_date(rng, year, month, day))
    code, county, locality = _place(rng, names.FAR_STATES if far else names.STATES)
    key = tuple(p for p in sorted(state))
    if rng.random() < settings.unknown_condition_share:
        condition = rng.choice(["", "", "unknown"])
    else:
        condition = rng.choice(names.CONDITION_WORDS[key])
    collector = rng.choice(names.COLLECTORS)
    if rng.random() < 0.15:
        collector = f"{collector} & {rng.choice(names.COLLECTORS)}"
    determined = rng.random() < settings.annotation_share
    return Specimen(
        index=index,
        gbif_id=gbif_id_for(seed, index),
        taxon=taxon,
        institution=inst,
        catalog_number=f"{inst.code}{rng.randint(1, 2_999_999):08d}",
        collector=collector,
        record_number="" if rng.random() < 0.2 else str(rng.randint(1, 12_000)),
        date=date,
        state=code,
        county=county,
        locality=locality,
        flowers="flowers" in state,
        fruits="fruits" in state,
        buds="buds" in state,
        reproductive_condition=condition,
        determiner=rng.choice(names.DETERMINERS) if determined else "",
        determination_year=min(2024, max(year + 1, rng.randint(1930, 2024))),
    )


class World:
    """Taxa and specimens of one (settings, seed); ``records()`` is the table the archive publishes."""

    def __init__(self, settings: Settings):
        check_settings(settings)
        self.settings = settings
        self.seed = settings.seed
        self.taxa = make_taxa(self.seed, settings.species, settings.infraspecific_share)
        self.n_sheets = settings.species * settings.sheets_per_species
        self._specimen = functools.lru_cache(maxsize=4096)(self._make_specimen)

    def _make_specimen(self, index: int) -> Specimen:
        if not 0 <= index < self.n_sheets:
            raise IndexError(f"sheet index {index} outside 0..{self.n_sheets - 1}")
        return make_specimen(self.seed, index, self.taxa, self.settings)

    def specimen(self, index: int) -> Specimen:
        return self._specimen(index)

    def gbif_id(self, index: int) -> str:
        return gbif_id_for(self.seed, index)

    @property
    def base_url(self) -> str:
        return self.settings.base_url.rstrip("/")

    def image_url(self, gbif_id: str) -> str:
        return f"{self.base_url}/images/{gbif_id}.jpg"

    # ------------------------------------------------------------------ tables

    def occurrence(self, index: int) -> dict[str, str]:
        """The occurrence.txt row of sheet ``index`` (every value a string, "" for empty)."""
        return occurrence_row(self.specimen(index))

    def records(self) -> list[dict[str, Any]]:
        """One dict per sheet: the occurrence columns plus ``identifier`` (image URL), ``sheet_index``,
        ``species_id`` and the phenology truth (``flowers``, ``fruits``, ``buds`` as booleans)."""
        out = []
        for i in range(self.n_sheets):
            sp = self.specimen(i)
            row: dict[str, Any] = dict(occurrence_row(sp))
            row.update(
                identifier=self.image_url(sp.gbif_id),
                sheet_index=i,
                species_id=sp.taxon.id,
                flowers=sp.flowers,
                fruits=sp.fruits,
                buds=sp.buds,
            )
            out.append(row)
        return out

    def distractor_rows(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Occurrence and multimedia rows that an ingest must reject (empty unless ``distractors``):
        human observations, a specimen without media, specimens from outside New England, a sound file.
        Their identifiers point at images that are never rendered."""
        if not self.settings.distractors:
            return [], []
        n = max(4, self.n_sheets // 20)
        occ, media = [], []
        for k in range(n):
            index = self.n_sheets + k
            kind = ("observation", "no_media", "far_away", "sound")[k % 4]
            sp = make_specimen(self.seed, index, self.taxa, self.settings, far=kind == "far_away")
            row = occurrence_row(sp)
            if kind == "observation":
                row.update(
                    basisOfRecord="HUMAN_OBSERVATION",
                    institutionCode="iNaturalist",
                    collectionCode="Observations",
                    catalogNumber=str(10_000_000 + index),
                    occurrenceID=f"https://www.inaturalist.org/observations/{10_000_000 + index}",
                )
            if kind == "no_media":
                row["mediaType"] = ""
            if kind == "sound":
                row["mediaType"] = "Sound"
            occ.append(row)
            if kind != "no_media":
                m = multimedia_row(sp, self.image_url(sp.gbif_id))
                if kind == "sound":
                    m.update(
                        type="Sound",
                        format="audio/mpeg",
                        identifier=f"{self.base_url}/sounds/{sp.gbif_id}.mp3",
                    )
                media.append(m)
        return occ, media

    def tables(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """occurrence.txt and multimedia.txt rows (with the distractors when asked), in one pass."""
        occ, media = [], []
        for i in range(self.n_sheets):
            sp = self.specimen(i)
            occ.append(occurrence_row(sp))
            media.append(multimedia_row(sp, self.image_url(sp.gbif_id)))
        extra_occ, extra_media = self.distractor_rows()
        return occ + extra_occ, media + extra_media

    def occurrence_rows(self) -> list[dict[str, str]]:
        return self.tables()[0]

    def multimedia_rows(self) -> list[dict[str, str]]:
        return self.tables()[1]


def occurrence_row(sp: Specimen) -> dict[str, str]:
    t, inst = sp.taxon, sp.institution
    state = _state_table(sp.state)
    return {
        "gbifID": sp.gbif_id,
        "occurrenceID": sp.occurrence_id,
        "basisOfRecord": "PRESERVED_SPECIMEN",
        "institutionCode": inst.code,
        "collectionCode": "herbarium",
        "catalogNumber": sp.catalog_number,
        "recordedBy": sp.collector,
        "recordNumber": sp.record_number,
        "eventDate": sp.date.iso,
        "verbatimEventDate": sp.date.verbatim,
        "year": str(sp.date.year),
        "month": str(sp.date.month),
        "day": str(sp.date.day) if sp.date.day else "",
        "country": state[2],
        "countryCode": state[3],
        "stateProvince": state[0],
        "county": sp.county,
        "locality": sp.locality,
        "identifiedBy": sp.determiner,
        "dateIdentified": str(sp.determination_year) if sp.determiner else "",
        "kingdom": "Plantae",
        "phylum": "Tracheophyta",
        "class": t.class_name,
        "order": t.order,
        "family": t.family,
        "genus": t.genus,
        "specificEpithet": t.specific_epithet,
        "infraspecificEpithet": t.infraspecific_epithet,
        "taxonRank": t.rank,
        "scientificName": t.scientific_name,
        "scientificNameAuthorship": t.authorship,
        "species": t.species_name,
        "reproductiveCondition": sp.reproductive_condition,
        "license": inst.license,
        "rightsHolder": inst.rights_holder,
        "mediaType": "StillImage",
    }


def multimedia_row(sp: Specimen, url: str) -> dict[str, str]:
    row = dict.fromkeys(MULTIMEDIA_COLUMNS, "")
    row.update(
        gbifID=sp.gbif_id,
        type="StillImage",
        format="image/jpeg",
        identifier=url,
        title=f"{sp.taxon.canonical_name} ({sp.catalog_number})",
        creator=sp.institution.name,
        publisher=sp.institution.name,
        license=sp.institution.license_url,
        rightsHolder=sp.institution.rights_holder,
    )
    return row


def make_world(settings: Any = None, seed: int | None = None, **overrides: Any) -> World:
    """The world of ``settings`` (a Settings, a mapping of synth keys, the run config, or None for the demo
    defaults); ``seed`` and keyword arguments override single settings. Raises ValueError for bad settings."""
    if seed is not None:
        overrides["seed"] = seed
    return World(synth_settings(settings, **overrides))
