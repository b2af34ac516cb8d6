-- +goose Up
-- Devices enrolled from the devices page: the admin creates the device and
-- gets a short one-time code; the device types it and receives its token.
-- enrolled_at is NULL until then (devices added by the CLI are enrolled at once).
ALTER TABLE devices ADD COLUMN enrolled_at timestamptz;
UPDATE devices SET enrolled_at = created_at;

-- One code per device awaiting enrolment; only its SHA-256 is kept.
CREATE TABLE device_enrol_codes (
    device_id  uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CHECK (expires_at > created_at)
);

-- Wrong codes typed, per client address, for the attempt limit.
CREATE TABLE device_enrol_attempts (
    id bigserial PRIMARY KEY,
    ip text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX device_enrol_attempts_ip ON device_enrol_attempts (ip, at);

-- +goose Down
DROP TABLE device_enrol_attempts, device_enrol_codes;
ALTER TABLE devices DROP COLUMN enrolled_at;
