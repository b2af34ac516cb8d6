-- +goose Up
-- Owned by backoffice/adjudication: each office's choice to approve clean
-- applications without an adjudicator (off unless the office head turns it on).
CREATE TABLE adjudication_settings (
    office       text PRIMARY KEY REFERENCES offices (code),
    auto_approve boolean NOT NULL,
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL
);

-- +goose Down
DROP TABLE adjudication_settings;
