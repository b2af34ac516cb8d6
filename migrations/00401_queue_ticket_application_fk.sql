-- +goose Up
-- queue_tickets (00200) is created before applications (00400); the link
-- between them is enforced here, once both exist.
ALTER TABLE queue_tickets
    ADD CONSTRAINT queue_tickets_application_fk FOREIGN KEY (application_id) REFERENCES applications (id);

-- +goose Down
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_application_fk;
