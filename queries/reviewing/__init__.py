"""A reviewer's work on the evidence: decisions, their exchange, the review queue, reviewed rankings."""
