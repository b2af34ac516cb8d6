-- +goose Up
-- Owned by backoffice/exception: one case per hold an application is put
-- on (a new hold after a decision is a new case), with its BAP (Berita Acara
-- Pemeriksaan), the office head's recommendation (watchlist cases) and the
-- decision that ended the hold. finding is what the check found (watchlist
-- entry id and score, or the other identity and the face score): references
-- and numbers, never biometric data. fields are the case kind's own fields
-- (exception.FieldsOf), validated by the package.
CREATE TABLE exception_cases (
    id              bigserial PRIMARY KEY,
    application_id  bigint NOT NULL REFERENCES applications (id),
    office          text NOT NULL REFERENCES offices (code),
    kind            text NOT NULL CHECK (kind IN ('existing_passport', 'lost_passport', 'duplicate',
                        'verification_failed', 'watchlist', 'escalated')),
    decider_role    text NOT NULL CHECK (decider_role IN ('supervisor', 'regional_head')),
    opened_at       timestamptz NOT NULL,
    opened_by       text NOT NULL,
    opened_reason   text NOT NULL DEFAULT '',
    finding         jsonb NOT NULL DEFAULT '{}',
    -- The BAP, signed by the examining officer (supervisor).
    statement       text CHECK (length(statement) <= 4000),
    findings        text CHECK (length(findings) <= 4000),
    fields          jsonb NOT NULL DEFAULT '{}',
    examiner_name   text CHECK (length(examiner_name) <= 120),
    bap_by          text,
    bap_signer      text,
    bap_role        text,
    bap_at          timestamptz,
    -- The office head's recommendation (watchlist cases).
    rec_outcome     text CHECK (rec_outcome IN ('proceed', 'reject')),
    rec_text        text CHECK (length(rec_text) <= 2000),
    rec_by          text,
    rec_signer      text,
    rec_at          timestamptz,
    -- The decision (or, for a hold left another way, how it ended).
    outcome         text CHECK (outcome IN ('adjudication', 'billing', 'rejected', 'cancelled')),
    outcome_reason  text CHECK (length(outcome_reason) <= 500),
    decided_by      text,
    decided_signer  text,
    decided_role    text,
    decided_at      timestamptz,
    CHECK ((bap_at IS NULL) = (bap_by IS NULL)),
    CHECK ((decided_at IS NULL) = (outcome IS NULL)),
    CHECK (rec_at IS NULL OR bap_at IS NOT NULL),
    CHECK (outcome IS NULL OR outcome = 'cancelled' OR bap_at IS NOT NULL)
);
-- One open case per application.
CREATE UNIQUE INDEX exception_cases_open ON exception_cases (application_id) WHERE decided_at IS NULL;
CREATE INDEX exception_cases_office_open ON exception_cases (office, opened_at) WHERE decided_at IS NULL;
CREATE INDEX exception_cases_application ON exception_cases (application_id, id);

-- +goose Down
DROP TABLE exception_cases;
