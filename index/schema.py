"""The DuckDB schema, grown by numbered migrations and never by editing a table in place."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from index.transactions import transaction

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def m001_core_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Documents, their structure, quotations, respondents, entities, themes and the embedding cache."""
    con.execute(
        """
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            study VARCHAR NOT NULL,
            title VARCHAR,
            authors VARCHAR[],
            year INTEGER,
            kind VARCHAR,
            licence VARCHAR,
            doi VARCHAR,
            note VARCHAR,
            source_path VARCHAR,
            source_format VARCHAR,
            sha256 VARCHAR,
            parser_version VARCHAR,
            n_pages INTEGER,
            text VARCHAR,
            status VARCHAR NOT NULL,
            error VARCHAR,
            ingested_at TIMESTAMP
        );
        CREATE TABLE sections (
            section_id BIGINT PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            parent_id BIGINT,
            ordinal INTEGER NOT NULL,
            level INTEGER NOT NULL,
            number VARCHAR,
            heading VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            page_start INTEGER,
            page_end INTEGER,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL
        );
        CREATE TABLE passages (
            passage_id BIGINT PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            section_id BIGINT,
            ordinal INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            page INTEGER,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text_sha256 VARCHAR NOT NULL
        );
        CREATE TABLE quotes (
            quote_id BIGINT PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            section_id BIGINT,
            ordinal INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            respondent_id BIGINT,
            respondent_code VARCHAR,
            scheme VARCHAR,
            attribution VARCHAR,
            source_kind VARCHAR NOT NULL,
            inline BOOLEAN NOT NULL,
            lead_in_role VARCHAR,
            page INTEGER,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            facets VARCHAR,
            cluster_id BIGINT
        );
        CREATE TABLE respondents (
            respondent_id BIGINT PRIMARY KEY,
            study VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            scheme VARCHAR,
            phase INTEGER,
            site VARCHAR,
            national BOOLEAN,
            number INTEGER,
            care_model VARCHAR,
            role VARCHAR,
            org VARCHAR,
            n_quotes INTEGER NOT NULL
        );
        CREATE TABLE entities (
            entity_id BIGINT PRIMARY KEY,
            canonical VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            aliases VARCHAR[]
        );
        CREATE TABLE mentions (
            entity_id BIGINT NOT NULL,
            doc_id VARCHAR NOT NULL,
            passage_id BIGINT,
            quote_id BIGINT,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            surface VARCHAR NOT NULL
        );
        CREATE TABLE themes (
            theme_id BIGINT PRIMARY KEY,
            codebook VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            description VARCHAR
        );
        CREATE TABLE quote_themes (
            quote_id BIGINT NOT NULL,
            theme_id BIGINT NOT NULL,
            score DOUBLE NOT NULL,
            rank INTEGER NOT NULL,
            method VARCHAR NOT NULL
        );
        CREATE TABLE embeddings (
            model VARCHAR NOT NULL,
            text_sha256 VARCHAR NOT NULL,
            vector FLOAT[] NOT NULL,
            PRIMARY KEY (model, text_sha256)
        );
        """
    )


def m002_evidence_view(con: duckdb.DuckDBPyConnection) -> None:
    """One row per quotation with its respondent facets, document title, section path and page."""
    con.execute(
        """
        CREATE VIEW evidence AS
        SELECT q.quote_id, q.cluster_id, q.doc_id, d.study, d.title AS doc_title, d.year AS doc_year,
               s.path AS section_path, s.heading AS section_heading, q.page, q.text,
               q.respondent_code, q.attribution, q.source_kind, q.inline, q.lead_in_role,
               r.phase, r.site, r.national, r.number, r.care_model, r.role, r.org,
               q.char_start, q.char_end
        FROM quotes q
        JOIN documents d USING (doc_id)
        LEFT JOIN sections s USING (section_id)
        LEFT JOIN respondents r USING (respondent_id)
        """
    )


