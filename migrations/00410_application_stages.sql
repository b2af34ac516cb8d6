-- +goose Up
-- The stage machine (backoffice/application): 'cancelled' joins the stages
-- (withdrawn before payment, or a bill left unpaid); the passport number the
-- printing step assigns; the hold's case kind and the role whose decision
-- ends it, recorded when the hold is opened; and every move's history.
ALTER TABLE applications DROP CONSTRAINT applications_stage_check;
ALTER TABLE applications ADD CONSTRAINT applications_stage_check CHECK (stage IN ('queued', 'desk', 'biometric',
    'adjudication', 'billing', 'printing', 'validation', 'ready', 'picked_up', 'on_hold', 'rejected', 'cancelled'));
ALTER TABLE applications
    ADD COLUMN passport_no text UNIQUE CHECK (passport_no ~ '^[A-Z][0-9A-Z]{7,8}$'),
    ADD COLUMN hold_kind   text CHECK (hold_kind IN ('existing_passport', 'lost_passport', 'duplicate', 'verification_failed', 'watchlist', 'escalated')),
    ADD COLUMN hold_role   text CHECK (hold_role IN ('supervisor', 'regional_head')),
    ADD CONSTRAINT applications_hold CHECK ((stage = 'on_hold') = (hold_kind IS NOT NULL AND hold_role IS NOT NULL));
CREATE INDEX applications_office_stage_created ON applications (office, stage, created_at);

-- One row per stage entered, the birth included (from_stage NULL).
CREATE TABLE application_history (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id),
    from_stage     text,
    to_stage       text NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL CHECK (length(actor) BETWEEN 1 AND 80),
    reason         text NOT NULL DEFAULT '' CHECK (length(reason) <= 500)
);
CREATE INDEX application_history_application ON application_history (application_id, id);

-- +goose Down
DROP TABLE application_history;
DROP INDEX applications_office_stage_created;
ALTER TABLE applications DROP CONSTRAINT applications_hold, DROP COLUMN hold_role, DROP COLUMN hold_kind, DROP COLUMN passport_no;
ALTER TABLE applications DROP CONSTRAINT applications_stage_check;
ALTER TABLE applications ADD CONSTRAINT applications_stage_check CHECK (stage IN ('queued', 'desk', 'biometric',
    'adjudication', 'billing', 'printing', 'validation', 'ready', 'picked_up', 'rejected', 'on_hold'));
