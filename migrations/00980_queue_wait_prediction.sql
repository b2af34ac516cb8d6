-- +goose Up
-- Wait prediction (backoffice/queue/wait.go): the call time the queue
-- predicted when it issued the ticket, kept so the prediction's accuracy is
-- measured against the real call.
ALTER TABLE queue_tickets ADD COLUMN predicted_call_at timestamptz;

-- "Your turn is near" (near.go): the phone to text (an online booking's, or
-- a walk-in's who asked at the kiosk) and when the text was queued, so it
-- goes once. A table of its own, without a foreign key, so that recording
-- or sending never locks a waiting ticket's row: call-next claims with FOR
-- UPDATE SKIP LOCKED and would pass over a locked ticket.
CREATE TABLE queue_near (
    ticket_id bigint PRIMARY KEY,
    office    text NOT NULL,
    day       date NOT NULL,
    phone     text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    sent_at   timestamptz
);
CREATE INDEX queue_near_unsent ON queue_near (office, day) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE queue_near;
ALTER TABLE queue_tickets DROP COLUMN predicted_call_at;
