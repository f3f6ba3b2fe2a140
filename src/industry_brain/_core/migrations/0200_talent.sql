-- The talent survey: import batches, respondents (firms), answers in long form, quarantine of answers/respondents.
-- A respondent is keyed by (batch_id, respondent_id); the IP address of a 问卷星 export is never stored.

CREATE TABLE talent_batch (
    batch_id              INTEGER PRIMARY KEY,
    survey                VARCHAR NOT NULL,      -- survey definition id, e.g. hangzhou-2018
    file_name             VARCHAR NOT NULL,
    sha256                VARCHAR NOT NULL,
    file_format           VARCHAR NOT NULL,      -- xlsx | csv
    layout                VARCHAR NOT NULL,      -- wjx (问卷星 wide export) | tidy
    answer_mode           VARCHAR,               -- number (按选项序号) | text (按选项文本) | mixed (tidy)
    multiple_layout       VARCHAR,               -- joined (A┋B) | columns (one 0/1 column per option) | both | none
    encoding              VARCHAR,
    sheet                 VARCHAR,
    rows_read             INTEGER NOT NULL,
    respondents_loaded    INTEGER NOT NULL,
    respondents_quarantined INTEGER NOT NULL,
    answers_loaded        INTEGER NOT NULL,
    answers_quarantined   INTEGER NOT NULL,
    warnings              INTEGER NOT NULL,
    linked_uscc           INTEGER NOT NULL DEFAULT 0,
    linked_name           INTEGER NOT NULL DEFAULT 0,
    unlinked              INTEGER NOT NULL DEFAULT 0,
    synthetic             BOOLEAN NOT NULL DEFAULT false,
    started_at            TIMESTAMP NOT NULL,
    finished_at           TIMESTAMP NOT NULL,
    UNIQUE (survey, sha256)
);

CREATE TABLE talent_respondent (
    batch_id          INTEGER NOT NULL,
    respondent_id     VARCHAR NOT NULL,      -- 序号 of the export, or the tidy file's respondent_id
    source_row        INTEGER NOT NULL,      -- 1-based row in the file (first row of the respondent in a tidy file)
    submitted_at      TIMESTAMP,             -- 提交答卷时间
    duration_s        INTEGER,               -- 所用时间, in seconds
    channel           VARCHAR,               -- 来源
    channel_detail    VARCHAR,               -- 来源详情
    sector            VARCHAR,               -- option key of the sector question
    firm_name         VARCHAR,
    uscc              VARCHAR,               -- as answered (NFKC, upper case), when well-formed
    enterprise_uscc   VARCHAR,               -- the register's credit code it links to
    link_method       VARCHAR NOT NULL DEFAULT 'none',  -- uscc | name | name_norm | none
    PRIMARY KEY (batch_id, respondent_id)
);

CREATE TABLE talent_answer (
    batch_id          INTEGER NOT NULL,
    respondent_id     VARCHAR NOT NULL,
    question_id       VARCHAR NOT NULL,
    item              VARCHAR NOT NULL DEFAULT '',  -- matrix row key; '' otherwise
    status            VARCHAR NOT NULL,      -- answered | skipped (跳过: not asked) | empty (空: asked, not answered)
    option_key        VARCHAR,               -- single / multiple (one row per chosen option) / scale
    option_code       INTEGER,
    value_num         DOUBLE,                -- numeric answers; the code of a scale answer
    value_text        VARCHAR                -- text answers; the 〖…〗 text of an "other" option
);

CREATE TABLE talent_quarantine (
    batch_id          INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,
    respondent_id     VARCHAR,
    question_id       VARCHAR,               -- NULL when the whole respondent is quarantined
    code              VARCHAR NOT NULL,      -- stable code, e.g. option_unknown
    severity          VARCHAR NOT NULL,      -- error (not loaded) | warning (loaded)
    scope             VARCHAR NOT NULL,      -- respondent | answer
    value             VARCHAR,
    message_zh        VARCHAR NOT NULL,
    message_en        VARCHAR NOT NULL,
    raw               JSON                   -- the row as read, without the IP address
);

-- Optional post-stratification weights, one set per batch and name.
CREATE TABLE talent_weight (
    batch_id          INTEGER NOT NULL,
    name              VARCHAR NOT NULL,
    respondent_id     VARCHAR NOT NULL,
    weight            DOUBLE NOT NULL,
    PRIMARY KEY (batch_id, name, respondent_id)
);
