-- Calendar feeds (iCalendar, RFC 5545): a revision number per opportunity for SEQUENCE, a secret
-- feed token per person, and the public feed of an organization.

-- SEQUENCE must grow whenever a calendar client should replace its copy of an event. The
-- trigger recomputes it from the old row whenever an update names a listed column or
-- ical_sequence itself, so no update sets it by hand, not even one run as the owner.
alter table public.opportunities add column ical_sequence int not null default 0
  constraint opportunities_ical_sequence_not_negative check (ical_sequence >= 0);

create function private.bump_ical_sequence() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.ical_sequence := old.ical_sequence;
  if new.title is distinct from old.title
     or new.description is distinct from old.description
     or new.place is distinct from old.place
     or new.town_code is distinct from old.town_code
     or new.starts_at is distinct from old.starts_at
     or new.ends_at is distinct from old.ends_at
     or new.status is distinct from old.status then
    new.ical_sequence := old.ical_sequence + 1;
  end if;
  return new;
end
$$;

create trigger opportunities_ical_sequence
  before update of title, description, place, town_code, starts_at, ends_at, status, ical_sequence
  on public.opportunities
  for each row execute function private.bump_ical_sequence();

-- One private feed per person. Only the SHA-256 of the token is kept, so the feed URL is shown
-- once, when it is created or reset; resetting replaces the hash and the old URL stops working.
create table public.calendar_feeds (
  user_id uuid primary key references auth.users (id) on delete cascade,
  token_hash bytea not null constraint calendar_feeds_token_unique unique
    constraint calendar_feeds_token_hash_length check (octet_length(token_hash) = 32),
  created_at timestamptz not null default now(),
  reset_at timestamptz not null default now()
);

alter table public.calendar_feeds enable row level security;

grant select, insert (user_id, token_hash) on public.calendar_feeds to authenticated;
grant update (token_hash, reset_at) on public.calendar_feeds to authenticated;

create policy "people can read their own calendar feed" on public.calendar_feeds
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people can create their own calendar feed" on public.calendar_feeds
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "people can reset their own calendar feed" on public.calendar_feeds
  for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- The public calendar of an organization: its published events, and its cancelled events that
-- had been published (so subscribers see the cancellation), but never drafts. Only verified,
-- active organizations have one. Definer, because visitors may not read cancelled opportunities
-- through the table's policies. Events that ended more than a year ago are left out so that the
-- feed stays small; the newest 500 are returned.
create function private.organization_calendar(org uuid)
returns table (
  id uuid,
  title text,
  description text,
  place text,
  town_code text,
  starts_at timestamptz,
  ends_at timestamptz,
  status public.opportunity_status,
  ical_sequence int,
  updated_at timestamptz,
  organization_id uuid,
  organization_name text
)
language sql stable security definer
set search_path = ''
as $$
  select p.id, p.title, p.description, p.place, p.town_code, p.starts_at, p.ends_at, p.status,
    p.ical_sequence, p.updated_at, o.id, o.name
  from public.opportunities p
  join public.organizations o on o.id = p.organization_id
  where o.id = org
    and o.status = 'verified'
    and o.is_active
    and (p.status = 'published' or (p.status = 'cancelled' and p.published_at is not null))
    and p.ends_at > now() - interval '1 year'
  order by p.starts_at desc
  limit 500
$$;

revoke execute on function private.organization_calendar(uuid) from public;
grant execute on function private.organization_calendar(uuid) to anon, authenticated;
