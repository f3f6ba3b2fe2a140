-- Industry chains: placements of register records on chain segments, the runs that made them, imported policy
-- lists and financing events, the five-chain graph (nodes and edges), and peer-city figures a bureau measured.

CREATE TABLE chain_run (
    run_id            INTEGER PRIMARY KEY,
    register_key      VARCHAR NOT NULL,      -- which version of the register was placed (batches and count)
    templates_digest  VARCHAR NOT NULL,      -- which templates placed it
    records           INTEGER NOT NULL,
    placements        INTEGER NOT NULL,
    seconds           DOUBLE NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE chain_placement (
    uscc              VARCHAR NOT NULL,
    chain             VARCHAR NOT NULL,
    segment           VARCHAR NOT NULL,
    score             DOUBLE NOT NULL,
    confidence        DOUBLE NOT NULL,
    phrases           VARCHAR[] NOT NULL,    -- what decided it (scope phrases, 名称:…, 领域…)
    run_id            INTEGER NOT NULL
);

CREATE TABLE chain_batch (
    batch_id          INTEGER PRIMARY KEY,
    kind              VARCHAR NOT NULL,      -- policies | financing
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,
    rows_read         INTEGER NOT NULL,
    rows_loaded       INTEGER NOT NULL,
    rows_quarantined  INTEGER NOT NULL,
    imported_at       TIMESTAMP NOT NULL,
    UNIQUE (kind, sha256)
);

CREATE TABLE chain_problem (
    batch_id          INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,
    field             VARCHAR NOT NULL,
    code              VARCHAR NOT NULL,
    value             VARCHAR,
    message_zh        VARCHAR NOT NULL,
    message_en        VARCHAR NOT NULL
);

CREATE TABLE chain_policy (
    policy_id         VARCHAR PRIMARY KEY,   -- the list's 文号, or PL + 10 hex of the title
    title             VARCHAR NOT NULL,
    issuer            VARCHAR NOT NULL,      -- 发文机关
    issued_on         DATE NOT NULL,
    chain             VARCHAR NOT NULL,
    segments          VARCHAR[] NOT NULL,    -- the segments it targets ([] = the whole chain)
    district          VARCHAR,               -- 2019 map unit it applies to (NULL: the whole city)
    summary           VARCHAR,
    batch_id          INTEGER
);

CREATE TABLE chain_financing (
    event_id          VARCHAR PRIMARY KEY,
    uscc              VARCHAR,               -- the firm, when it is in the register
    firm_name         VARCHAR NOT NULL,
    round             VARCHAR,               -- 天使轮, A轮, …
    amount_wan        DOUBLE,                -- 万元
    occurred_on       DATE NOT NULL,
    investors         VARCHAR[] NOT NULL,
    batch_id          INTEGER
);

CREATE TABLE chain_node (
    node_id           VARCHAR PRIMARY KEY,   -- kind:key, e.g. segment:vr/devices, firm:9133…, district:330108
    kind              VARCHAR NOT NULL,      -- chain | segment | firm | district | street | field | patent | policy | investor
    label             VARCHAR NOT NULL,
    layer             VARCHAR NOT NULL,      -- industry | innovation | capital | space | policy
    attrs             JSON
);

CREATE TABLE chain_edge (
    src               VARCHAR NOT NULL,
    dst               VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,      -- supplies | part_of | placed_on | located_in | owns | cites | targets | invests | classed_as
    layer             VARCHAR NOT NULL,
    weight            DOUBLE NOT NULL DEFAULT 1
);

CREATE TABLE chain_peer_figure (
    city              VARCHAR NOT NULL,
    dimension         VARCHAR NOT NULL,
    indicator         VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    unit              VARCHAR,
    year              INTEGER,
    source            VARCHAR NOT NULL,      -- who measured it
    added_at          TIMESTAMP NOT NULL,
    PRIMARY KEY (city, indicator)
);
