-- +goose Up
-- internal/audit's anchor. The hash chain alone can be rewritten by someone
-- who goes behind the append-only trigger and recomputes every hash after the
-- row they changed. A checkpoint is a chain head (office, seq, hash) with an
-- HMAC under AUDIT_KEY, a key the database never holds; each is also appended
-- to a file under AUDIT_ANCHOR_DIR, off the database. `sppt audit verify`
-- compares the chain with every signed checkpoint it can read, so a rewritten
-- row at or before a checkpoint is found even with its hashes recomputed, and
-- a checkpoint deleted from this table is still read from its file.
CREATE TABLE audit_checkpoints (
    office text NOT NULL,
    seq    bigint NOT NULL CHECK (seq > 0),
    hash   bytea NOT NULL,
    at     timestamptz NOT NULL,
    mac    bytea NOT NULL CHECK (length(mac) = 32),
    PRIMARY KEY (office, seq)
);

-- Every run of the nightly chain check, for the office head's dashboard.
CREATE TABLE audit_checks (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    chains      int NOT NULL,
    entries     bigint NOT NULL,
    checkpoints int NOT NULL,
    anchored    boolean NOT NULL, -- false: run without AUDIT_KEY, rewrites with recomputed hashes go unseen
    breaks      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(breaks) = 'array')
);
CREATE INDEX audit_checks_at ON audit_checks (at DESC);

-- +goose Down
DROP TABLE audit_checks, audit_checkpoints;
