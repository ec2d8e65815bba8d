-- Flyway callback, run by the owner after every migrate (also when nothing was pending): gives the application's
-- role its grants (V20__app_role_and_audit_anchor.sql), so a role created after the tables gets them at next start.
SELECT grant_app_role('${app_role}');
