-- +goose Up
-- The failure logs the old throttles counted (check, then insert: not exact
-- under concurrency, and never pruned) gave way to throttle_counters.
DROP TABLE login_attempts, citizen_otp_failures, device_enrol_attempts;
DROP INDEX citizen_otps_ip; -- the per-address code limit no longer counts citizen_otps

-- +goose Down
CREATE INDEX citizen_otps_ip ON citizen_otps (ip, created_at);
CREATE TABLE login_attempts (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    username text NOT NULL,
    ip       text NOT NULL,
    ok       boolean NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE TABLE citizen_otp_failures (
    id    bigserial PRIMARY KEY,
    at    timestamptz NOT NULL,
    ip    text NOT NULL,
    phone text NOT NULL
);
CREATE INDEX citizen_otp_failures_ip ON citizen_otp_failures (ip, at);
CREATE TABLE device_enrol_attempts (
    id bigserial PRIMARY KEY,
    ip text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX device_enrol_attempts_ip ON device_enrol_attempts (ip, at);
