-- +goose Up
-- Day rules beyond 00100: an admin-opened day (SetDay, `sppt quota set`)
-- opens even on a weekend, holiday or beyond the window; drawn_at marks a
-- release draw as done. The counter can never pass its capacity, whatever
-- path writes it.
ALTER TABLE quota_days
    ADD COLUMN manual   boolean NOT NULL DEFAULT false,
    ADD COLUMN set_by   text,
    ADD COLUMN drawn_at timestamptz,
    ADD CONSTRAINT quota_days_online_within_capacity CHECK (online_booked <= online_capacity);

-- Waitlist: FIFO by waitlisted_at (then id). A waitlisted booking with a
-- live offer holds a seat (counted in online_booked) until offer_expires_at.
ALTER TABLE bookings
    ADD COLUMN waitlisted_at    timestamptz,
    ADD COLUMN offer_expires_at timestamptz;
CREATE INDEX bookings_waitlist ON bookings (office, day, waitlisted_at, id) WHERE status = 'waitlisted';
CREATE INDEX bookings_offers ON bookings (offer_expires_at) WHERE status = 'waitlisted' AND offer_expires_at IS NOT NULL;

-- One row per release draw, written when its window closes. entries is the
-- entry list as drawn: [{"code": "…", "group": n}] in code order, where group
-- numbers the entrants' phones (by first appearance) without revealing them.
-- Anyone can recompute the order with quota.DrawOrder(seed, entries): the
-- first `winners` codes got seats, the rest went to the waitlist in order.
CREATE TABLE quota_draws (
    office      text NOT NULL,
    day         date NOT NULL,
    seed        bytea NOT NULL CHECK (length(seed) = 32),
    closed_at   timestamptz NOT NULL,
    entry_count int NOT NULL CHECK (entry_count >= 0),
    seats       int NOT NULL CHECK (seats >= 0),
    winners     int NOT NULL CHECK (winners >= 0 AND winners <= seats AND winners <= entry_count),
    entries     jsonb NOT NULL,
    PRIMARY KEY (office, day),
    FOREIGN KEY (office, day) REFERENCES quota_days (office, day)
);

-- +goose Down
DROP TABLE quota_draws;
DROP INDEX bookings_offers, bookings_waitlist;
ALTER TABLE bookings DROP COLUMN waitlisted_at, DROP COLUMN offer_expires_at;
ALTER TABLE quota_days DROP CONSTRAINT quota_days_online_within_capacity,
    DROP COLUMN manual, DROP COLUMN set_by, DROP COLUMN drawn_at;
