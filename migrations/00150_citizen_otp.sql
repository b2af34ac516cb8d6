-- +goose Up
-- Citizen sign-in codes. Only a salted SHA-256 of each code is kept; a code
-- lives a few minutes, allows a few tries and is used once. The rows also
-- count requests per phone and per IP for throttling.
CREATE TABLE citizen_otps (
    id         bigserial PRIMARY KEY,
    phone      text NOT NULL CHECK (phone ~ '^\+628[0-9]{7,12}$'),
    ip         text NOT NULL,
    salt       bytea NOT NULL CHECK (length(salt) = 16),
    code_hash  bytea NOT NULL CHECK (length(code_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    attempts   int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    used_at    timestamptz
);
CREATE INDEX citizen_otps_phone ON citizen_otps (phone, created_at);
CREATE INDEX citizen_otps_ip ON citizen_otps (ip, created_at);

-- Wrong codes by IP, so one address cannot try codes across many phones.
CREATE TABLE citizen_otp_failures (
    id    bigserial PRIMARY KEY,
    at    timestamptz NOT NULL,
    ip    text NOT NULL,
    phone text NOT NULL
);
CREATE INDEX citizen_otp_failures_ip ON citizen_otp_failures (ip, at);

-- +goose Down
DROP TABLE citizen_otp_failures, citizen_otps;
