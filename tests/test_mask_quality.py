"""Quality floors on a fixed synthetic set (default synth settings, three worlds, portrait and wide sheets):
label text unreadable after masking (PP-OCR reads the masked sheet), plant untouched, label cards covered.

The set: 12 sheets of 1000 x 1500 from worlds seeded 7 and 8 and 4 wider sheets (1200 x 1400) from seed 9,
about 1 s of masking and 1 s of OCR each."""

from __future__ import annotations

from herbproc.mask.metrics import evaluate_synthetic, summarise

FLOORS = {"text_unreadable": 0.98, "plant_kept": 0.99, "cards_covered": 0.95}


def test_quality_floors_on_the_fixed_synthetic_set():
    portrait, a = evaluate_synthetic(12, 7, before=2)
    wide, b = evaluate_synthetic(4, 9, width=1200, height=1400, before=0)
    scores = a + b
    total = summarise(scores)
    report = "\n".join(total.lines())
    # the measure can see text at all: OCR reads most label characters on the unmasked sheets
    assert portrait.text_readable_before is not None and portrait.text_readable_before > 0.6, report
    assert total.text_unreadable >= FLOORS["text_unreadable"], report
    assert total.plant_kept >= FLOORS["plant_kept"], report
    assert total.cards_covered >= FLOORS["cards_covered"], report
    assert total.label_recall >= 0.97, report
    assert all(s.plant_masked <= 0.05 * s.plant_pixels for s in scores), report  # no sheet loses its plant
    assert 0.02 < total.masked_share < 0.3, report  # neither nothing nor the whole sheet
