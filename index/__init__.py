"""Storing: the DuckDB schema and writers, the embedder and the FAISS index."""
