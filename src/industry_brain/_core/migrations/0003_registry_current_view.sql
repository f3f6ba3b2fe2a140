-- The current register as a view: `enterprise_current` says which batch holds each code now, and `enterprise`
-- joins it with `enterprise_record`. An import then writes its records once (not a second full copy), and a
-- later classification of a batch updates one table. `enterprise` keeps its columns and rows.

CREATE TABLE enterprise_current (
    uscc      VARCHAR NOT NULL,              -- 统一社会信用代码
    batch_id  INTEGER NOT NULL               -- the batch whose record of this code is current
);

INSERT INTO enterprise_current SELECT uscc, batch_id FROM enterprise ORDER BY uscc;
DROP TABLE enterprise;

CREATE VIEW enterprise AS
    SELECT r.* EXCLUDE (record_hash)
    FROM enterprise_record r JOIN enterprise_current c ON r.batch_id = c.batch_id AND r.uscc = c.uscc;
