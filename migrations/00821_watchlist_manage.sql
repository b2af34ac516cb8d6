-- +goose Up
-- The watchlist page (backoffice/watchlist): an entry lifted by an officer
-- keeps who lifted it, when and why (its validity ends the day before); and
-- the page's search by name runs on a prefix of the normalised name.
ALTER TABLE watchlist_entries
    ADD COLUMN lifted_at   timestamptz,
    ADD COLUMN lifted_by   text,
    ADD COLUMN lift_reason text CHECK (length(lift_reason) <= 500),
    ADD CONSTRAINT watchlist_entries_lifted CHECK ((lifted_at IS NULL) = (lifted_by IS NULL));
CREATE INDEX watchlist_entries_name_prefix ON watchlist_entries (name_key text_pattern_ops);

-- +goose Down
DROP INDEX watchlist_entries_name_prefix;
ALTER TABLE watchlist_entries DROP CONSTRAINT watchlist_entries_lifted,
    DROP COLUMN lift_reason, DROP COLUMN lifted_by, DROP COLUMN lifted_at;
