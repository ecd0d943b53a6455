-- A care place unit's fortnightly reviews of its stays' agreements are held at the meetings of
-- one meeting series: every stay under way on a meeting's day is on its agenda.
ALTER TABLE units ADD COLUMN review_series_id BIGINT REFERENCES meeting_series(id);
