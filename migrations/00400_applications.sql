-- +goose Up
-- An application is the One Stop Service state machine. It is born when a
-- booked applicant checks in at the kiosk (stage 'queued', with its ticket)
-- or when the OSS desk takes in a walk-in; every later transition belongs to
-- the backoffice pipeline. application_no is what citizens quote (SMS STATUS,
-- the portal's status page).
CREATE TABLE applications (
    id             bigserial PRIMARY KEY,
    application_no text NOT NULL UNIQUE CHECK (application_no ~ '^[0-9A-Z-]{6,32}$'),
    office         text NOT NULL REFERENCES offices (code),
    booking_id     bigint UNIQUE REFERENCES bookings (id),
    service        text NOT NULL CHECK (service IN ('new', 'renewal', 'replacement', 'data_change', 'priority', 'pickup')),
    nik            text NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    full_name      text NOT NULL,
    birth_date     date NOT NULL,
    sex            text NOT NULL CHECK (sex IN ('M', 'F')),
    phone          text CHECK (phone ~ '^\+628[0-9]{7,12}$'),
    stage          text NOT NULL CHECK (stage IN ('queued', 'desk', 'biometric', 'adjudication', 'billing', 'printing',
                                                  'validation', 'ready', 'picked_up', 'rejected', 'on_hold')),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX applications_office_stage ON applications (office, stage);

-- +goose Down
DROP TABLE applications;
