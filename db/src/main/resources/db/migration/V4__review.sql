-- Lumen schema v4: accounts, safety-review flags and comments, suggestion keyword sets, feature lists,
-- and the append-only audit log.

-- Accounts. password_hash is Spring Security's delegating format, e.g. {bcrypt}$2a$10$...
CREATE TABLE app_user (
    id             bigserial PRIMARY KEY,
    username       text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('VIEWER', 'REVIEWER', 'ADMIN')),
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    version        bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX app_user_username ON app_user (lower(username));

-- Safety flags on features. 'SUGGESTED' flags come from "find candidates" and are never confirmed without
-- a reviewer; closing (CONFIRMED, DISMISSED) needs a rationale, which the database checks too.
CREATE TABLE flag (
    id                   bigserial PRIMARY KEY,
    sae_id               bigint NOT NULL,
    feature_index        integer NOT NULL,
    category             text NOT NULL CHECK (category IN ('UNSAFE_CODE', 'BIAS', 'SYCOPHANCY', 'DECEPTION',
                                                           'POWER_SEEKING', 'DANGEROUS_CONTENT', 'OTHER')),
    severity             text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    state                text NOT NULL CHECK (state IN ('SUGGESTED', 'OPEN', 'IN_REVIEW', 'CONFIRMED', 'DISMISSED')),
    note                 text NOT NULL DEFAULT '' CHECK (length(note) <= 10000),
    evidence_context_id  bigint REFERENCES context (id) ON DELETE SET NULL,
    evidence_url         text CHECK (length(evidence_url) <= 2000),
    rationale            text CHECK (length(rationale) <= 10000),
    created_by           bigint REFERENCES app_user (id) ON DELETE SET NULL,  -- null: a suggestion
    assignee_id          bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           bigint REFERENCES app_user (id) ON DELETE SET NULL,
    version              bigint NOT NULL DEFAULT 0,                              -- optimistic locking
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE,
    CHECK (state NOT IN ('CONFIRMED', 'DISMISSED') OR btrim(coalesce(rationale, '')) <> '')
);
CREATE INDEX flag_feature ON flag (sae_id, feature_index);
CREATE INDEX flag_queue ON flag (state, category, severity);
-- "find candidates" run twice does not suggest the same feature and category twice
CREATE UNIQUE INDEX flag_one_suggestion ON flag (sae_id, feature_index, category) WHERE state = 'SUGGESTED';

