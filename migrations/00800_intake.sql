-- +goose Up
-- The One Stop Service desk's record of one application (backoffice/intake
-- owns these tables): the document checklist as the officer ticked it, the
-- replacement reason billing's fee rule reads, the interview notes, the
-- checks run at intake and the hand-over to the captures. The enrolment data
-- the officer corrected is written to applications through its owner; here
-- only which fields were corrected is kept.
CREATE TABLE intake_records (
    application_no     text PRIMARY KEY REFERENCES applications (application_no),
    office             text NOT NULL REFERENCES offices (code),
    checklist          jsonb NOT NULL DEFAULT '{}',
    replacement_reason text CHECK (replacement_reason IN ('lost', 'damaged', 'force_majeure', 'splp')),
    married            boolean NOT NULL DEFAULT false,
    electronic         boolean NOT NULL DEFAULT false,
    corrected          text[] NOT NULL DEFAULT '{}',
    notes              text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    taken_in_at        timestamptz NOT NULL,
    taken_in_by        text NOT NULL,
    walkin             boolean NOT NULL DEFAULT false,
    outcome            text CHECK (outcome IN ('biometric', 'on_hold')),
    finding            text NOT NULL DEFAULT '',
    handed_over_at     timestamptz,
    ready_on           date,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX intake_records_office ON intake_records (office, taken_in_at);

-- Document scans: from the desk's scanner/upload, or the citizen's own upload
-- from the portal before arrival (then only booking_id is known; the desk
-- finds it through the application's booking). The content is sealed with
-- internal/sealed under a key the database does not hold.
CREATE TABLE intake_scans (
    id             bigserial PRIMARY KEY,
    application_no text REFERENCES applications (application_no),
    booking_id     bigint REFERENCES bookings (id),
    office         text NOT NULL REFERENCES offices (code),
    kind           text NOT NULL CHECK (kind IN ('ktp', 'family_card', 'birth_certificate', 'old_passport', 'police_report',
                                                 'splp', 'supporting', 'other')),
    content_type   text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size           integer NOT NULL CHECK (size > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    sealed         bytea NOT NULL,
    source         text NOT NULL CHECK (source IN ('desk', 'portal')),
    uploaded_at    timestamptz NOT NULL,
    uploaded_by    text NOT NULL,
    CHECK (application_no IS NOT NULL OR booking_id IS NOT NULL)
);
CREATE INDEX intake_scans_application ON intake_scans (application_no) WHERE application_no IS NOT NULL;
CREATE INDEX intake_scans_booking ON intake_scans (booking_id) WHERE booking_id IS NOT NULL;

-- +goose Down
DROP TABLE intake_scans;
DROP TABLE intake_records;
