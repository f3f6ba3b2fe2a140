-- Monitoring and early warning (招商标的监测预警): each district's watch list (firms it courts, its own anchor
-- firms), the imports of watch lists with their problems, and the alerts computed from versions of the register.

CREATE TABLE attract_watch_import (
    import_id         INTEGER PRIMARY KEY,
    district          VARCHAR NOT NULL,      -- 2019 map unit code (QTXQ for 钱塘新区)
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,
    rows_read         INTEGER NOT NULL,
    rows_loaded       INTEGER NOT NULL,
    rows_quarantined  INTEGER NOT NULL,
    imported_by       VARCHAR,
    imported_at       TIMESTAMP NOT NULL,
    UNIQUE (district, sha256)
);

CREATE TABLE attract_watch_problem (
    import_id         INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,      -- 1-based row of the file (the header is row 1)
    field             VARCHAR NOT NULL,
    code              VARCHAR NOT NULL,      -- stable code, see attract/_watch.py
    value             VARCHAR,
    message_zh        VARCHAR NOT NULL,
    message_en        VARCHAR NOT NULL,
    raw               VARCHAR                -- the row as read (JSON)
);

CREATE TABLE attract_watch (
    district          VARCHAR NOT NULL,      -- 2019 map unit code of the list
    uscc              VARCHAR NOT NULL,      -- 统一社会信用代码 of the watched firm
    kind              VARCHAR NOT NULL,      -- target (招商标的) | anchor (本区龙头企业)
    name              VARCHAR,               -- the name given when it was added (the register's name is shown first)
    note              VARCHAR,
    origin            VARCHAR NOT NULL,      -- manual | import | anchors | demo
    import_id         INTEGER,               -- the watch-list import that added it
    added_by          VARCHAR,
    added_at          TIMESTAMP NOT NULL,
    PRIMARY KEY (district, uscc)
);

CREATE SEQUENCE attract_alert_seq START 1;

-- One computation of alerts for a version pair (a batch and the previous batch of its source).
CREATE TABLE attract_alert_run (
    run_id            INTEGER PRIMARY KEY,
    batch_after       INTEGER NOT NULL,
    batch_before      INTEGER,               -- null for the first version of a list
    source            VARCHAR NOT NULL,
    as_of             DATE NOT NULL,         -- the date certificate lapses are measured from
    months            INTEGER NOT NULL,      -- cert_expiring window
    watched           INTEGER NOT NULL,      -- watch-list items at the time
    alerts_found      INTEGER NOT NULL,
    alerts_added      INTEGER NOT NULL,      -- found minus those already on record
    seconds           DOUBLE NOT NULL,
    computed_at       TIMESTAMP NOT NULL
);

CREATE TABLE attract_alert (
    alert_id          INTEGER PRIMARY KEY DEFAULT nextval('attract_alert_seq'),
    alert_key         VARCHAR NOT NULL UNIQUE,  -- kind|district|uscc|what: computing a pair again adds nothing
    kind              VARCHAR NOT NULL,      -- moved_out | deregistered | removed_from_list | capital_reduced |
                                             -- renamed | scope_changed | cert_expiring | branch_elsewhere
    district          VARCHAR NOT NULL,      -- the watch list's 2019 map unit code
    uscc              VARCHAR NOT NULL,      -- the watched firm
    name              VARCHAR NOT NULL,
    watch_kind        VARCHAR NOT NULL,      -- target | anchor
    severity          VARCHAR NOT NULL,      -- high | medium | low
    message_zh        VARCHAR NOT NULL,      -- why: the values before and after and the rule
    message_en        VARCHAR NOT NULL,
    detail            JSON NOT NULL,         -- the values compared (before, after, percentage, words, branch ...)
    source            VARCHAR NOT NULL,      -- the list the versions belong to
    batch_before      INTEGER,               -- the record versions the alert comes from
    row_before        INTEGER,
    batch_after       INTEGER NOT NULL,
    row_after         INTEGER,
    run_id            INTEGER NOT NULL,
    computed_at       TIMESTAMP NOT NULL,
    read_at           TIMESTAMP,
    read_by           VARCHAR
);
