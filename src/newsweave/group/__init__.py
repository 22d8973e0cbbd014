"""Near-duplicates and story grouping: which articles copy each other, which tell one story."""
