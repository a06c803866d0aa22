-- Browser console tokens: each is single-use and short-lived, bound to one server and its owner.
-- Kept here, not in one API instance's memory, because the WebSocket that spends a token may reach
-- another instance behind the load balancer than the call that issued it; deleting the row is the
-- spending, so only one instance can spend it. Only the token's SHA-256 is kept: a copy of the
-- database opens no console.
CREATE TABLE console_token (
    token_hash VARCHAR(64) PRIMARY KEY,
    server_id UUID NOT NULL,
    owner_id UUID NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_token_owner ON console_token (owner_id);
CREATE INDEX console_token_expiry ON console_token (expires_at);
