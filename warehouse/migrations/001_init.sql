-- drainwatch warehouse, first schema. Append-only: later changes are new numbered files,
-- columns are added at the end and never reordered.

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    topic               VARCHAR NOT NULL,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,          -- running | complete | partial | failed
    sources_ok          INTEGER NOT NULL DEFAULT 0,
    sources_failed      INTEGER NOT NULL DEFAULT 0,
    articles_discovered INTEGER NOT NULL DEFAULT 0,
    articles_new        INTEGER NOT NULL DEFAULT 0,
    pages_failed        INTEGER NOT NULL DEFAULT 0,
    figures_new         INTEGER NOT NULL DEFAULT 0,
    findings_new        INTEGER NOT NULL DEFAULT 0,
    alerts_sent         INTEGER NOT NULL DEFAULT 0,
    error               VARCHAR
);

-- Every failure a run met: a source or page that could not be had, an email not sent.
CREATE TABLE run_errors (
    run_id  VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,                      -- discover | fetch | extract | alert
    url     VARCHAR,
    reason  VARCHAR NOT NULL,                      -- http_404, timeout, malformed_feed, not_html ...
    detail  VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sources (
    url             VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,              -- feed | gdelt | news_search
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    last_ok_at      TIMESTAMPTZ,
    last_status     VARCHAR,                       -- ok | error reason
    items_last      INTEGER
);

CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,            -- hash of the canonical URL
    url            VARCHAR NOT NULL,               -- the URL fetched (after redirects)
    canonical_url  VARCHAR NOT NULL,
    discovered_url VARCHAR NOT NULL,               -- as the source listed it
    source_url     VARCHAR,                        -- feed or search that listed it
    outlet         VARCHAR,
    title          VARCHAR,
    author         VARCHAR,
    published      DATE,
    fetched_at     TIMESTAMPTZ NOT NULL,
    language       VARCHAR,
    text_hash      VARCHAR NOT NULL,
    text           VARCHAR NOT NULL,
    on_topic       BOOLEAN NOT NULL,
    run_id         VARCHAR NOT NULL
);

-- Pages that were fetched but will never be an article, with a typed reason; they are
-- not fetched again.
CREATE TABLE dropped_pages (
    url     VARCHAR PRIMARY KEY,
    reason  VARCHAR NOT NULL,                      -- http_404, not_html, too_large, no_text, duplicate
    detail  VARCHAR,
    run_id  VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE baseline (
    baseline_id VARCHAR PRIMARY KEY,
    topic       VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    low         DOUBLE,
    high        DOUBLE,
    qualifier   VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    speaker     VARCHAR,
    outlet      VARCHAR,
    url         VARCHAR,
    date        VARCHAR,
    period      VARCHAR
);

CREATE TABLE findings (
    finding_id      VARCHAR PRIMARY KEY,
    topic           VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    low             DOUBLE,
    high            DOUBLE,
    qualifier       VARCHAR NOT NULL,
    speaker         VARCHAR,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    first_run_id    VARCHAR NOT NULL,
    comparison      VARCHAR NOT NULL,              -- same | higher | lower | new_metric
    baseline_value  DOUBLE,
    relative_change DOUBLE
);

CREATE TABLE figures (
    figure_id      VARCHAR PRIMARY KEY,            -- hash of article, offsets, metric, value
    article_id     VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,
    value          DOUBLE,
    low            DOUBLE,
    high           DOUBLE,
    qualifier      VARCHAR NOT NULL,
    unit           VARCHAR NOT NULL,
    currency       VARCHAR,
    subject        VARCHAR,
    speaker        VARCHAR,
    period         VARCHAR,
    sentence       VARCHAR NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    number_text    VARCHAR NOT NULL,
    number_start   INTEGER NOT NULL,
    number_end     INTEGER NOT NULL,
    finding_id     VARCHAR                         -- set by the compare step
);

-- Numbers that did not become figures, with the reason: "why did we miss this?" in SQL.
CREATE TABLE rejected_numbers (
    article_id   VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    number_text  VARCHAR NOT NULL,
    number_start INTEGER NOT NULL,
    number_end   INTEGER NOT NULL,
    reason       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL
);

-- The outbox: an alert is written here before it is sent and marked sent only after the
-- SMTP server (or the outbox folder) accepted it.
CREATE TABLE alerts (
    alert_id    VARCHAR PRIMARY KEY,
    run_id      VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    subject     VARCHAR NOT NULL,
    message_id  VARCHAR NOT NULL,
    recipients  VARCHAR NOT NULL,
    message     VARCHAR NOT NULL,                  -- the whole RFC 5322 message, resent as is
    transport   VARCHAR,                           -- smtp | outbox, once sent
    sent_at     TIMESTAMPTZ,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  VARCHAR
);

CREATE TABLE alert_findings (
    finding_id VARCHAR PRIMARY KEY,                -- a finding is in one alert, ever
    alert_id   VARCHAR NOT NULL
);
