-- The business profile's time zone is the one the hours are kept in: a workspace that had
-- set its hours brings their time zone to its profile (the schedule's own copy is no longer read).
-- only: sqlite
UPDATE workspace_profiles SET time_zone = (
    SELECT json_extract(w.business_hours, '$.time_zone') FROM workspaces w WHERE w.id = workspace_profiles.workspace_id
) WHERE workspace_id IN (
    SELECT id FROM workspaces WHERE business_hours IS NOT NULL AND json_valid(business_hours)
        AND json_extract(business_hours, '$.time_zone') IS NOT NULL
);
-- only: postgres
UPDATE workspace_profiles p SET time_zone = (w.business_hours::json ->> 'time_zone')
FROM workspaces w
WHERE w.id = p.workspace_id AND w.business_hours IS NOT NULL AND (w.business_hours::json ->> 'time_zone') IS NOT NULL;
