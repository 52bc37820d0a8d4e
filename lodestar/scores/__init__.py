"""The joint of the two frameworks: where OKR scores meet the scorecard.

    parameters  the settings turned into scoring parameters (bands, pace limits), checked
                at start-up
    rollup      keeps every stored score equal to what the scoring rules say, along the
                ancestors of a write, and rebuilds them all (`lodestar recompute`)
    pace        a key result's pace today (never stored: it depends on the date)
    words       the one colour, pace word and status word of a score

It sits above the domain apps' models (org → strategy → okrs) and below the services
that write them, the insights and the pages. It has no models of its own.
"""
