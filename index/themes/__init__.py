"""Theme coding: codebooks, the theme corpus and its rankings, the classifier, and the writer of theme scores."""
