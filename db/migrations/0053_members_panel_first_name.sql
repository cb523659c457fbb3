-- Patients in name order (issue 17): the panel's page is sorted by last name, first name
-- and ID. The demo's members share about 140 last names, so at 1,000,000 members the
-- page up to a given last name holds hundreds of an account's panel, and each of them
-- was read from the table for its first name. With first_name in the PCP and PPG
-- indexes the walk reads the indexes only.
DROP INDEX members_pcp;
CREATE INDEX members_pcp ON members(pcp_tin_id, plan_type, last_name_key, first_name);
DROP INDEX members_ppg;
CREATE INDEX members_ppg ON members(ppg_tin_id, plan_type, last_name_key, first_name);
