-- The innovation-service platform: providers (服务机构), needs (需求), engagements (a need served by a provider),
-- ratings (服务评价, one per engagement) and credit events (信用记录, each also an entry of the credit log).

CREATE TABLE service_batch (
    batch_id          INTEGER PRIMARY KEY,
    kind              VARCHAR NOT NULL,      -- providers | needs | credit_events
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,
    rows_read         INTEGER NOT NULL,
    rows_loaded       INTEGER NOT NULL,
    rows_quarantined  INTEGER NOT NULL,
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    imported_by       VARCHAR,
    imported_at       TIMESTAMP NOT NULL,
    UNIQUE (kind, sha256)
);

CREATE TABLE service_problem (
    batch_id          INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,      -- 1-based row of the file (the header is row 1)
    field             VARCHAR NOT NULL,
    code              VARCHAR NOT NULL,      -- stable code, see services/_messages.py
    value             VARCHAR,
    message_zh        VARCHAR NOT NULL,
    message_en        VARCHAR NOT NULL,
    raw               VARCHAR                -- the row as read (JSON)
);

CREATE TABLE service_provider (
    provider_id       VARCHAR PRIMARY KEY,   -- the list's 编号, or SP + 10 hex of the name
    name              VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,      -- services/_data/kinds.yaml
    fields            VARCHAR[] NOT NULL,    -- high-tech field codes (level 1–3) served; ['*'] for every field
    district          VARCHAR,               -- 2019 map unit code (QTXQ for 钱塘新区)
    description       VARCHAR NOT NULL,
    capacity          INTEGER,               -- cases / samples / projects a month
    price             VARCHAR,
    contact           VARCHAR,
    phone             VARCHAR,
    uscc              VARCHAR,               -- the provider's own register record, when it has one
    owner             VARCHAR,               -- the account that may edit it (a provider's own account)
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    batch_id          INTEGER,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE service_need (
    need_id           VARCHAR PRIMARY KEY,
    text              VARCHAR NOT NULL,      -- the firm's request in its own words
    field             VARCHAR,               -- high-tech field code
    district          VARCHAR,               -- 2019 map unit code
    deadline          DATE,
    budget_wan        DOUBLE,
    uscc              VARCHAR,               -- the requesting firm, when known
    owner             VARCHAR,               -- the account that entered it
    status            VARCHAR NOT NULL DEFAULT 'open',   -- open | engaged | closed
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    batch_id          INTEGER,
    created_at        TIMESTAMP NOT NULL
);

CREATE SEQUENCE service_engagement_seq START 1;

CREATE TABLE service_engagement (
    engagement_id     INTEGER PRIMARY KEY DEFAULT nextval('service_engagement_seq'),
    need_id           VARCHAR NOT NULL,
    provider_id       VARCHAR NOT NULL,
    match_rank        INTEGER,               -- the provider's rank for the need when it was chosen
    match_score       DOUBLE,
    created_by        VARCHAR,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (need_id, provider_id)
);

CREATE TABLE service_rating (
    engagement_id     INTEGER PRIMARY KEY,   -- one rating per engagement
    provider_id       VARCHAR NOT NULL,
    rater             VARCHAR NOT NULL,      -- account or firm that rated
    quality           INTEGER NOT NULL,      -- 1–5 stars per criterion (services/_data/kinds.yaml)
    timeliness        INTEGER NOT NULL,
    value_for_money   INTEGER NOT NULL,
    communication     INTEGER NOT NULL,
    overall           DOUBLE NOT NULL,       -- mean of the criteria
    comment           VARCHAR,
    created_at        TIMESTAMP NOT NULL
);

CREATE SEQUENCE service_credit_event_seq START 1;

CREATE TABLE service_credit_event (
    event_id          INTEGER PRIMARY KEY DEFAULT nextval('service_credit_event_seq'),
    provider_id       VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,      -- rating | complaint_upheld | contract_broken | award | penalty
    occurred_on       DATE NOT NULL,
    points            DOUBLE NOT NULL,       -- what the published rule gives the event
    detail            VARCHAR,
    source            VARCHAR,               -- who reported it (a rating's engagement, an imported list, an officer)
    log_index         BIGINT,                -- the entry of the credit log that records it
    created_at        TIMESTAMP NOT NULL
);
