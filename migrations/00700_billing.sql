-- +goose Up
-- Bills are owned by backoffice/billing. A bill is issued when adjudication
-- approves an application (nobody pays before that) and is closed exactly
-- once: paid by the bank's signed callback or at the cashier, expired by the
-- sweep, or cancelled. The lines are kept as issued, so a later change of the
-- fee schedule never rewrites what the applicant was asked to pay.
CREATE TABLE bills (
    id              bigserial PRIMARY KEY,
    billing_code    text NOT NULL UNIQUE CHECK (billing_code ~ '^[1-9][0-9]{14}$'),
    application_no  text NOT NULL REFERENCES applications (application_no),
    office          text NOT NULL REFERENCES offices (code),
    phone           text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'), -- where this bill's notices go
    amount          bigint NOT NULL CHECK (amount >= 0),
    lines           jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
    status          text NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'paid', 'expired', 'cancelled')),
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL CHECK (expires_at > issued_at),
    paid_at         timestamptz,
    bank_reference  text UNIQUE CHECK (length(bank_reference) BETWEEN 1 AND 64),
    paid_via        text CHECK (paid_via IN ('bank', 'cashier')),
    cashier_officer text,
    receipt_no      text CHECK (length(receipt_no) BETWEEN 1 AND 64),
    closed_at       timestamptz,
    CHECK ((status = 'paid') = (paid_at IS NOT NULL AND paid_via IS NOT NULL)),
    CHECK ((status = 'unpaid') = (closed_at IS NULL)),
    CHECK (paid_via IS DISTINCT FROM 'bank' OR bank_reference IS NOT NULL),
    CHECK (paid_via IS DISTINCT FROM 'cashier' OR (cashier_officer IS NOT NULL AND receipt_no IS NOT NULL))
);
-- One open bill per application.
CREATE UNIQUE INDEX bills_one_unpaid ON bills (application_no) WHERE status = 'unpaid';
CREATE INDEX bills_application ON bills (application_no);
-- What the expiry sweep scans.
CREATE INDEX bills_unpaid_expiry ON bills (expires_at) WHERE status = 'unpaid';

-- The first answer given to each bank reference, so a resent callback gets
-- it again and changes nothing. Only authenticated, well-formed callbacks are
-- remembered: an unsigned request cannot claim a reference.
CREATE TABLE payment_callbacks (
    reference    text PRIMARY KEY CHECK (length(reference) BETWEEN 1 AND 64),
    billing_code text NOT NULL,
    status       int NOT NULL CHECK (status BETWEEN 200 AND 599),
    answer       jsonb NOT NULL,
    received_at  timestamptz NOT NULL
);

-- +goose Down
DROP TABLE payment_callbacks, bills;
