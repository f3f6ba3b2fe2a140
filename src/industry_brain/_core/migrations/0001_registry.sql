-- The enterprise register: import batches, every loaded record of every batch, the current register, quarantine.

CREATE SEQUENCE IF NOT EXISTS import_batch_seq START 1;

CREATE TABLE import_batch (
    batch_id          INTEGER PRIMARY KEY,
    source            VARCHAR NOT NULL,      -- the list this file is a version of (default: the file's stem)
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,
    file_format       VARCHAR NOT NULL,      -- csv | xlsx | parquet
    encoding          VARCHAR,               -- utf-8 | utf-8-sig | gb18030 (csv only)
    sheet             VARCHAR,               -- xlsx only
    header_row        INTEGER,               -- 1-based row of the header in the file
    column_map        JSON,                  -- source header -> canonical field
    rows_read         INTEGER NOT NULL,
    rows_loaded       INTEGER NOT NULL,
    rows_quarantined  INTEGER NOT NULL,
    rows_warned       INTEGER NOT NULL DEFAULT 0,
    added             INTEGER NOT NULL DEFAULT 0,
    changed           INTEGER NOT NULL DEFAULT 0,
    removed           INTEGER NOT NULL DEFAULT 0,
    unchanged         INTEGER NOT NULL DEFAULT 0,
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP NOT NULL,
    report            JSON                   -- the import report (ImportReport.to_dict())
);

-- Every record loaded by every batch: the register keeps each version of each list.
CREATE TABLE enterprise_record (
    batch_id          INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,      -- 1-based row number in the file (the header is row header_row)
    uscc              VARCHAR NOT NULL,      -- 统一社会信用代码, 18 characters
    name              VARCHAR NOT NULL,
    name_norm         VARCHAR NOT NULL,      -- name without legal-form affixes, for duplicate review
    name_initials     VARCHAR,               -- pinyin initials of name (杭州融达 -> hzrd), for search
    registered_on     DATE,
    entity_type       VARCHAR,
    capital_wan       DOUBLE,                -- registered capital in 万 of capital_currency
    capital_currency  VARCHAR,               -- CNY | USD | HKD | EUR | ...
    capital_wan_cny   DOUBLE,                -- only when the currency is CNY
    capital_raw       VARCHAR,
    business_scope    VARCHAR,
    address           VARCHAR,
    division_code     VARCHAR,               -- GB/T 2260 county-level code
    division_vintage  INTEGER,               -- the year whose code list division_code belongs to
    street            VARCHAR,               -- 街道/镇/乡 where read
    map_unit_2019     VARCHAR,               -- unit of the 2019 map: a 6-digit code or 'QTXQ' (钱塘新区)
    district_2021     VARCHAR,               -- 6-digit code of the 2021 district
    geo_method        VARCHAR,               -- declared | address | street | gazetteer | authority-code | none
    geo_confidence    DOUBLE,
    geo_evidence      VARCHAR,               -- what decided the placement (the words read, or the code)
    district_declared VARCHAR,               -- the file's 所属区县 value as written
    field_l1          VARCHAR,               -- 2016 high-tech field codes: '10' .. '80'
    field_l2          VARCHAR,               -- '101' ...
    field_l3          VARCHAR,               -- '10101' ...
    field_method      VARCHAR,               -- declared | inferred | none
    field_confidence  DOUBLE,
    field_phrases     VARCHAR[],             -- the phrases that decided an inferred field
    field_declared    VARCHAR,               -- the file's 技术领域 value as written
    future_industries VARCHAR[],             -- ai | vr | blockchain | quantum | additive | aerospace | biotech
    hightech          BOOLEAN NOT NULL DEFAULT false,
    hightech_cert_no  VARCHAR,               -- e.g. GR201833001234
    hightech_year     INTEGER,
    listed            BOOLEAN,
    startup           BOOLEAN,
    synthetic         BOOLEAN NOT NULL DEFAULT false,
    uscc_check_ok     BOOLEAN NOT NULL DEFAULT true,
    extra             JSON,                  -- source columns that map to no field, kept verbatim
    record_hash       VARCHAR NOT NULL,      -- hash of the normalised record, for change detection
    PRIMARY KEY (batch_id, uscc)
);

-- The current register: for each source its newest batch; where sources overlap, the newest batch wins.
CREATE TABLE enterprise AS SELECT * EXCLUDE (record_hash) FROM enterprise_record WITH NO DATA;
ALTER TABLE enterprise ADD PRIMARY KEY (uscc);

CREATE TABLE quarantine (
    batch_id    INTEGER NOT NULL,
    source_row  INTEGER NOT NULL,
    field       VARCHAR,
    code        VARCHAR NOT NULL,            -- stable code, e.g. uscc_malformed
    severity    VARCHAR NOT NULL,            -- error (row not loaded) | warning (row loaded)
    value       VARCHAR,
    message_zh  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL,
    raw         JSON                         -- the row as read
);

-- Rows without a code or with different codes that look like the same firm: listed for review, never merged.
CREATE TABLE duplicate_review (
    batch_id    INTEGER NOT NULL,
    name_norm   VARCHAR NOT NULL,
    source_rows INTEGER[] NOT NULL,
    usccs       VARCHAR[] NOT NULL,
    reason      VARCHAR NOT NULL
);
