"""Exchange files of translation work for CAT tools and agencies: XLIFF 1.2, XLIFF 2.1 and PO.

``units`` says what a unit carries (one per block), ``codes`` maps inline Markdown to each format's
inline codes, ``xliff`` and ``po`` write and read the formats, ``importing`` is the way back (an
approval path like ``approve``). The translation memory and TMX live below, in
:mod:`helpglot.drafting.memory`, because drafting uses them before any engine.
"""
