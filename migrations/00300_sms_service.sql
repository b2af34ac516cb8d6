-- +goose Up
-- The outbox's delivery state machine (see sms/outbox.go):
--   queued → sending (lease held by one worker; uncertain once the provider
--   call has started) → sent → delivered | undelivered | failed (callbacks),
--   or failed / stopped on a permanent provider error.
-- lease_until is physical time: until then one worker owns the message.
ALTER TABLE sms_messages
    ADD COLUMN lease_until      timestamptz,
    ADD COLUMN uncertain        boolean NOT NULL DEFAULT false,
    ADD COLUMN first_attempt_at timestamptz,
    ADD COLUMN sent_at          timestamptz,
    ADD COLUMN broadcast_id     bigint;
CREATE INDEX sms_messages_broadcast ON sms_messages (broadcast_id, status) WHERE broadcast_id IS NOT NULL;

-- One deployment-wide rate limit: every send reserves the next free time
-- slot in this single row (a conditional UPDATE), whatever instance it runs on.
CREATE TABLE sms_rate (
    id        int PRIMARY KEY CHECK (id = 1),
    next_slot timestamptz NOT NULL
);
INSERT INTO sms_rate (id, next_slot) VALUES (1, '2000-01-01 00:00:00+00');

-- Subscriptions to an office's daily quota broadcast (DAFTAR/JOIN).
CREATE TABLE sms_subscriptions (
    office     text NOT NULL REFERENCES offices (code),
    phone      text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    channel    text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp')),
    lang       text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (office, phone)
);
CREATE INDEX sms_subscriptions_phone ON sms_subscriptions (phone);

-- A phone that stopped broadcasts (BERHENTI/STOP, or Twilio error 21610).
-- OTP and notifications about the phone's own bookings still go.
CREATE TABLE sms_optouts (
    phone      text PRIMARY KEY,
    reason     text NOT NULL CHECK (reason IN ('keyword', 'carrier')),
    stopped_at timestamptz NOT NULL
);

-- Inbound messages by Twilio's MessageSid: a retried webhook gets the
-- stored reply and changes nothing twice.
CREATE TABLE sms_inbound (
    message_sid text PRIMARY KEY CHECK (length(message_sid) BETWEEN 1 AND 64),
    from_phone  text NOT NULL,
    channel     text NOT NULL,
    body        text NOT NULL,
    command     text NOT NULL,
    office      text,
    reply       text NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX sms_inbound_received ON sms_inbound (received_at);

-- One row per broadcast event (office, day, kind): its messages carry its id.
CREATE TABLE sms_broadcasts (
    id         bigserial PRIMARY KEY,
    office     text NOT NULL REFERENCES offices (code),
    day        date NOT NULL,
    kind       text NOT NULL,
    total      int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    UNIQUE (office, day, kind)
);

-- +goose Down
DROP TABLE sms_broadcasts, sms_inbound, sms_optouts, sms_subscriptions, sms_rate;
DROP INDEX sms_messages_broadcast;
ALTER TABLE sms_messages DROP COLUMN lease_until, DROP COLUMN uncertain, DROP COLUMN first_attempt_at,
    DROP COLUMN sent_at, DROP COLUMN broadcast_id;
