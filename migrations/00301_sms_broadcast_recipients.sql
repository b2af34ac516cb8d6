-- +goose Up
-- A broadcast's recipients, written by ONE set-based INSERT … SELECT when the
-- broadcast is made (100,000 subscribers in about a second), and handed to
-- the outbox (sms_messages + a send job each) by the drain job at the pace
-- of sending (see sms/drain.go). The row is deliberately narrow and has a
-- single index, the compact key (broadcast_id, phone): no long text key, no
-- CHECKs (rows come from sms_subscriptions, which has them; the outbox row
-- checks again), no foreign key (one lookup per row); the drain reads the
-- rows in key order behind a cursor (sms_broadcasts.fed_after).
-- COLLATE "C": phones are ASCII, and byte order makes the key cheap to build.
CREATE TABLE sms_broadcast_recipients (
    broadcast_id bigint NOT NULL,
    phone        text COLLATE "C" NOT NULL,
    channel      text NOT NULL,
    lang         text NOT NULL,
    PRIMARY KEY (broadcast_id, phone)
);

-- The texts of a broadcast (one per language, the same for every recipient)
-- and the drain's cursor: recipients with phone > fed_after are not in the
-- outbox yet.
ALTER TABLE sms_broadcasts
    ADD COLUMN body_id   text NOT NULL DEFAULT '',
    ADD COLUMN body_en   text NOT NULL DEFAULT '',
    ADD COLUMN fed_after text COLLATE "C" NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sms_broadcasts DROP COLUMN body_id, DROP COLUMN body_en, DROP COLUMN fed_after;
DROP TABLE sms_broadcast_recipients;
