"""Writing the evidence out for other tools: tables (Parquet, CSV, JSON Lines) and REFI-QDA projects."""
