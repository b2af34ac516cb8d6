-- +goose Up
-- Print jobs and passport numbers (backoffice/printing). A job is queued in
-- the transaction that moves an application into printing; a printer claims
-- it (FOR UPDATE SKIP LOCKED, so two printers never get the same one) and
-- reports the blank it used: printed closes the job, spoiled puts it back in
-- the queue for a new blank. The passport number is allocated once per
-- application, when the job is queued: a spoiled blank's page was never
-- issued, so the reprint carries the same number.
CREATE TABLE passport_number_counters (
    format text PRIMARY KEY CHECK (length(format) BETWEEN 8 AND 9),
    next   bigint NOT NULL CHECK (next >= 0)
);

CREATE TABLE print_jobs (
    id             uuid PRIMARY KEY,
    application_no text NOT NULL UNIQUE REFERENCES applications (application_no),
    office         text NOT NULL REFERENCES offices (code),
    book_type      text NOT NULL CHECK (book_type IN ('ordinary_24', 'ordinary_48', 'electronic_48')),
    passport_no    text NOT NULL UNIQUE CHECK (passport_no ~ '^[A-Z][0-9A-Z]{7,8}$'),
    validity_years int NOT NULL CHECK (validity_years IN (5, 10)),
    status         text NOT NULL CHECK (status IN ('queued', 'claimed', 'printed')),
    claimed_by     text,
    claimed_at     timestamptz,
    -- fixed at each claim: the day printed and the MRZ sent to the printer
    issued_on      date,
    expires_on     date,
    mrz            text[] CHECK (mrz IS NULL OR array_length(mrz, 1) = 2),
    serial         text REFERENCES blanks (serial),
    attempts       int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    spoiled        int NOT NULL DEFAULT 0 CHECK (spoiled >= 0),
    queued_at      timestamptz NOT NULL,
    done_at        timestamptz,
    CHECK ((status = 'queued') = (claimed_by IS NULL AND claimed_at IS NULL)),
    CHECK (status = 'queued' OR (issued_on IS NOT NULL AND expires_on > issued_on AND mrz IS NOT NULL)),
    CHECK ((status = 'printed') = (serial IS NOT NULL AND done_at IS NOT NULL))
);
CREATE INDEX print_jobs_open ON print_jobs (office, queued_at, id) WHERE status <> 'printed';

-- The register keeps what was printed: the blank, when, and the data page's
-- two MRZ lines (NULL for passports registered from the old system).
ALTER TABLE passports
    ADD COLUMN serial    text UNIQUE REFERENCES blanks (serial),
    ADD COLUMN issued_at timestamptz,
    ADD COLUMN mrz       text[] CHECK (mrz IS NULL OR array_length(mrz, 1) = 2),
    ADD CONSTRAINT passports_printed_whole CHECK ((serial IS NULL) = (mrz IS NULL) AND (serial IS NULL) = (issued_at IS NULL));

-- +goose Down
ALTER TABLE passports DROP CONSTRAINT passports_printed_whole, DROP COLUMN mrz, DROP COLUMN issued_at, DROP COLUMN serial;
DROP TABLE print_jobs, passport_number_counters;
