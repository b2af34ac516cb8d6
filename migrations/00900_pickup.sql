-- +goose Up
-- Pickup (backoffice/pickup) owns both tables.
--
-- pickup_checks: every 1:1 face check the pickup counter's camera made for
-- an application ready for pickup (POST /api/v1/devices/verifications), so
-- the handover can name the check it relied on. No biometric data here: only
-- the answer and the score.
CREATE TABLE pickup_checks (
    id             bigserial PRIMARY KEY,
    application_no text NOT NULL,
    office         text NOT NULL REFERENCES offices (code),
    match          boolean NOT NULL,
    score          double precision NOT NULL CHECK (score BETWEEN -1 AND 1),
    actor          text NOT NULL CHECK (length(actor) BETWEEN 1 AND 80),
    at             timestamptz NOT NULL
);
CREATE INDEX pickup_checks_application ON pickup_checks (application_no, at DESC);

-- pickup_handovers: one per application, ever (the primary key makes a
-- second handover impossible): who handed over, to whom (the applicant in
-- person; a documented representative is not accepted yet), the passport
-- handed over and what became of the previous one, the face check it
-- relied on.
CREATE TABLE pickup_handovers (
    application_no   text PRIMARY KEY,
    office           text NOT NULL REFERENCES offices (code),
    officer          text NOT NULL CHECK (length(officer) BETWEEN 1 AND 80),
    recipient        text NOT NULL CHECK (recipient IN ('applicant')),
    passport_no      text NOT NULL,
    previous_no      text,
    previous_status  text CHECK (previous_status IN ('cancelled', 'lost')),
    check_id         bigint NOT NULL REFERENCES pickup_checks (id),
    score            double precision NOT NULL,
    at               timestamptz NOT NULL,
    CHECK ((previous_no IS NULL) = (previous_status IS NULL))
);
CREATE INDEX pickup_handovers_office_at ON pickup_handovers (office, at);

-- +goose Down
DROP TABLE pickup_handovers;
DROP TABLE pickup_checks;
