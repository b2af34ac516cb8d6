-- +goose Up
-- A national admin works for every office: no office and no region. A
-- regional head has a region; every other officer one office.
ALTER TABLE officers DROP CONSTRAINT officers_check, DROP CONSTRAINT officers_check1;
ALTER TABLE officers ADD CONSTRAINT officers_scope CHECK (CASE
    WHEN 'national_admin' = ANY (roles) THEN office IS NULL AND region IS NULL
    WHEN 'regional_head' = ANY (roles) THEN office IS NULL AND region IS NOT NULL
    ELSE office IS NOT NULL AND region IS NULL END);
-- Set by a password reset: the next sign-in must choose a new password.
ALTER TABLE officers ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- Revoked tokens, owned by internal/auth. key is '<audience>:<subject>' (every
-- token of that subject issued before revoked_before, e.g. a disabled officer)
-- or 'jti:<id>' (one token, e.g. a citizen who signed out). A row can go once
-- no token it covers is still valid (expires_at). recorded_at is the
-- database's clock, so each instance's cache reads only what is new.
CREATE TABLE token_revocations (
    key            text PRIMARY KEY CHECK (length(key) BETWEEN 3 AND 200),
    revoked_before timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX token_revocations_recorded ON token_revocations (recorded_at);

-- Where a device stands: the booth a booth screen or biometric station
-- serves (NULL: the office at large, e.g. a kiosk or a lobby TV).
ALTER TABLE devices ADD COLUMN booth int CHECK (booth BETWEEN 1 AND 999);

-- +goose Down
ALTER TABLE devices DROP COLUMN booth;
DROP TABLE token_revocations;
ALTER TABLE officers DROP COLUMN must_change_password;
ALTER TABLE officers DROP CONSTRAINT officers_scope;
ALTER TABLE officers ADD CONSTRAINT officers_check CHECK ((office IS NULL) = ('regional_head' = ANY (roles))),
    ADD CONSTRAINT officers_check1 CHECK ((region IS NULL) = (office IS NOT NULL));
