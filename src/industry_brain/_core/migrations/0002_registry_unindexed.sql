-- The register's two big tables without primary-key indexes. The import writes each (batch, code) once (it
-- de-duplicates a batch before loading and refreshes the current register per code), and keeping an ART index
-- over every version of every record cost more than the rest of a million-row import together. Lookups by code
-- scan one column; ordering by batch keeps each batch's rows together.

CREATE TABLE enterprise_record_0002 (
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
    record_hash       VARCHAR NOT NULL       -- hash of the normalised record, for change detection
);

INSERT INTO enterprise_record_0002 SELECT * FROM enterprise_record ORDER BY batch_id, source_row;
DROP TABLE enterprise_record;
ALTER TABLE enterprise_record_0002 RENAME TO enterprise_record;

CREATE TABLE enterprise_0002 AS SELECT * FROM enterprise ORDER BY uscc;
DROP TABLE enterprise;
ALTER TABLE enterprise_0002 RENAME TO enterprise;
