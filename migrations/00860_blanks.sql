-- +goose Up
-- The blank-booklet ledger (backoffice/printing owns every table here). A
-- batch of blanks is received per office and book type; each serial is one
-- row in exactly one state, and the database refuses any move the
-- transitions table does not list. Every insert and state change writes its
-- history row by trigger, so no code path can move a serial silently.
--
--   in_stock  in the office's vault
--   assigned  bound to an application's print job (only when it is printed)
--   printed   the data page printed and passed QA; waiting for handover
--   spoiled   QA failed or damaged: needs its reason
--   issued    handed to the holder at pickup
--   returned  sent back to the central warehouse
CREATE TABLE blank_batches (
    id           bigserial PRIMARY KEY,
    office       text NOT NULL REFERENCES offices (code),
    book_type    text NOT NULL CHECK (book_type IN ('ordinary_24', 'ordinary_48', 'electronic_48')),
    first_serial text NOT NULL CHECK (first_serial ~ '^[A-Z][0-9]{7}$'),
    count        int NOT NULL CHECK (count BETWEEN 1 AND 100000),
    received_at  timestamptz NOT NULL,
    received_by  text NOT NULL CHECK (length(received_by) BETWEEN 1 AND 80)
);

CREATE TABLE blank_transitions (
    from_state text NOT NULL,
    to_state   text NOT NULL,
    PRIMARY KEY (from_state, to_state)
);
INSERT INTO blank_transitions VALUES
    ('in_stock', 'assigned'), ('in_stock', 'spoiled'), ('in_stock', 'returned'),
    ('assigned', 'printed'), ('assigned', 'spoiled'),
    ('printed', 'issued'), ('printed', 'spoiled');

CREATE TABLE blanks (
    serial         text PRIMARY KEY CHECK (serial ~ '^[A-Z][0-9]{7}$'),
    office         text NOT NULL REFERENCES offices (code),
    book_type      text NOT NULL CHECK (book_type IN ('ordinary_24', 'ordinary_48', 'electronic_48')),
    batch_id       bigint NOT NULL REFERENCES blank_batches (id),
    state          text NOT NULL CHECK (state IN ('in_stock', 'assigned', 'printed', 'spoiled', 'issued', 'returned')),
    application_no text REFERENCES applications (application_no),
    passport_no    text CHECK (passport_no ~ '^[A-Z0-9]{1,9}$'),
    reason         text CHECK (length(reason) BETWEEN 1 AND 200),
    updated_at     timestamptz NOT NULL,
    updated_by     text NOT NULL CHECK (length(updated_by) BETWEEN 1 AND 80),
    -- a spoiled serial says why; nothing else carries a reason but a return
    CHECK ((state = 'spoiled') = (reason IS NOT NULL) OR state = 'returned'),
    -- a serial in the vault belongs to nobody; assigned, printed and issued ones to an application
    CHECK (state <> 'in_stock' OR application_no IS NULL),
    CHECK (state NOT IN ('assigned', 'printed', 'issued') OR application_no IS NOT NULL),
    CHECK (state NOT IN ('printed', 'issued') OR passport_no IS NOT NULL)
);
CREATE INDEX blanks_office_type_state ON blanks (office, book_type, state);
-- one booklet per passport: a passport number is on at most one good booklet
CREATE UNIQUE INDEX blanks_one_per_passport ON blanks (passport_no) WHERE state IN ('printed', 'issued');

CREATE TABLE blank_history (
    id             bigserial PRIMARY KEY,
    serial         text NOT NULL REFERENCES blanks (serial),
    from_state     text,
    to_state       text NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    application_no text,
    reason         text
);
CREATE INDEX blank_history_serial ON blank_history (serial, id);
-- usage per day (the capacity planner): moves out of the vault by day
CREATE INDEX blank_history_at ON blank_history (at) WHERE to_state IN ('assigned', 'spoiled');

-- +goose StatementBegin
CREATE FUNCTION blanks_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'in_stock' THEN
            RAISE EXCEPTION 'blank %: a received serial starts in_stock, not %', NEW.serial, NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
        IF NOT EXISTS (SELECT 1 FROM blank_transitions WHERE from_state = OLD.state AND to_state = NEW.state) THEN
            RAISE EXCEPTION 'blank %: no move from % to %', NEW.serial, OLD.state, NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'blank %: changed without a state move', NEW.serial USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.office, NEW.book_type, NEW.batch_id) IS DISTINCT FROM (OLD.office, OLD.book_type, OLD.batch_id) THEN
        RAISE EXCEPTION 'blank %: office, type and batch never change', NEW.serial USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER blanks_guard BEFORE INSERT OR UPDATE ON blanks FOR EACH ROW EXECUTE FUNCTION blanks_guard();

-- +goose StatementBegin
CREATE FUNCTION blanks_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO blank_history (serial, from_state, to_state, at, actor, application_no, reason)
    VALUES (NEW.serial, CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state, NEW.updated_at, NEW.updated_by,
            NEW.application_no, NEW.reason);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER blanks_history AFTER INSERT OR UPDATE ON blanks FOR EACH ROW EXECUTE FUNCTION blanks_history();

-- +goose StatementBegin
CREATE FUNCTION blanks_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'blank %: a serial is never deleted, it is spoiled or returned', OLD.serial
        USING ERRCODE = 'check_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER blanks_no_delete BEFORE DELETE ON blanks FOR EACH ROW EXECUTE FUNCTION blanks_no_delete();

-- +goose Down
DROP TABLE blank_history, blanks, blank_transitions, blank_batches;
DROP FUNCTION blanks_guard, blanks_history, blanks_no_delete;
