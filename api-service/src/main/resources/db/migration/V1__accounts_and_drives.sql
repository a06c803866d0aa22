-- One schema for PostgreSQL (production) and H2 in PostgreSQL mode (single-host default).

CREATE TABLE account (
    id          UUID PRIMARY KEY,
    key_hash    VARCHAR(64)  NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE drive (
    id             UUID PRIMARY KEY,
    owner_id       UUID         NOT NULL,
    name           VARCHAR(256) NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    claim_type     VARCHAR(16)  NOT NULL,
    readers        TEXT         NOT NULL,
    tags           TEXT         NOT NULL,
    user_keys      TEXT         NOT NULL,
    cipher         VARCHAR(32)  NOT NULL,
    storage_node   VARCHAR(128) NOT NULL,
    standard       BOOLEAN      NOT NULL,
    media          VARCHAR(16),
    format         VARCHAR(16),
    raw_size       BIGINT,
    imaging_error  VARCHAR(256),
    read_bytes     BIGINT       NOT NULL DEFAULT 0,
    read_requests  BIGINT       NOT NULL DEFAULT 0,
    write_bytes    BIGINT       NOT NULL DEFAULT 0,
    write_requests BIGINT       NOT NULL DEFAULT 0,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    version        BIGINT       NOT NULL
);
CREATE INDEX drive_owner ON drive (owner_id);
CREATE INDEX drive_node ON drive (storage_node);

-- An imaging operation from its request until the storage node reports it finished.
CREATE TABLE imaging_job (
    id            UUID PRIMARY KEY,
    target_id     UUID        NOT NULL REFERENCES drive (id),
    source_id     UUID        NOT NULL,
    conversion    VARCHAR(16) NOT NULL,
    percent       INTEGER,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX imaging_job_target ON imaging_job (target_id);
CREATE INDEX imaging_job_source ON imaging_job (source_id);
