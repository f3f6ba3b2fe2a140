-- Figures printed in a document (e.g. the 2019 Future Industry Map), loaded on demand by atlas.
-- One row per printed statement; `value` is JSON: a number, a label, an ordered list of codes, or an object.

CREATE TABLE published_figure (
    figure_id     VARCHAR NOT NULL,          -- stable id within the document: section.measure.unit[.field]
    document      VARCHAR NOT NULL,          -- e.g. hangzhou-kj-2019-05 (《杭州科技》2019年第5期)
    section       VARCHAR NOT NULL,          -- intro | field | unit: the paragraph the sentence belongs to
    measure       VARCHAR NOT NULL,          -- field_share | cell_count | unit_rank | unit_top_fields | ...
    unit_vintage  INTEGER NOT NULL,          -- division vintage of unit_code (2019: the magazine's 14 units)
    unit_code     VARCHAR NOT NULL,          -- 6-digit GB/T 2260 code, 'QTXQ' (钱塘新区) or the city's code
    field         VARCHAR,                   -- 2016 high-tech field level-1 code '10'..'80', or null
    value         JSON NOT NULL,             -- as printed
    qualifier     VARCHAR,                   -- 约 / 余 / 超过 / 近 / 多 / 左右; null when printed bare (exact)
    precision     INTEGER,                   -- decimals printed, for shares
    sentence_zh   VARCHAR NOT NULL,          -- the Chinese sentence the figure comes from
    source_line   INTEGER,                   -- line of the sentence in the document's text
    note          VARCHAR,                   -- how the statement is read, when that needs saying
    loaded_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (document, figure_id)
);
