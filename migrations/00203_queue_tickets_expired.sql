-- +goose Up
-- A ticket still waiting or called when its office day has ended is closed
-- as 'expired' by the queue-close-days sweep (backoffice/queue_close.go):
-- nobody finished it, and calling it "done" or "no_show" would be a guess.
-- An expired ticket may keep the booth it was called at, or have none.
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_status_check,
    ADD CONSTRAINT queue_tickets_status_check CHECK (status IN ('waiting', 'called', 'done', 'no_show', 'expired'));
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_check,
    ADD CONSTRAINT queue_tickets_check CHECK (status = 'expired' OR (status = 'waiting') = (booth IS NULL));

-- +goose Down
UPDATE queue_tickets SET status = 'no_show' WHERE status = 'expired' AND booth IS NOT NULL;
DELETE FROM queue_tickets WHERE status = 'expired';
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_check,
    ADD CONSTRAINT queue_tickets_check CHECK ((status = 'waiting') = (booth IS NULL));
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_status_check,
    ADD CONSTRAINT queue_tickets_status_check CHECK (status IN ('waiting', 'called', 'done', 'no_show'));