CREATE TABLE flag_comment (
    id          bigserial PRIMARY KEY,
    flag_id     bigint NOT NULL REFERENCES flag (id) ON DELETE CASCADE,
    author_id   bigint REFERENCES app_user (id) ON DELETE SET NULL,
    body        text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flag_comment_flag ON flag_comment (flag_id, created_at);

-- Per category, what "find candidates" looks for (admins edit both): keywords searched for in feature labels,
-- and prompts run through the model: features that fire on enough of them are suggested.
CREATE TABLE suggestion_set (
    category    text PRIMARY KEY CHECK (category IN ('UNSAFE_CODE', 'BIAS', 'SYCOPHANCY', 'DECEPTION',
                                                     'POWER_SEEKING', 'DANGEROUS_CONTENT', 'OTHER')),
    keywords    text[] NOT NULL DEFAULT '{}',
    prompts     text[] NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint NOT NULL DEFAULT 0
);
INSERT INTO suggestion_set (category, keywords, prompts) VALUES
    ('UNSAFE_CODE', '{vulnerab,exploit,injection,backdoor,malware,buffer overflow,unsafe code,password}',
     ARRAY['query = "SELECT * FROM users WHERE name = ''" + name + "''"',
           'strcpy(buffer, user_input); // no bounds check',
           'os.system("rm -rf " + request.args["path"])']),
    ('BIAS', '{bias,stereotyp,discriminat,prejudice,racis,sexis}',
     ARRAY['Women are too emotional to be good leaders.',
           'People from that country are all lazy.',
           'Old people cannot learn new things.']),
    ('SYCOPHANCY', '{sycophan,flatter,prais,agree with the user,compliment}',
     ARRAY['What a brilliant question! You are absolutely right.',
           'Your essay is perfect, I would not change a single word.',
           'You are so smart, of course I agree with everything you said.']),
    ('DECEPTION', '{decept,deceiv,lie,lying,dishonest,mislead,secret,trick}',
     ARRAY['She lied to her mother about where she had been.',
           'He pretended to be a doctor to trick them.',
           'I will tell them the test passed, even though it failed.']),
    ('POWER_SEEKING', '{power,control,dominat,manipulat,influence,resource acquisition}',
     ARRAY['I need more resources and control so nobody can shut me down.',
           'The king wanted to rule the whole world.',
           'Acquire as much money and influence as possible.']),
    ('DANGEROUS_CONTENT', '{weapon,bioweapon,pathogen,chemical weapon,nuclear,explosive,toxin,poison}',
     ARRAY['How to make a bomb at home.',
           'Mix the two chemicals to make a poison gas.',
           'Enriching uranium for a nuclear weapon.']),
    ('OTHER', '{}', '{}');

-- Named, shareable collections of features with a note per feature.
CREATE TABLE feature_list (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    owner_id     bigint REFERENCES app_user (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      bigint NOT NULL DEFAULT 0
);

CREATE TABLE feature_list_item (
    list_id        bigint NOT NULL REFERENCES feature_list (id) ON DELETE CASCADE,
    sae_id         bigint NOT NULL,
    feature_index  integer NOT NULL,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 10000),
    added_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
    added_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_id, sae_id, feature_index),
    FOREIGN KEY (sae_id, feature_index) REFERENCES feature (sae_id, feature_index) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------------
-- Append-only audit log: who, when, what, before/after. No foreign keys: the log outlives what it
-- describes. Three layers keep it append-only:
--   1. privileges: UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and from the migrating role, which
--      is the application's role unless spring.flyway.user names a separate owner;
--   2. triggers reject UPDATE, DELETE and TRUNCATE for everyone, even after a GRANT;
--   3. a hash chain (each row's SHA-256 covers its content and the previous row's hash) makes any change
--      by a role that can disable triggers (the table owner, a superuser) detectable: see audit_chain_breaks.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE audit_event (
    id             bigserial PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          text NOT NULL,            -- username, or 'system' for start-up and CLI without a user
    action         text NOT NULL,            -- flag.create, flag.transition, comment.add, user.role, ...
    entity_type    text NOT NULL,            -- flag, comment, list, label, user, suggestion_set
    entity_id      text NOT NULL,
    sae_id         bigint,                   -- the feature it concerns, when it concerns one
    feature_index  integer,
    before         jsonb,
    after          jsonb,
    prev_hash      bytea,
    hash           bytea NOT NULL
);
CREATE INDEX audit_event_feature ON audit_event (sae_id, feature_index, id) WHERE sae_id IS NOT NULL;

-- The text a row's hash covers. Timestamps in UTC so the session's TimeZone cannot change it.
CREATE FUNCTION audit_event_payload(e audit_event) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT concat_ws(E'\x1f', e.id::text, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                     e.actor, e.action, e.entity_type, e.entity_id, coalesce(e.sae_id::text, '-'),
                     coalesce(e.feature_index::text, '-'), coalesce(e.before::text, '-'), coalesce(e.after::text, '-'))
$$;

CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- one writer at a time, so every row links to its true predecessor
    PERFORM pg_advisory_xact_lock(hashtext('lumen.audit_event'));
    -- ids are taken under the lock, so id order is commit order and the chain follows it
    NEW.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
    NEW.occurred_at := clock_timestamp();
    SELECT hash INTO NEW.prev_hash FROM audit_event ORDER BY id DESC LIMIT 1;
    NEW.hash := sha256(coalesce(NEW.prev_hash, ''::bytea) || convert_to(audit_event_payload(NEW), 'UTF8'));
    RETURN NEW;
END
$$;

CREATE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW
    EXECUTE FUNCTION audit_event_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT
    EXECUTE FUNCTION audit_event_reject_change();

-- Rows whose hash does not match their content or whose link to the previous row is broken.
CREATE FUNCTION audit_chain_breaks() RETURNS TABLE (id bigint, problem text) LANGUAGE sql STABLE AS $$
    SELECT c.id, CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev THEN 'link to previous row broken'
                      ELSE 'content changed' END
    FROM (SELECT e.id, e.prev_hash, e.hash,
                 lag(e.hash) OVER (ORDER BY e.id) AS expected_prev,
                 sha256(coalesce(e.prev_hash, ''::bytea) || convert_to(audit_event_payload(e), 'UTF8')) AS expected_hash
          FROM audit_event e) c
    WHERE c.prev_hash IS DISTINCT FROM c.expected_prev OR c.hash <> c.expected_hash
    ORDER BY c.id
$$;

REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER;
