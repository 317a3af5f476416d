"""Reading back: search, theme evidence, exports and evaluation over the published state."""
