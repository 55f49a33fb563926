-- What a source says about an article beside its URL: when it saw it, the outlet, a
-- language hint, and the aggregator link it was resolved from (news search), so that a
-- link is decoded once and a link that cannot be decoded stays a typed drop.
ALTER TABLE candidates ADD COLUMN seen_at VARCHAR;
ALTER TABLE candidates ADD COLUMN outlet VARCHAR;
ALTER TABLE candidates ADD COLUMN outlet_url VARCHAR;
ALTER TABLE candidates ADD COLUMN language VARCHAR;
ALTER TABLE candidates ADD COLUMN via VARCHAR;
