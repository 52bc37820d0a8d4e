"""The demo organisation: the whole company in one package.

    data      the named demo (Northwind Analytics) as sheets of named rows, one table per
              sheet as a spreadsheet would hold them
    build     turns the sheets into rows through the same services as the app
    generate  the large deterministic organisations (`lodestar demo --size medium|enterprise`),
              written in bulk and scored by one recompute

It sits above the services and the insights, below the surfaces.
"""
