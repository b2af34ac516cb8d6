-- +goose Up
-- Every outbound message is a row here, inserted in the same transaction as
-- its cause, with a River job that sends it. idem_key makes the same event
-- impossible to send twice.
CREATE TABLE sms_messages (
    id           bigserial PRIMARY KEY,
    idem_key     text NOT NULL UNIQUE,
    to_phone     text NOT NULL CHECK (to_phone ~ '^\+[1-9][0-9]{7,14}$'),
    channel      text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp')),
    kind         text NOT NULL,
    office       text,
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 1600),
    status       text NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'stopped')),
    provider_sid text UNIQUE,
    error        text,
    attempts     int NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX sms_messages_created ON sms_messages (created_at);
CREATE INDEX sms_messages_status ON sms_messages (status) WHERE status IN ('queued', 'sending');

-- +goose Down
DROP TABLE sms_messages;
