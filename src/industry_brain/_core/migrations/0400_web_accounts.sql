-- Accounts, browser sessions and API tokens of the dashboard.

CREATE TABLE account (
    username       VARCHAR PRIMARY KEY,
    password_hash  VARCHAR NOT NULL,          -- argon2id
    role           VARCHAR NOT NULL,          -- admin | analyst | district_officer | public
    districts      VARCHAR[] NOT NULL DEFAULT [],   -- map units (2019 codes or QTXQ) / 2021 codes a district officer may act on
    display_name   VARCHAR,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    disabled       BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE web_session (
    token_hash     VARCHAR PRIMARY KEY,       -- sha256 of the cookie value; the value itself is never stored
    username       VARCHAR NOT NULL,
    csrf_token     VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at     TIMESTAMP NOT NULL
);

CREATE TABLE api_token (
    token_hash     VARCHAR PRIMARY KEY,
    username       VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_used_at   TIMESTAMP
);
