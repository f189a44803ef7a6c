"""Country names as labels print them in other languages than English: German, French, Spanish, Portuguese,
Italian, Dutch and Scandinavian names of the countries most collected in, and the Latin adjectives of
collection headers ("PLANTAE MEXICANAE", "Flora Brasiliensis", "Iter Hispanicum").

Only forms that are no English word or name and no other country's name are listed ("Island", German for
Iceland, and "Chili", French for Chile, are left out), nor Latin nominatives that name US towns too
("Helvetia", "Hibernia", "Germania"); places.find_country still reads them only where a label puts a country
(see countries._foreign_out_of_place)."""

from __future__ import annotations

import re

# ISO 3166-1 alpha-2 → the country's names in other languages (accents are folded when matched).
_EXONYMS: dict[str, tuple[str, ...]] = {
    "AR": ("Argentinien",),
    "AT": ("Österreich", "Autriche", "Oostenrijk"),
    "AU": ("Australien", "Australie", "Australië"),
    "BE": ("Belgien", "Belgique", "Bélgica", "Belgio", "België"),
    "BG": ("Bulgarien", "Bulgarie"),
    "BO": ("Bolivien", "Bolivie"),
    "BR": ("Brasilien", "Brésil", "Brasile", "Brazilië"),
    "CH": ("Schweiz", "Suisse", "Suiza", "Svizzera", "Suíça", "Zwitserland"),
    "CL": ("Cile",),
    "CM": ("Kamerun", "Cameroun", "Camerún"),
    "CN": ("Chine", "Cina"),
    "CO": ("Kolumbien", "Colombie"),
    "CU": ("Kuba",),
    "CY": ("Zypern", "Chypre", "Chipre"),
    "CZ": ("Tschechien", "Česko", "Tchéquie", "Chequia"),
    "DE": ("Allemagne", "Alemania", "Alemanha", "Duitsland", "Tyskland"),
    "DK": ("Dänemark", "Danemark", "Dinamarca", "Danimarca", "Danmark", "Denemarken"),
    "DO": ("Dominikanische Republik", "République dominicaine"),
    "DZ": ("Algerien", "Algérie", "Argelia"),
    "EC": ("Équateur", "Ekuador"),
    "EG": ("Ägypten", "Égypte", "Egipto", "Egitto"),
    "ES": ("Spanien", "Espagne", "Spagna", "Espanha", "Spanje"),
    "ET": ("Äthiopien", "Éthiopie", "Etiopía"),
    "FI": ("Finnland", "Finlande", "Finlandia", "Suomi"),
    "FR": ("Frankreich", "Francia", "França", "Frankrijk", "Frankrike"),
    "GF": ("Guyane française", "Guyane", "Französisch-Guayana", "Guayana Francesa", "Frans-Guyana"),
    "GB": (
        "Großbritannien", "Grossbritannien", "Grande-Bretagne", "Gran Bretaña", "Royaume-Uni", "Reino Unido",
        "Regno Unito", "Angleterre", "Inglaterra", "Inghilterra", "Schottland", "Écosse", "Escocia", "Scozia",
    ),
    "GR": ("Griechenland", "Grèce", "Grecia", "Grécia", "Griekenland"),
    "HU": ("Ungarn", "Hongrie", "Hungría", "Ungheria", "Magyarország"),
    "ID": ("Indonesien", "Indonésie"),
    "IE": ("Irland", "Irlande", "Irlanda"),
    "IN": ("Indien",),
    "IS": ("Islande", "Islandia"),
    "IT": ("Italien", "Italie"),
    "JM": ("Jamaïque", "Jamaika"),
    "JP": ("Japon", "Japón", "Giappone", "Japão", "Japonia"),
    "KE": ("Kenia",),
    "MA": ("Marokko", "Maroc", "Marruecos", "Marocco"),
    "MG": ("Madagaskar",),
    "MX": ("Mexiko", "Mexique", "Messico", "Méjico"),
    "NL": ("Niederlande", "Pays-Bas", "Países Bajos", "Paesi Bassi", "Nederland"),
    "NO": ("Norwegen", "Norvège", "Noruega", "Norvegia", "Norge", "Noorwegen"),
    "NZ": ("Neuseeland", "Nouvelle-Zélande", "Nueva Zelanda", "Nuova Zelanda", "Nova Zelândia", "Nieuw-Zeeland"),
    "PE": ("Pérou",),
    "PH": ("Philippinen", "Filipinas", "Filippine"),
    "PL": ("Polen", "Pologne", "Polonia", "Polska"),
    "PT": ("Portogallo",),
    "RO": ("Rumänien", "Roumanie", "Rumania"),
    "RU": ("Russland", "Russie", "Rusia", "Rússia", "Rusland"),
    "SE": ("Schweden", "Suède", "Suecia", "Svezia", "Sverige", "Zweden"),
    "TH": ("Thaïlande", "Tailandia"),
    "TN": ("Tunesien", "Tunisie", "Túnez"),
    "TR": ("Türkei", "Turquie", "Turquía", "Turchia", "Turkije"),
    "TZ": ("Tansania", "Tanzanie"),
    "US": ("Vereinigte Staaten", "États-Unis", "Estados Unidos", "Stati Uniti", "Verenigde Staten"),
    "VE": ("Vénézuéla",),
    "ZA": ("Südafrika", "Afrique du Sud", "Sudáfrica", "África do Sul", "Zuid-Afrika"),
}  # fmt: skip
EXONYMS: dict[str, str] = {name: code for code, names in _EXONYMS.items() for name in names}

