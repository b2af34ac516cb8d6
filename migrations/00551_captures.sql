-- +goose Up
-- Biometric captures from the stations (backoffice/biometric owns the table).
-- Face image, embedding, fingerprint templates and signature are specific
-- personal data: each is sealed with AES-256-GCM (internal/sealed) under
-- DATA_KEY, which the database never holds, bound to 'captures:<id>:<part>'.
-- A capture refused for quality keeps no biometrics, only what to retake.
-- fingers holds per-finger quality and missing reasons (not biometric).
-- Rows are deleted after the retention period (CAPTURE_RETENTION); the face
-- template enrolled for identification lives on in face_templates.
CREATE TABLE captures (
    id             uuid PRIMARY KEY,
    application_no text NOT NULL REFERENCES applications (application_no),
    office         text NOT NULL REFERENCES offices (code),
    device         text NOT NULL,
    accepted       boolean NOT NULL,
    retake         text[] NOT NULL DEFAULT '{}',
    fingers        jsonb NOT NULL,
    outcome        text CHECK (outcome IN ('clean', 'duplicate', 'mismatch')),
    candidate      text,
    score          double precision,
    enrolled       boolean NOT NULL DEFAULT false,
    face_image     bytea,
    face_embedding bytea,
    fingerprints   bytea,
    signature      bytea,
    created_at     timestamptz NOT NULL,
    CHECK (accepted = (outcome IS NOT NULL)),
    CHECK (accepted = (face_image IS NOT NULL AND face_embedding IS NOT NULL AND fingerprints IS NOT NULL AND signature IS NOT NULL))
);
CREATE INDEX captures_application ON captures (application_no, created_at);
CREATE INDEX captures_created ON captures (created_at);

-- +goose Down
DROP TABLE captures;
