-- +goose Up
-- Priority first means asking "is any D ticket waiting?" on every call; with
-- only the issue-order index that question scans every waiting ticket when
-- the answer is no. This index answers it (and any one-group booth) at once.
CREATE INDEX queue_tickets_waiting_service ON queue_tickets (office, day, service, issued_at, id) WHERE status = 'waiting';

-- +goose Down
DROP INDEX queue_tickets_waiting_service;