# Latin adjectives of a country in a collection's header, by stem (endings -a/-ae/-um/-us/-i/-is/-es/-orum).
_LATIN_STEMS: dict[str, str] = {
    "mexican": "MX", "brasiliens": "BR", "chinens": "CN", "sinens": "CN", "japonic": "JP", "hispanic": "ES",
    "italic": "IT", "germanic": "DE", "gallic": "FR", "helvetic": "CH", "austriac": "AT", "suecic": "SE",
    "norvegic": "NO", "fennic": "FI", "danic": "DK", "hungaric": "HU", "graec": "GR", "rossic": "RU",
    "australiens": "AU", "canadens": "CA", "peruvian": "PE", "chilens": "CL", "argentin": "AR",
    "bolivian": "BO", "boliviens": "BO", "colombian": "CO", "ecuadorens": "EC", "aequatoriens": "EC",
    "venezuelan": "VE", "cubens": "CU", "guatemalens": "GT", "costaricens": "CR", "panamens": "PA",
    "hondurens": "HN", "portoricens": "PR", "jamaicens": "JM", "philippinens": "PH", "madagascariens": "MG",
    "aegyptiac": "EG", "lusitanic": "PT", "britannic": "GB", "hibernic": "IE", "polonic": "PL",
    "bohemic": "CZ", "turcic": "TR", "persic": "IR", "corean": "KR", "korean": "KR", "formosan": "TW",
    "paraguariens": "PY", "uruguayens": "UY", "nicaraguens": "NI", "salvadorens": "SV",
    "haitiens": "HT", "bahamens": "BS", "bermudens": "BM", "martinicens": "MQ", "trinitatens": "TT",
    "zeylanic": "LK", "nipponic": "JP", "islandic": "IS", "belgic": "BE", "hollandic": "NL",
    # Africa's: "Plantae Congolenses", "Flora Capensis", "Plantae Abyssinicae"
    "congolens": "CD", "gabonens": "GA", "camerunens": "CM", "kenyens": "KE", "ugandens": "UG", "angolens": "AO",
    "mozambicens": "MZ", "capens": "ZA", "abyssinic": "ET", "aethiopic": "ET", "senegalens": "SN",
    "marocan": "MA", "algeriens": "DZ", "tunetan": "TN", "libyc": "LY", "sudanens": "SD",
}  # fmt: skip
# Latin names of two words whose first alone names another country: "Guineae Aequatorialis" (not Guinea's)
_LATIN_TWO_WORDS: dict[str, str] = {"guineae aequatorialis": "GQ", "guinea aequatorialis": "GQ"}
# The header word first ("PLANTAE", "FLORA", "ITER", "HERBARIUM", a group's name), then the adjective.
_LATIN_HEADER = re.compile(
    r"^\W*(?:plantae|flora|iter|herbarium|exsiccatae|musci|hepaticae|lichenes|fungi|algae|filices|"
    r"cryptogamae)\W+(?P<adj>[a-z]+)(?:\W|$)",
    re.I,
)
_LATIN_ADJ = re.compile(
    rf"(?P<stem>{'|'.join(sorted(_LATIN_STEMS, key=len, reverse=True))})(?:a|ae|um|us|i|is|es|orum)"
)


