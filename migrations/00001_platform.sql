-- +goose Up
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE offices (
    code     text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    name     text NOT NULL,
    city     text NOT NULL,
    region   text NOT NULL,
    timezone text NOT NULL CHECK (timezone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
    address  text NOT NULL DEFAULT '',
    opens_at time NOT NULL DEFAULT '08:00',
    closes_at time NOT NULL DEFAULT '16:00',
    CHECK (opens_at < closes_at)
);

-- National holidays and collective leave; office is NULL for the whole country.
CREATE TABLE holidays (
    day    date NOT NULL,
    office text REFERENCES offices (code),
    kind   text NOT NULL CHECK (kind IN ('national', 'collective_leave', 'office')),
    name   text NOT NULL
);
CREATE UNIQUE INDEX holidays_day_office ON holidays (day, coalesce(office, ''));

-- Fees are effective-dated data (PP 45/2024 and successors), amounts in IDR.
CREATE TABLE fees (
    code           text NOT NULL,
    description    text NOT NULL,
    amount_idr     bigint NOT NULL CHECK (amount_idr >= 0),
    effective_from date NOT NULL,
    effective_to   date,
    PRIMARY KEY (code, effective_from),
    CHECK (effective_to IS NULL OR effective_to > effective_from)
);

CREATE TABLE officers (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
    password_hash text NOT NULL,
    office        text REFERENCES offices (code),
    region        text,
    roles         text[] NOT NULL CHECK (cardinality(roles) > 0),
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz,
    -- every officer has one office, except a regional head whose scope is a region
    CHECK ((office IS NULL) = ('regional_head' = ANY (roles))),
    CHECK ((region IS NULL) = (office IS NOT NULL))
);

CREATE TABLE login_attempts (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    username text NOT NULL,
    ip       text NOT NULL,
    ok       boolean NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE devices (
    id           uuid PRIMARY KEY,
    office       text NOT NULL REFERENCES offices (code),
    kind         text NOT NULL CHECK (kind IN ('kiosk', 'display', 'booth', 'biometric', 'printer')),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_seen_at timestamptz,
    UNIQUE (office, name)
);

-- Append-only, one SHA-256 hash chain per office ('-' for network-wide entries).
CREATE TABLE audit_log (
    office    text NOT NULL,
    seq       bigint NOT NULL,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text NOT NULL,
    data      text NOT NULL CHECK (data::jsonb IS NOT NULL),
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL,
    PRIMARY KEY (office, seq)
);
CREATE INDEX audit_log_subject ON audit_log (subject);

CREATE TABLE audit_heads (
    office text PRIMARY KEY,
    seq    bigint NOT NULL DEFAULT 0,
    hash   bytea NOT NULL DEFAULT '\x'::bytea
);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- One row per scheduled firing: the first instance to insert it runs the job.
CREATE TABLE schedule_runs (
    name    text NOT NULL,
    slot    timestamptz NOT NULL,
    ran_at  timestamptz NOT NULL,
    PRIMARY KEY (name, slot)
);

-- +goose Down
DROP TABLE schedule_runs, audit_heads, audit_log, devices, login_attempts, officers, fees, holidays, offices, settings;
DROP FUNCTION audit_log_append_only;
