-- dropped_pages was written beside candidates.status = 'dropped' for the same failures, so
-- the two could disagree (a page given up after repeated timeouts was only in candidates).
-- It is now a view of the candidates table, with the latest error detail from run_errors.

DROP TABLE dropped_pages;

CREATE VIEW dropped_pages AS
SELECT c.discovered_url AS url, c.last_error AS reason,
       (SELECT e.detail FROM run_errors e WHERE e.url = c.discovered_url
        ORDER BY e.occurred_at DESC LIMIT 1) AS detail,
       c.attempts, c.discovered_at
FROM candidates c
WHERE c.status = 'dropped';
