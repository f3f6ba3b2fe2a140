-- Self-service accounts: an enterprise (企业) account acts for one register record (its 统一社会信用代码), a provider
-- (服务机构) account for one provider of the service directory. ``subject`` is that code or provider id.

ALTER TABLE account ADD COLUMN subject VARCHAR;