def m003_quote_windows_and_theme_queries(con: duckdb.DuckDBPyConnection) -> None:
    """Quotation windows (lead-in sentence + a stretch of the quotation, span offsets into quotes.text)
    whose vectors live in the embedding cache, and each theme's query text, so a codebook query needs
    no model at all."""
    con.execute(
        """
        CREATE TABLE quote_windows (
            quote_id BIGINT NOT NULL,
            ordinal INTEGER NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            lead_in VARCHAR,
            n_pieces INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            text_sha256 VARCHAR NOT NULL,
            PRIMARY KEY (quote_id, ordinal)
        );
        ALTER TABLE themes ADD COLUMN ordinal INTEGER;
        ALTER TABLE themes ADD COLUMN source VARCHAR;
        ALTER TABLE themes ADD COLUMN examples VARCHAR[];
        ALTER TABLE themes ADD COLUMN headings VARCHAR[];
        ALTER TABLE themes ADD COLUMN query_text VARCHAR;
        ALTER TABLE themes ADD COLUMN query_sha256 VARCHAR;
        ALTER TABLE themes ADD COLUMN model VARCHAR;
        """
    )


def m004_last_good_ingest(con: duckdb.DuckDBPyConnection) -> None:
    """When a document's served rows were ingested: a stale document keeps them after a failed re-ingest."""
    con.execute("ALTER TABLE documents ADD COLUMN last_good_at TIMESTAMP")
    con.execute("UPDATE documents SET last_good_at = ingested_at WHERE status = 'ok'")


def m005_entity_source(con: duckdb.DuckDBPyConnection) -> None:
    """Where each entity came from (gazetteer, acronym, pattern, ner), so a reviewer can filter on it.
    Entities stored before the column existed came from the gazetteer or an acronym definition."""
    con.execute(
        """
        ALTER TABLE entities ADD COLUMN source VARCHAR;
        UPDATE entities SET source = 'gazetteer';
        """
    )


def m006_ocr_pages(con: duckdb.DuckDBPyConnection) -> None:
    """The pages of a document read by OCR, each with the mean confidence (0..1) of its words."""
    con.execute(
        """
        CREATE TABLE ocr_pages (
            doc_id VARCHAR NOT NULL,
            page INTEGER NOT NULL,
            confidence DOUBLE NOT NULL,
            PRIMARY KEY (doc_id, page)
        );
        """
    )


def m007_theme_classifiers(con: duckdb.DuckDBPyConnection) -> None:
    """Each codebook's learned classifier (kept so an unchanged set of coded examples is not trained
    again) and the curve that maps a free-text theme's cosine to a membership probability."""
    con.execute(
        """
        CREATE TABLE theme_classifiers (
            codebook VARCHAR PRIMARY KEY,
            model VARCHAR NOT NULL,
            examples_sha256 VARCHAR NOT NULL,
            n_examples INTEGER NOT NULL,
            theme_ids BIGINT[] NOT NULL,
            weights FLOAT[] NOT NULL,
            bias FLOAT[] NOT NULL,
            scale DOUBLE NOT NULL,
            "offset" DOUBLE NOT NULL,
            trained_at TIMESTAMP DEFAULT current_timestamp
        );
        CREATE TABLE free_text_calibration (
            model VARCHAR PRIMARY KEY,
            scale DOUBLE NOT NULL,
            "offset" DOUBLE NOT NULL
        );
        """
    )


MIGRATIONS: tuple[Migration, ...] = (
    m001_core_tables, m002_evidence_view, m003_quote_windows_and_theme_queries, m004_last_good_ingest,
    m005_entity_source, m006_ocr_pages, m007_theme_classifiers,
)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations this database has not seen; return the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, migration in enumerate(MIGRATIONS, start=1):
        if version in applied:
            continue
        with transaction(con):
            migration(con)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, migration.__name__])
    return len(MIGRATIONS)
