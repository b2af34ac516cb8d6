-- +goose Up
-- The applicant's feedback at the two points the SPPT redesign asks for it:
-- after the OSS desk and after pickup (backoffice/feedback owns it). One
-- answer per application and point.
CREATE TABLE feedback (
    id             bigserial PRIMARY KEY,
    application_no text NOT NULL REFERENCES applications (application_no),
    office         text NOT NULL REFERENCES offices (code),
    point          text NOT NULL CHECK (point IN ('desk', 'pickup')),
    score          smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    at             timestamptz NOT NULL,
    UNIQUE (application_no, point)
);
CREATE INDEX feedback_office_at ON feedback (office, at);

-- +goose Down
DROP TABLE feedback;
