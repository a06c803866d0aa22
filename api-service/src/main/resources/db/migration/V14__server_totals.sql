-- How many servers each account holds, kept by every create and removal of a server in the
-- transaction that makes it (server.ServerTotals), so that the quota check of a create reads one
-- row instead of counting the account's servers, however many there are.
CREATE TABLE account_servers (
    owner_id UUID PRIMARY KEY,
    servers  BIGINT NOT NULL
);
INSERT INTO account_servers (owner_id, servers)
    SELECT owner_id, COUNT(*) FROM server GROUP BY owner_id;
