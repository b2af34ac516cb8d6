-- +goose Up
-- backoffice/sla: the service promise of each application, ready within 3
-- working days of intake (the move into 'desk') in the office's calendar.
-- The due day is computed once at intake, from the holiday calendar as it
-- stands then, and stored: it is the day the receipt promises, so a holiday
-- loaded later does not move it, and the sweep and the dashboard count states
-- with one indexed query instead of a calendar walk per application.
CREATE TABLE sla_items (
    application_no text PRIMARY KEY REFERENCES applications (application_no),
    office         text NOT NULL REFERENCES offices (code),
    service        text NOT NULL,
    intake_at      timestamptz NOT NULL,
    due_on         date NOT NULL,
    -- on_time/at_risk/late while open; met/missed once ready; closed when
    -- rejected or cancelled (no promise is owed).
    state          text NOT NULL DEFAULT 'on_time'
                   CHECK (state IN ('on_time', 'at_risk', 'late', 'met', 'missed', 'closed')),
    at_risk_at     timestamptz, -- when the sweep flagged it at risk
    late_at        timestamptz, -- when the sweep flagged it late
    done_at        timestamptz, -- when it became ready (or was closed)
    CHECK ((state IN ('met', 'missed', 'closed')) = (done_at IS NOT NULL)),
    CHECK (state <> 'late' OR late_at IS NOT NULL)
);
CREATE INDEX sla_items_open ON sla_items (office, due_on) WHERE state IN ('on_time', 'at_risk', 'late');
CREATE INDEX sla_items_done ON sla_items (office, done_at) WHERE done_at IS NOT NULL;

-- +goose Down
DROP TABLE sla_items;
