-- +goose Up
-- Booths (loket) of an office and the services each one calls. OSS booths
-- serve new, renewal, replacement, priority and data change; pickup counters
-- serve pickup. priority_streak counts consecutive priority calls at the
-- booth: the anti-starvation rule of backoffice/queue_call.go reads it.
CREATE TABLE booths (
    office          text NOT NULL REFERENCES offices (code),
    number          int  NOT NULL CHECK (number BETWEEN 1 AND 999),
    name            text NOT NULL DEFAULT '' CHECK (length(name) <= 60),
    services        text[] NOT NULL CHECK (cardinality(services) > 0 AND
                    services <@ ARRAY['new', 'renewal', 'replacement', 'data_change', 'priority', 'pickup']),
    priority_streak int  NOT NULL DEFAULT 0 CHECK (priority_streak >= 0),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (office, number)
);

-- The last number given per office, office day and prefix (numbers restart daily).
CREATE TABLE queue_counters (
    office text NOT NULL REFERENCES offices (code),
    day    date NOT NULL,
    prefix text NOT NULL CHECK (prefix ~ '^[A-F]$'),
    last   int  NOT NULL CHECK (last > 0),
    PRIMARY KEY (office, day, prefix)
);

-- One queue number per application per office day (or per walk-in). A ticket
-- waits, is called at a booth (and maybe recalled), then is done or a no-show;
-- a transfer puts it back to waiting (keeping issued_at, so it keeps its place
-- in First In First Served), optionally for one booth (target_booth).
CREATE TABLE queue_tickets (
    id             bigserial PRIMARY KEY,
    office         text NOT NULL REFERENCES offices (code),
    day            date NOT NULL,
    number         text NOT NULL CHECK (number ~ '^[A-F][0-9]{3,5}$'),
    service        text NOT NULL CHECK (service IN ('new', 'renewal', 'replacement', 'data_change', 'priority', 'pickup')),
    -- applications (migration 00400) comes later in the sequence, so this is
    -- not a foreign key; check-in writes both in one transaction.
    application_id bigint UNIQUE,
    walkin         boolean NOT NULL DEFAULT false,
    status         text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'done', 'no_show')),
    issued_at      timestamptz NOT NULL,
    called_at      timestamptz,
    booth          int,
    target_booth   int,
    recalls        int NOT NULL DEFAULT 0 CHECK (recalls BETWEEN 0 AND 3),
    finished_at    timestamptz,
    UNIQUE (office, day, number),
    CHECK ((status = 'waiting') = (booth IS NULL))
);
-- What call-next scans: waiting tickets of an office day in issue order.
CREATE INDEX queue_tickets_waiting ON queue_tickets (office, day, issued_at, id) WHERE status = 'waiting';
-- The ticket a booth is serving now.
CREATE INDEX queue_tickets_serving ON queue_tickets (office, day, booth) WHERE status = 'called';

-- Device heartbeats: what the device last reported about itself.
ALTER TABLE devices ADD COLUMN last_status text CHECK (length(last_status) <= 200);

-- +goose Down
ALTER TABLE devices DROP COLUMN last_status;
DROP TABLE queue_tickets, queue_counters, booths;
