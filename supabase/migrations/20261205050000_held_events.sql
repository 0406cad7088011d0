-- Once an event has started, who was accepted is settled: attendance and hours hang on it.
-- Applicants already cannot withdraw after the start; staff may not decline anyone then either.
create function private.reject_decline_after_start() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.status <> 'declined' and exists (
    select 1 from public.opportunities where id = new.opportunity_id and starts_at <= now()
  ) then
    raise exception 'opportunity_started' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger applications_no_decline_after_start
  before update of status on public.applications
  for each row when (new.status = 'declined')
  execute function private.reject_decline_after_start();
