-- Incremental, polite fetching: per-URL state, validators, every attempt, stories.

-- Every article URL a source listed, with where it stands. A run fetches the rows still
-- 'discovered' (new ones, and those a killed or failed run left behind).
CREATE TABLE candidates (
    url            VARCHAR PRIMARY KEY,            -- normalised
    discovered_url VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    title          VARCHAR,
    published      VARCHAR,
    discovered_at  TIMESTAMPTZ NOT NULL,
    status         VARCHAR NOT NULL,               -- discovered | stored | dropped | duplicate
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     VARCHAR,
    article_id     VARCHAR
);

-- Validators for conditional GET, and a hash of the last body (some servers send stale ones).
CREATE TABLE http_cache (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    body_hash     VARCHAR,
    checked_at    TIMESTAMPTZ NOT NULL
);

-- Every HTTP attempt: source, page or robots.txt.
CREATE TABLE fetch_log (
    run_id     VARCHAR NOT NULL,
    url        VARCHAR NOT NULL,
    host       VARCHAR NOT NULL,
    purpose    VARCHAR NOT NULL,                   -- source | page | robots
    attempt    INTEGER NOT NULL,
    status     INTEGER,
    bytes      BIGINT,
    elapsed_ms DOUBLE,
    error      VARCHAR,
    started_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE sources ADD COLUMN consecutive_failures INTEGER DEFAULT 0;
ALTER TABLE sources ADD COLUMN next_attempt_after TIMESTAMPTZ;

-- Near-duplicates (wire copy on several outlets) share a story.
ALTER TABLE articles ADD COLUMN sketch UBIGINT[];
ALTER TABLE articles ADD COLUMN story_id VARCHAR;

DROP VIEW source_health;
CREATE VIEW source_health AS
SELECT s.url, s.kind, s.last_attempt_at, s.last_ok_at, s.last_status, s.items_last,
       s.consecutive_failures, s.next_attempt_after,
       (SELECT count(*) FROM run_errors e WHERE e.url = s.url) AS errors_total
FROM sources s;

CREATE VIEW stories AS
SELECT story_id, count(*) AS n_articles, count(DISTINCT outlet) AS n_outlets,
       min(coalesce(published, CAST(fetched_at AS DATE))) AS first_published,
       string_agg(canonical_url, ' ') AS urls, min(title) AS title
FROM articles WHERE story_id IS NOT NULL GROUP BY story_id;
