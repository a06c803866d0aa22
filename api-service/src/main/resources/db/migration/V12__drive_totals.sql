-- What the drives promise on each storage node and what each account holds in drives, kept by
-- every change of a drive in the transaction that makes it (drive.DriveTotals), so that placement
-- and the quota checks read one row instead of adding up every drive, however many there are.
CREATE TABLE storage_node_promise (
    node      VARCHAR(128) PRIMARY KEY,
    bytes     BIGINT       NOT NULL,
    encrypted BIGINT       NOT NULL
);
CREATE TABLE account_drives (
    owner_id UUID PRIMARY KEY,
    bytes    BIGINT NOT NULL,
    drives   BIGINT NOT NULL
);
INSERT INTO storage_node_promise (node, bytes, encrypted)
    SELECT storage_node, SUM(size_bytes), SUM(CASE WHEN cipher <> 'NONE' THEN 1 ELSE 0 END)
    FROM drive GROUP BY storage_node;
INSERT INTO account_drives (owner_id, bytes, drives)
    SELECT owner_id, SUM(size_bytes), COUNT(*) FROM drive WHERE standard = FALSE GROUP BY owner_id;
