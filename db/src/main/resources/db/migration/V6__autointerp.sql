-- Autointerp audit trail: every language-model call (prompt and raw answer), including failed attempts.

CREATE TABLE autointerp_call (
    id             bigserial PRIMARY KEY,
    job_id         bigint REFERENCES job (id) ON DELETE SET NULL,
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    label_id       bigint REFERENCES feature_label (id) ON DELETE SET NULL,   -- null: the feature got no label from it
    purpose        text NOT NULL,            -- explain, specificity
    client         text NOT NULL,            -- anthropic:<model>, openai-compatible:<model>
    system_prompt  text NOT NULL,
    user_prompt    text NOT NULL,
    http_status    integer,                  -- null: no answer (timeout, connection refused)
    response       text,                     -- the raw body, untrusted
    error          text,                     -- why this attempt was not used, null when it was
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);
CREATE INDEX autointerp_call_feature ON autointerp_call (sae_id, feature_index, created_at);
CREATE INDEX autointerp_call_label ON autointerp_call (label_id);
