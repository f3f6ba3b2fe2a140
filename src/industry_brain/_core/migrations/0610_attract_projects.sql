-- The project pipeline of a district investment office (招商项目过程管理): projects, their full history, and the
-- imports of a district's own project ledger (招商项目台账) with the rows they could not load.

CREATE TABLE project_batch (
    batch_id          INTEGER PRIMARY KEY,
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL UNIQUE,
    rows_read         INTEGER NOT NULL,
    rows_loaded       INTEGER NOT NULL,     -- rows that created or changed a project
    rows_unchanged    INTEGER NOT NULL,     -- rows equal to the project already on record
    rows_quarantined  INTEGER NOT NULL,
    imported_by       VARCHAR NOT NULL,
    imported_at       TIMESTAMP NOT NULL
);

CREATE TABLE project_problem (
    batch_id          INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,     -- 1-based row of the sheet
    field             VARCHAR NOT NULL,
    code              VARCHAR NOT NULL,     -- stable code, see attract/_project_messages.py
    severity          VARCHAR NOT NULL,     -- error (row not loaded) | warning (loaded without the value)
    value             VARCHAR,
    message_zh        VARCHAR NOT NULL,
    message_en        VARCHAR NOT NULL,
    raw               VARCHAR               -- the row as read (JSON)
);

CREATE TABLE project (
    project_id        INTEGER PRIMARY KEY,
    name              VARCHAR NOT NULL,
    district          VARCHAR NOT NULL,     -- 2019 map unit code (QTXQ for 钱塘新区)
    owner             VARCHAR,              -- username of the officer in charge
    target_name       VARCHAR,              -- the firm courted
    target_uscc       VARCHAR,              -- its 统一社会信用代码, when known
    investment_wan    DOUBLE,               -- expected investment, 万元
    field_code        VARCHAR,              -- high-tech field, level 2 or 3 of the 2016 list
    chain_code        VARCHAR,              -- industry chain and segment (chains templates)
    segment_code      VARCHAR,
    stage             VARCHAR NOT NULL,     -- a stage or an outcome code of the stage configuration
    held_stage        VARCHAR,              -- for an outcome (dropped, on hold): the stage the project was at
    stage_since       TIMESTAMP NOT NULL,
    next_action       VARCHAR,
    next_action_on    DATE,
    notes             VARCHAR,
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    batch_id          INTEGER,              -- the ledger import that created it, if any
    source_row        INTEGER,
    created_by        VARCHAR NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (district, name)
);

CREATE TABLE project_event (
    event_id          INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL,
    happened_at       TIMESTAMP NOT NULL,
    actor             VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,     -- created | moved | edited
    move              VARCHAR,              -- forward | skip | back | outcome | resume (kind = moved)
    from_stage        VARCHAR,
    to_stage          VARCHAR,
    reason            VARCHAR,
    changes           VARCHAR,              -- JSON {field: [old, new]} (kind = edited)
    batch_id          INTEGER               -- when the event came from a ledger import
);

CREATE INDEX project_event_by_project ON project_event (project_id, happened_at);
