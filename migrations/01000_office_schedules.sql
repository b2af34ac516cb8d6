-- +goose Up
-- Effective-dated office schedules (issue 13). The columns of offices stay
-- the base rules; a row here replaces them for the days from effective_from
-- up to the next row's. A change is a new row dated in the future, so days
-- already released (quota_days rows keep their numbers) and bookings made
-- are never rewritten. Arrays are indexed by ISO weekday, Monday first
-- (1 = Monday … 7 = Sunday); a NULL opening time closes that weekday.
CREATE TABLE office_schedules (
    office                text    NOT NULL REFERENCES offices (code),
    effective_from        date    NOT NULL,
    opens_at              time[]  NOT NULL CHECK (cardinality(opens_at) = 7),
    closes_at             time[]  NOT NULL CHECK (cardinality(closes_at) = 7),
    online                int[]   NOT NULL CHECK (cardinality(online) = 7 AND 0 <= ALL (online)),
    walkin                int[]   NOT NULL CHECK (cardinality(walkin) = 7 AND 0 <= ALL (walkin)),
    priority              int[]   NOT NULL CHECK (cardinality(priority) = 7 AND 0 <= ALL (priority)),
    booking_window_days   int     NOT NULL CHECK (booking_window_days BETWEEN 1 AND 120),
    release_cron          text    NOT NULL,
    draw_window_minutes   int     NOT NULL CHECK (draw_window_minutes BETWEEN 0 AND 240),
    waitlist_hold_minutes int     NOT NULL CHECK (waitlist_hold_minutes BETWEEN 5 AND 1440),
    created_at            timestamptz NOT NULL,
    created_by            text    NOT NULL,
    PRIMARY KEY (office, effective_from)
);

-- +goose Down
DROP TABLE office_schedules;
