-- Personal API tokens (issue 21, item 9): scripts call the JSON API with "Authorization: Bearer lumen_...".
-- Only the SHA-256 of the token is stored; the token itself is shown once, when it is created. The visible
-- prefix (the first characters) lets a user tell tokens apart without storing anything that authenticates.
CREATE TABLE api_token (
    id            bigserial PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'steer', 'review']),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_token_user ON api_token (user_id);
