-- +goose Up
-- A walk-in request may carry a random key (the kiosk page's form always
-- does). The same key for the same service from the same kiosk gets the
-- ticket already issued for it -- a page refresh, a double tap, a retried
-- request -- instead of taking another walk-in seat. ticket is NULL while the
-- first request issues it.
CREATE TABLE kiosk_walkin_keys (
    device_id  uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    key        text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{16,64}$'),
    service    text NOT NULL,
    ticket     jsonb,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, key, service)
);

-- +goose Down
DROP TABLE kiosk_walkin_keys;
