-- Indexes found missing by bench/browse.ts at 100,000 opportunities, and for every column a row
-- level security policy reads.

-- Browse lists events that have not ended. Most of them start at most a day before now and are
-- read in start order from the published events' starts_at index; the others run longer than a
-- day, and this small index finds them by their end.
create index opportunities_long_running_idx on public.opportunities (ends_at)
  where status = 'published' and ends_at - starts_at > interval '1 day';

-- Policies read these columns, and no index covered them: the visitor's and the signed-in
-- person's organization policies filter on status and is_active, and the invitation policies
-- check created_by.
create index organizations_status_is_active_idx on public.organizations (status, is_active);
create index org_invitations_created_by_idx on public.org_invitations (created_by);
