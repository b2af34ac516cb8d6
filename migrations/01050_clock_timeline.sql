-- +goose Up
-- One SPPT_NOW timeline per deployment (CONTRACT.md, Configuration): the
-- first process that starts with SPPT_NOW records where the timeline began,
-- in the database's own clock, and every later process on this database
-- reads the same instant from it. Written only by internal/clock.
CREATE TABLE clock_timeline (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    spt_now    text NOT NULL,             -- the SPPT_NOW value it began with
    rate       double precision NOT NULL CHECK (rate > 0),
    started_at timestamptz NOT NULL       -- the database's clock when it began
);

-- +goose Down
DROP TABLE clock_timeline;
