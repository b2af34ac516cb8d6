-- +goose Up
-- Wait prediction (backoffice/queue/wait.go): the call time the queue
-- predicted when it issued the ticket, kept so the prediction's accuracy is
-- measured against the real call; the phone to tell "your turn is near"
-- (an online booking's, or a walk-in's who asked for it at the kiosk), and
-- when that text was queued, so it goes once.
ALTER TABLE queue_tickets
    ADD COLUMN predicted_call_at timestamptz,
    ADD COLUMN notify_phone      text CHECK (notify_phone ~ '^\+[1-9][0-9]{7,14}$'),
    ADD COLUMN near_notified_at  timestamptz;
-- What the "near" sweep scans: waiting tickets that still want a text.
CREATE INDEX queue_tickets_near ON queue_tickets (office, day) WHERE status = 'waiting' AND notify_phone IS NOT NULL AND near_notified_at IS NULL;

-- +goose Down
DROP INDEX queue_tickets_near;
ALTER TABLE queue_tickets DROP COLUMN predicted_call_at, DROP COLUMN notify_phone, DROP COLUMN near_notified_at;
