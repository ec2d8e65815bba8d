-- Lumen schema v1: language models, their SAEs, per-feature statistics, examples, labels and jobs.
-- Designed for the whole product; later migrations refine it.

-- pgvector is not a trusted extension. db/scripts/local-db.sh (or the DBA) creates it as superuser;
-- IF NOT EXISTS makes this a no-op that needs no privilege once it exists.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE model (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),  -- URL slug
    display_name  text NOT NULL,
    source        text NOT NULL,             -- local path or hf:ORG/NAME@rev
    architecture  text NOT NULL,             -- LlamaForCausalLM, GPT2LMHeadModel, ...
    d_model       integer NOT NULL CHECK (d_model > 0),
    n_layers      integer NOT NULL CHECK (n_layers > 0),
    vocab_size    integer NOT NULL CHECK (vocab_size > 0),
    config        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The model's vocabulary, so token strings are stored once per model, not once per example.
CREATE TABLE model_token (
    model_id  bigint NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    token_id  integer NOT NULL,
    text      text NOT NULL,
    PRIMARY KEY (model_id, token_id)
);

CREATE TABLE sae (
    id              bigserial PRIMARY KEY,
    model_id        bigint NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),        -- URL slug
    hook_name       text NOT NULL,           -- blocks.{L}.hook_resid_post, ...
    hook_layer      integer NOT NULL,
    d_in            integer NOT NULL CHECK (d_in > 0),
    d_sae           integer NOT NULL CHECK (d_sae > 0),
    architecture    text NOT NULL,           -- standard, jumprelu, topk, batchtopk
    source          text NOT NULL,           -- directory or hf:ORG/NAME --path SUBDIR
    config          jsonb NOT NULL DEFAULT '{}'::jsonb,   -- the SAELens cfg.json
    training_stats  jsonb,
    eval_stats      jsonb,
    -- how decoder vectors are indexed: VECTOR (d_in <= 2000), HALFVEC (<= 4000), BIT (binary quantised + re-rank)
    vector_index    text NOT NULL CHECK (vector_index IN ('VECTOR', 'HALFVEC', 'BIT')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model_id, name)
);
CREATE INDEX sae_model_hook ON sae (model_id, hook_name);

-- One row per feature. SAEs of different widths share this table: decoder is an untyped vector, and each
-- SAE gets its own partial HNSW expression index (decoder::vector(d) WHERE sae_id = ...) when registered.
CREATE TABLE feature (
    sae_id           bigint NOT NULL REFERENCES sae (id) ON DELETE CASCADE,
    feature_index    integer NOT NULL CHECK (feature_index >= 0),
    density          real,                   -- fraction of tokens where the feature is active
    max_activation   real,
    mean_activation  real,                   -- mean over tokens where it is active
    decoder          vector NOT NULL,        -- W_dec row, length d_in
    PRIMARY KEY (sae_id, feature_index)
);
CREATE INDEX feature_density ON feature (sae_id, density);

-- Corpus contexts (token windows). Shared by every feature and SAE of a model that shows them.
CREATE TABLE context (
    id         bigserial PRIMARY KEY,
    model_id   bigint NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    corpus     text NOT NULL,                -- corpus name the window came from
    doc_index  integer NOT NULL,             -- document (story) number in the corpus
    start_pos  integer NOT NULL,             -- first token of the window within the document
    token_ids  integer[] NOT NULL
);
CREATE INDEX context_model ON context (model_id, corpus, doc_index, start_pos);

-- Examples of a feature: top activations, quantile-interval samples and zero-activation samples.
-- Per-token activations are one real[] per example (aligned with context.token_ids), not a row per token.
CREATE TABLE feature_example (
    sae_id          bigint NOT NULL,
    feature_index   integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('top', 'interval', 'zero')),
    interval_index  smallint NOT NULL DEFAULT 0,   -- 0..9 for kind = interval
    rank            smallint NOT NULL,             -- order within (kind, interval)
    context_id      bigint NOT NULL REFERENCES context (id) ON DELETE CASCADE,
    max_position    integer NOT NULL,
    max_activation  real NOT NULL,
    activations     real[] NOT NULL,
    PRIMARY KEY (sae_id, feature_index, kind, interval_index, rank),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- Histograms over bins: activation histograms per feature; kind leaves room for others.
CREATE TABLE feature_histogram (
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    kind           text NOT NULL,           -- 'activation' (log-spaced bins over the positive range)
    bin_edges      real[] NOT NULL,         -- n + 1 edges
    counts         bigint[] NOT NULL,       -- n counts
    PRIMARY KEY (sae_id, feature_index, kind),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- Logit effects (W_dec,i . W_U) and co-occurring features, as parallel arrays.
CREATE TABLE feature_logit_effect (
    sae_id           bigint NOT NULL,
    feature_index    integer NOT NULL,
    top_token_ids    integer[] NOT NULL,
    top_values       real[] NOT NULL,
    bottom_token_ids integer[] NOT NULL,
    bottom_values    real[] NOT NULL,
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

CREATE TABLE feature_cooccurrence (
    sae_id          bigint NOT NULL,
    feature_index   integer NOT NULL,
    other_indices   integer[] NOT NULL,
    scores          real[] NOT NULL,          -- Jaccard index of the active-token sets
    PRIMARY KEY (sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- Autointerp: labels with their source, and every specificity rating behind a label's scores.
CREATE TABLE feature_label (
    id             bigserial PRIMARY KEY,
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    label          text NOT NULL,
    description    text,
    explainer      text NOT NULL,            -- e.g. anthropic:claude-..., openai-compatible:..., heuristic
    is_heuristic   boolean NOT NULL DEFAULT false,
    scores         jsonb NOT NULL DEFAULT '{}'::jsonb,   -- specificity summary, detection accuracy/F1, embedding AUROC
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);
CREATE INDEX feature_label_feature ON feature_label (sae_id, feature_index, created_at DESC);

CREATE TABLE specificity_rating (
    label_id     bigint NOT NULL REFERENCES feature_label (id) ON DELETE CASCADE,
    context_id   bigint NOT NULL REFERENCES context (id) ON DELETE CASCADE,
    activation   real NOT NULL,              -- the feature's max activation in the rated context
    score        smallint NOT NULL CHECK (score BETWEEN 0 AND 3),
    rater        text NOT NULL,
    PRIMARY KEY (label_id, context_id)
);

-- Long-running work (extraction, autointerp): status, progress, and the last committed chunk for resume.
CREATE TABLE job (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,             -- extract, autointerp, ...
    status        text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    sae_id        bigint REFERENCES sae (id) ON DELETE CASCADE,
    params        jsonb NOT NULL DEFAULT '{}'::jsonb,
    progress      real NOT NULL DEFAULT 0,   -- 0..1
    tokens_done   bigint NOT NULL DEFAULT 0,
    checkpoint    jsonb,                     -- what a resumed run needs
    error         text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
-- at most one running job of a kind per SAE
CREATE UNIQUE INDEX job_one_running ON job (kind, sae_id) WHERE status = 'running';
