-- Foreign keys into context are ON DELETE CASCADE: without an index on the referencing column every deleted
-- context scans the whole referencing table. Extraction deletes the contexts no example uses any more, so
-- these make that an index lookup per context (measured: minutes -> well under a second for 100k contexts).
CREATE INDEX feature_example_context ON feature_example (context_id);
CREATE INDEX specificity_rating_context ON specificity_rating (context_id);
