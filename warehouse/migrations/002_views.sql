-- Views with stable names for ad-hoc SQL; documented in README.md.

-- One row per finding, with its sources counted and its baseline comparison.
CREATE VIEW findings_overview AS
SELECT
    f.finding_id, f.metric, f.unit, f.value, f.low, f.high, f.qualifier, f.speaker,
    f.comparison, f.baseline_value, f.relative_change,
    count(DISTINCT g.article_id) AS n_sources,
    count(DISTINCT a.outlet) AS n_outlets,
    f.first_seen_at, f.last_seen_at,
    string_agg(DISTINCT a.canonical_url, ' ') AS source_urls,
    min(g.sentence) AS example_sentence,
    (SELECT af.alert_id FROM alert_findings af WHERE af.finding_id = f.finding_id) AS alert_id
FROM findings f
LEFT JOIN figures g ON g.finding_id = f.finding_id
LEFT JOIN articles a ON a.article_id = g.article_id
GROUP BY ALL;

-- Every figure with the article it came from.
CREATE VIEW figures_detail AS
SELECT
    g.metric, g.value, g.low, g.high, g.qualifier, g.unit, g.currency, g.subject, g.speaker,
    g.period, g.sentence, a.outlet, a.title, a.canonical_url AS url, a.published, a.language,
    g.finding_id, g.figure_id, g.article_id, g.run_id
FROM figures g JOIN articles a USING (article_id);

-- Reported values over time per metric: one row per metric, date and value.
CREATE VIEW metric_timeline AS
SELECT
    g.metric, g.unit, coalesce(a.published, CAST(a.fetched_at AS DATE)) AS date, g.value,
    count(DISTINCT g.article_id) AS n_sources,
    string_agg(DISTINCT g.speaker, '; ') AS speakers
FROM figures g JOIN articles a USING (article_id)
WHERE g.value IS NOT NULL
GROUP BY ALL
ORDER BY g.metric, date;

-- Each source's last attempt and how it went.
CREATE VIEW source_health AS
SELECT s.url, s.kind, s.last_attempt_at, s.last_ok_at, s.last_status, s.items_last,
       (SELECT count(*) FROM run_errors e WHERE e.url = s.url) AS errors_total
FROM sources s;