def latin_header_country(line: str) -> str:
    """The ISO 3166-1 code a Latin collection header names ("PLANTAE MEXICANAE" → "MX", "Flora Brasiliensis"
    → "BR"), "" for any other line: the adjective counts only right after the header's first word, since
    "mexicana" or "japonica" elsewhere is an epithet."""
    if not isinstance(line, str):
        return ""
    text = line.replace("æ", "ae").replace("Æ", "AE")  # "Plantæ Cubenses": old print's ligature
    m = _LATIN_HEADER.match(text)
    if m is None:
        return ""
    two = " ".join([m.group("adj"), *text[m.end("adj") :].split()[:1]]).lower().strip(" .,;")
    if two in _LATIN_TWO_WORDS:
        return _LATIN_TWO_WORDS[two]
    adj = _LATIN_ADJ.fullmatch(m.group("adj").lower())
    return _LATIN_STEMS[adj.group("stem")] if adj else ""


# First-level divisions under the older spellings labels print and ISO 3166-2 does not list, by ISO 3166-2 code:
# China's postal romanisations (before pinyin), Brazil's orthography before 1943, and the names of renamed
# divisions (Orissa, Mexico's Distrito Federal). Read wherever the ISO names are read, and written as the ISO
# name, as stateProvince is elsewhere.
_OLDER_DIVISION_FORMS: dict[str, tuple[str, ...]] = {
    "CN-SC": ("Szechwan", "Szechuan", "Sze-chuan", "Sze-chwan", "Setchuen", "Ssuchuan"),
    "CN-GD": ("Kwangtung", "Kuangtung"),
    "CN-GX": ("Kwangsi", "Kuangsi"),
    "CN-FJ": ("Fukien", "Fokien"),
    "CN-ZJ": ("Chekiang",),
    "CN-JX": ("Kiangsi",),
    "CN-JS": ("Kiangsu",),
    "CN-HB": ("Hupeh", "Hupei"),
    "CN-HA": ("Honan",),
    "CN-HE": ("Hopeh", "Hopei", "Chihli"),
    "CN-SD": ("Shantung",),
    "CN-SX": ("Shansi",),
    "CN-SN": ("Shensi",),
    "CN-GS": ("Kansu",),
    "CN-GZ": ("Kweichow", "Kweichou"),
    "CN-AH": ("Anhwei",),
    "CN-HL": ("Heilungkiang",),
    "CN-JL": ("Kirin",),
    "CN-QH": ("Tsinghai", "Chinghai"),
    "CN-NX": ("Ningsia",),
    "CN-XJ": ("Sinkiang",),
    "CN-NM": ("Inner Mongolia",),
    "BR-GO": ("Goyaz",),
    "BR-MT": ("Matto Grosso",),
    "BR-MG": ("Minas Geraes",),
    "BR-PB": ("Parahyba", "Parahyba do Norte"),
    "BR-PI": ("Piauhy",),
    "BR-SC": ("Santa Catharina",),
    "PE-CUS": ("Cuzco",),
    "MX-VER": ("Vera Cruz",),
    "MX-CMX": ("Distrito Federal",),  # renamed in 2016
    "AR-C": ("Capital Federal",),
    "IN-OD": ("Orissa",),  # renamed in 2011
    "IN-UK": ("Uttaranchal",),
    "IN-PY": ("Pondicherry",),
}  # fmt: skip


def older_forms_of(code: str) -> tuple[str, ...]:
    """The older spellings labels print for the ISO 3166-2 division ``code`` (``_OLDER_DIVISION_FORMS``)."""
    return _OLDER_DIVISION_FORMS.get(code, ())
