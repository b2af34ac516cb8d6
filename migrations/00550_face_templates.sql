-- +goose Up
-- Face templates for 1:N identification (backoffice/biometric owns the
-- table). subject_id is the identity key (a NIK or an application number).
-- embedding is specific personal data: 512 little-endian float32s sealed with
-- AES-256-GCM (internal/sealed) under DATA_KEY, which the database never
-- holds; the associated data is 'face_templates:' || subject_id, so a value
-- copied onto another row does not open.
--
-- Every instance keeps all templates in memory and follows this table by id:
-- a re-enrolment takes a new id (the old one is gone with the row's previous
-- content), and enrolments are serialised by an advisory lock so ids commit in
-- order and a reader that has seen id N has seen every id below it.
CREATE TABLE face_templates (
    id         bigserial PRIMARY KEY,
    subject_id text NOT NULL UNIQUE CHECK (subject_id ~ '^[0-9A-Za-z-]{1,64}$'),
    office     text REFERENCES offices (code),
    created_at timestamptz NOT NULL,
    embedding  bytea NOT NULL
);
CREATE INDEX face_templates_office ON face_templates (office);

-- +goose Down
DROP TABLE face_templates;
