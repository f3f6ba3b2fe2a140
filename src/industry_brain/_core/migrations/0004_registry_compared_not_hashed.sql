-- Records are compared column by column (with the previous version of their list, and between the rows of one
-- code in a file) instead of through an md5 stored with each record: hashing every row cost more than a tenth
-- of a large import, and the comparison is exact. A portrait still shows each version's md5, computed as it is
-- read. The credit-code index is rebuilt by the dashboard as before.

DROP VIEW enterprise;
DROP INDEX IF EXISTS ix_enterprise_record_uscc;
ALTER TABLE enterprise_record DROP COLUMN record_hash;

CREATE VIEW enterprise AS
    SELECT r.*
    FROM enterprise_record r JOIN enterprise_current c ON r.batch_id = c.batch_id AND r.uscc = c.uscc;
