-- +goose Up
-- The watchlist (cekal): people an authority has barred from travel, from
-- entry, or who are wanted. Owned by backoffice/watchlist; intake asks it
-- before anyone pays. Matching is exact on NIK, or by trigram similarity of
-- name_key (idn.WatchlistKey, computed by the application) plus birth date.
-- pg_trgm ships with PostgreSQL (contrib); creating it needs a role allowed
-- to (the database owner on PostgreSQL 13+: it is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE watchlist_entries (
    id          bigserial PRIMARY KEY,
    nik         text CHECK (nik ~ '^[0-9]{16}$'),
    full_name   text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 150),
    name_key    text NOT NULL CHECK (name_key <> ''),
    birth_date  date,
    kind        text NOT NULL CHECK (kind IN ('travel_ban', 'entry_ban', 'wanted')),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    authority   text NOT NULL CHECK (authority ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    valid_from  date NOT NULL,
    valid_to    date CHECK (valid_to >= valid_from),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The re-import key: one entry per person per authority. A person is their
-- NIK when the list has it, else the normalised name and the birth date
-- (a missing birth date is part of the key: NULLS NOT DISTINCT).
CREATE UNIQUE INDEX watchlist_entries_by_nik ON watchlist_entries (authority, nik) WHERE nik IS NOT NULL;
CREATE UNIQUE INDEX watchlist_entries_by_name ON watchlist_entries (authority, name_key, birth_date)
    NULLS NOT DISTINCT WHERE nik IS NULL;

-- Matching. An exact NIK. A name among the entries born that day: a birth
-- date narrows a million entries to a few dozen, whose similarity is cheaper
-- to compute than a trigram index scan (bench/watchlist measured a composite
-- btree_gin (birth_date, name_key gin_trgm_ops) index at p50 22 ms, p99 138 ms:
-- common trigrams have long posting lists). A name among the entries without
-- a birth date: the trigram index.
CREATE INDEX watchlist_entries_nik ON watchlist_entries (nik) WHERE nik IS NOT NULL;
CREATE INDEX watchlist_entries_birth ON watchlist_entries (birth_date) WHERE birth_date IS NOT NULL;
CREATE INDEX watchlist_entries_undated_name ON watchlist_entries USING gin (name_key gin_trgm_ops)
    WHERE birth_date IS NULL;

-- +goose Down
DROP TABLE watchlist_entries;
