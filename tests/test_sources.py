"""Independent sources: a lightly edited copy and a translation count once, two reports
that quote the same sentence count twice. Texts written for these tests."""

from __future__ import annotations

from newsweave.group.sources import anchors, common_order, source_groups
from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata
from newsweave.model import Article

WIRE = (
    "A landslip buried a stretch of Harrow Road between Selby Cove and Tamsworth on Sunday "
    "morning, cutting off about 240 homes. Nobody was hurt, the county council said. "
    "Engineers from Orland Highways reached the site at 9am and said the cliff was still "
    'moving. The road, built in 1931, carries about 4,000 vehicles a day. "This is a '
    'serious slip and we will not reopen the road until the ground is stable," said council '
    "leader Mara Quint. A diversion of 14 miles is in place through Hessock. Residents were "
    "told to expect the closure to last at least three weeks. The council will hold a "
    "public meeting at Selby Cove village hall on Tuesday evening."
)
EDITED = (
    "Coast Radio | News\n\n"
    "A landslip buried a stretch of Harrow Road between Selby Cove and Tamsworth on Sunday "
    "morning, cutting off 240 homes. Nobody was hurt, the county council said. "
    "Engineers from Orland Highways reached the site at 9am and said the cliff was still "
    'moving. "This is a serious slip and we will not reopen the road until the ground is '
    'stable," said council leader Mara Quint. A diversion of 14 miles is in place through '
    "Hessock. Residents were told to expect the closure to last at least three weeks."
)
OWN_REPORT = (
    "Families in Selby Cove woke on Sunday to find their only road gone. Harrow Road slid "
    "towards the sea shortly after dawn, and by lunchtime dozens of residents had gathered "
    'at the barrier. "This is a serious slip and we will not reopen the road until the '
    'ground is stable," said council leader Mara Quint. Shopkeeper Ivo Brant said his '
    "deliveries would now take an hour longer. Geologists from Tamsworth University said "
    "heavy rain in October had loosened the clay."
)
GERMAN = (
    "Ein Erdrutsch hat am Sonntagmorgen einen Abschnitt der Harrow Road zwischen Selby Cove "
    "und Tamsworth verschüttet und etwa 240 Häuser abgeschnitten. Verletzt wurde niemand, "
    "teilte der Bezirksrat mit. Ingenieure von Orland Highways erreichten die Stelle um 9 "
    "Uhr und sagten, die Klippe bewege sich noch. Die 1931 gebaute Straße trägt täglich "
    "etwa 4.000 Fahrzeuge. Eine Umleitung von 14 Meilen über Hessock ist eingerichtet. Der "
    "Rat hält am Dienstagabend eine Versammlung im Gemeindesaal von Selby Cove ab."
)
GERMAN_OWN = (
    "In Tamsworth wächst der Ärger über die gesperrte Harrow Road. Händler in Hessock "
    "berichten von 30 Prozent weniger Kunden, seit Orland Highways die Straße am Sonntag "
    "gesperrt hat. Bürgermeisterin Mara Quint versprach eine Entscheidung bis Freitag. Die "
    "Geologen der Universität von Selby Cove warnen, dass 2019 ein ähnlicher Rutsch 12 "
    "Wochen Arbeit kostete."
)


def _article(text: str, name: str, language: str = "en") -> Article:
    meta = Metadata(title=name, language=language)
    return build_article(
        text, meta, [], path=name, options=IngestOptions(detect_language=False), languages=None
    )


def test_a_lightly_edited_wire_copy_is_one_source_and_an_own_report_another() -> None:
    wire, edited, own = (
        _article(WIRE, "wire"),
        _article(EDITED, "edited"),
        _article(OWN_REPORT, "own"),
    )
    groups = source_groups([wire, edited, own])
    assert groups[edited.id] == groups[wire.id] == 0
    assert groups[own.id] == 2  # one quotation in common is not a copy


def test_a_translation_is_one_source_with_its_original() -> None:
    wire, german = _article(WIRE, "wire"), _article(GERMAN, "de", "de")
    german_own = _article(GERMAN_OWN, "de-own", "de")
    groups = source_groups([wire, german, german_own])
    assert groups[german.id] == groups[wire.id]
    assert groups[german_own.id] == 2  # same names, its own order and figures


def test_names_and_figures_keep_their_order_across_languages() -> None:
    en, de = anchors(WIRE), anchors(GERMAN)
    assert "240" in en and "4000" in de and "selby" in de
    assert common_order(en, de) >= 0.7 * min(len(en), len(de))
    assert common_order(["a", "b", "c"], ["c", "b", "a"]) == 1
