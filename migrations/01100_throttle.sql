-- +goose Up
-- Attempt counters of every throttle (internal/throttle owns the table): at
-- most a rule's limit of counted attempts per (rule, key) until reset_at,
-- taken by one conditional upsert so concurrent attempts are counted one by
-- one. A row whose reset_at has passed counts nothing; the hourly prune
-- deletes it.
CREATE TABLE throttle_counters (
    rule     text NOT NULL CHECK (length(rule) BETWEEN 1 AND 64),
    key      text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    n        int NOT NULL CHECK (n >= 0),
    reset_at timestamptz NOT NULL,
    PRIMARY KEY (rule, key)
);
CREATE INDEX throttle_counters_reset ON throttle_counters (reset_at);

-- +goose Down
DROP TABLE throttle_counters;
