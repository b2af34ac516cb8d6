-- +goose Up
-- The passport register: every passport SPPT knows of, issued here or, for
-- applicants who held one before SPPT, registered from the old system. Owned
-- by backoffice/printing (which issues them); intake asks it whether a NIK
-- already holds a valid passport, pickup cancels or marks the previous one.
CREATE TABLE passports (
    passport_no     text PRIMARY KEY CHECK (passport_no ~ '^[A-Z0-9]{1,9}$'),
    nik             text NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    application_no  text UNIQUE,
    office          text NOT NULL REFERENCES offices (code),
    book_type       text NOT NULL CHECK (book_type IN ('ordinary_24', 'ordinary_48', 'electronic_48')),
    -- valid: in the holder's hands (or waiting at the office once printed);
    -- cancelled: replaced by a new one at pickup; lost: reported lost.
    status          text NOT NULL CHECK (status IN ('printed', 'valid', 'cancelled', 'lost', 'damaged')),
    issued_on       date NOT NULL,
    expires_on      date NOT NULL CHECK (expires_on > issued_on),
    status_reason   text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX passports_nik ON passports (nik);

-- +goose Down
DROP TABLE passports;
