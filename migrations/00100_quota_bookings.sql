-- +goose Up
-- Office booking rules. release_cron is a five-field cron expression in the
-- office's time zone; at each firing the days within the booking window
-- become bookable (weekly, monthly or rolling daily releases).
ALTER TABLE offices
    ADD COLUMN booking_window_days   int  NOT NULL DEFAULT 30 CHECK (booking_window_days BETWEEN 1 AND 120),
    ADD COLUMN release_cron          text NOT NULL DEFAULT '0 0 * * *',
    ADD COLUMN draw_window_minutes   int  NOT NULL DEFAULT 10 CHECK (draw_window_minutes BETWEEN 0 AND 240),
    ADD COLUMN waitlist_hold_minutes int  NOT NULL DEFAULT 120 CHECK (waitlist_hold_minutes BETWEEN 5 AND 1440),
    ADD COLUMN default_online        int  NOT NULL DEFAULT 150 CHECK (default_online >= 0),
    ADD COLUMN default_walkin        int  NOT NULL DEFAULT 40 CHECK (default_walkin >= 0),
    ADD COLUMN default_priority      int  NOT NULL DEFAULT 10 CHECK (default_priority >= 0),
    ADD COLUMN running_text          text NOT NULL DEFAULT '';

-- One row per office and calendar day (office time zone). Seats are counted
-- here; a booking takes a seat with a conditional UPDATE in the same
-- transaction that inserts it, so no instance can ever overbook.
CREATE TABLE quota_days (
    office            text NOT NULL REFERENCES offices (code),
    day               date NOT NULL,
    online_capacity   int  NOT NULL CHECK (online_capacity >= 0),
    online_booked     int  NOT NULL DEFAULT 0 CHECK (online_booked >= 0),
    walkin_capacity   int  NOT NULL CHECK (walkin_capacity >= 0),
    walkin_issued     int  NOT NULL DEFAULT 0 CHECK (walkin_issued >= 0),
    priority_capacity int  NOT NULL DEFAULT 0 CHECK (priority_capacity >= 0 AND priority_capacity <= walkin_capacity),
    priority_issued   int  NOT NULL DEFAULT 0 CHECK (priority_issued >= 0),
    released_at       timestamptz,          -- bookable from this instant (NULL: not yet scheduled)
    draw_closes_at    timestamptz,          -- requests until then are draw entries
    closed_reason     text,                 -- set when an admin closes the day
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (office, day)
);

-- A booking binds one applicant (NIK) to one office-day. Active statuses hold
-- a seat; one active booking per NIK is enforced by a partial unique index.
CREATE TABLE bookings (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{6,12}$'),
    office      text NOT NULL,
    day         date NOT NULL,
    service     text NOT NULL CHECK (service IN ('new', 'renewal', 'replacement', 'data_change', 'priority', 'pickup')),
    nik         text NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    full_name   text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 100),
    birth_date  date NOT NULL,
    sex         text NOT NULL CHECK (sex IN ('M', 'F')),
    phone       text NOT NULL CHECK (phone ~ '^\+628[0-9]{7,12}$'),
    status      text NOT NULL CHECK (status IN ('entered', 'booked', 'checked_in', 'cancelled', 'no_show', 'waitlisted', 'expired')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    FOREIGN KEY (office, day) REFERENCES quota_days (office, day)
);
CREATE UNIQUE INDEX bookings_one_active_per_nik ON bookings (nik) WHERE status IN ('entered', 'booked', 'checked_in', 'waitlisted');
CREATE INDEX bookings_phone ON bookings (phone) WHERE status IN ('entered', 'booked', 'checked_in', 'waitlisted');
CREATE INDEX bookings_office_day ON bookings (office, day, status);

-- +goose Down
DROP TABLE bookings, quota_days;
ALTER TABLE offices DROP COLUMN booking_window_days, DROP COLUMN release_cron, DROP COLUMN draw_window_minutes,
    DROP COLUMN waitlist_hold_minutes, DROP COLUMN default_online, DROP COLUMN default_walkin,
    DROP COLUMN default_priority, DROP COLUMN running_text;
