-- Registrations that could be used to impersonate a branch or flood the review queue.

-- Two live organizations may not share a name (case-insensitively), so nobody can register a
-- second 共青团招宝山街道委员会 beside the real one. Rejected registrations free their name.
create unique index organizations_name_unique
  on public.organizations (lower(name))
  where status <> 'rejected';

-- One person may have at most three registrations waiting for review at a time.
create function private.limit_pending_registrations() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.created_by is not null and not private.is_coordinator() and (
    select count(*) from public.organizations
    where created_by = new.created_by and status = 'pending'
  ) >= 3 then
    raise exception 'too_many_registrations' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger organizations_limit_pending before insert on public.organizations
  for each row execute function private.limit_pending_registrations();
