"""Finding evidence: passage search, theme evidence, the theme x facet matrix, listings and filters."""
