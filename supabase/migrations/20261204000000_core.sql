-- Core schema: people, organizations and their roles, opportunities with events, applications.
-- Every table has row level security. Helper functions that must see past RLS live in the
-- private schema, run as definer and pin search_path to ''.

create schema if not exists private;
create extension if not exists pgcrypto with schema extensions;

revoke all on schema private from public;
grant usage on schema private to anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke execute on functions from public;

-- Reference data ---------------------------------------------------------------------------

create table public.org_kinds (
  code text primary key,
  is_league_branch boolean not null,
  sort_order int not null,
  name_zh text not null,
  name_en text not null
);

create table public.towns (
  code text primary key,
  district text not null,
  name_zh text not null,
  name_en text not null,
  sort_order int not null
);

-- People -----------------------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null constraint profiles_display_name_length
    check (char_length(display_name) between 1 and 60),
  birth_date date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.coordinators (
  user_id uuid primary key references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);

-- Organizations and the league branch tree ----------------------------------------------------

create type public.organization_status as enum ('pending', 'verified', 'rejected');
create type public.member_role as enum ('staff', 'admin');

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint organizations_name_length
    check (char_length(name) between 2 and 80),
  kind text not null references public.org_kinds (code),
  parent_id uuid references public.organizations (id),
  town_code text references public.towns (code),
  contact_name text not null constraint organizations_contact_name_length
    check (char_length(contact_name) between 1 and 60),
  contact_phone text not null constraint organizations_contact_phone_format
    check (contact_phone ~ '^[0-9+\- ]{5,20}$'),
  status public.organization_status not null default 'pending',
  is_active boolean not null default true,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  verified_at timestamptz,
  verified_by uuid references auth.users (id) on delete set null,
  constraint organizations_not_own_parent check (parent_id is distinct from id)
);

create index organizations_parent_id_idx on public.organizations (parent_id);
create index organizations_created_by_idx on public.organizations (created_by);
create index organizations_town_code_idx on public.organizations (town_code);

create table public.org_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.member_role not null default 'staff',
  created_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);

create index org_members_user_id_idx on public.org_members (user_id);

create table public.org_invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  token_hash bytea not null constraint org_invitations_token_unique unique,
  role public.member_role not null default 'staff',
  created_by uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  used_by uuid references auth.users (id) on delete set null,
  constraint org_invitations_used_together check ((used_at is null) = (used_by is null))
);

create index org_invitations_organization_id_idx on public.org_invitations (organization_id);

-- Opportunities: what every kind shares. Each kind adds a table keyed by opportunity_id. -------

create type public.opportunity_kind as enum ('event');
create type public.opportunity_status as enum ('draft', 'published', 'cancelled');
create type public.orbit as enum ('public', 'self');

-- Lower-cased overlapping two-character pieces of a text, so that a Chinese word inside a longer
-- run of characters (雷锋 in 学雷锋纪念日) can be found through a GIN index.
create function private.bigrams(source text) returns text[]
language sql immutable parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(distinct piece), '{}')
  from (
    select substr(word, i, 2) as piece
    from regexp_split_to_table(lower(coalesce(source, '')), '[^[:alnum:]]+') as word,
         generate_series(1, greatest(char_length(word) - 1, 1)) as i
    where char_length(word) >= 2
  ) as pieces
$$;

create table public.opportunities (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id),
  kind public.opportunity_kind not null,
  title text not null constraint opportunities_title_length
    check (char_length(title) between 2 and 120),
  description text not null default '' constraint opportunities_description_length
    check (char_length(description) <= 5000),
  town_code text references public.towns (code),
  place text not null default '' constraint opportunities_place_length
    check (char_length(place) <= 200),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  apply_opens_at timestamptz not null,
  apply_closes_at timestamptz not null,
  capacity int not null constraint opportunities_capacity_range check (capacity between 1 and 100000),
  -- Kept by the applications triggers; the check below is the last guard against overbooking.
  accepted_count int not null default 0,
  status public.opportunity_status not null default 'draft',
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  cancelled_at timestamptz,
  search_pieces text[] generated always as (private.bigrams(title || ' ' || description || ' ' || place)) stored,
  constraint opportunities_ends_after_start check (ends_at > starts_at),
  constraint opportunities_apply_window_order check (apply_closes_at > apply_opens_at),
  constraint opportunities_apply_closes_by_start check (apply_closes_at <= starts_at),
  constraint opportunities_not_overbooked check (accepted_count between 0 and capacity)
);

create index opportunities_organization_id_idx on public.opportunities (organization_id);
create index opportunities_status_starts_at_idx on public.opportunities (status, starts_at);
create index opportunities_town_code_idx on public.opportunities (town_code);
create index opportunities_search_pieces_idx on public.opportunities using gin (search_pieces);

create table public.events (
  opportunity_id uuid primary key references public.opportunities (id) on delete cascade,
  orbit public.orbit not null,
  theme text not null default '' constraint events_theme_length check (char_length(theme) <= 60)
);

create index events_orbit_idx on public.events (orbit);

-- Applications -----------------------------------------------------------------------------

create type public.application_status as enum ('accepted', 'waitlisted', 'withdrawn', 'declined');

create table public.applications (
  id uuid primary key default gen_random_uuid(),
  opportunity_id uuid not null references public.opportunities (id) on delete cascade,
  applicant_id uuid not null references auth.users (id) on delete cascade,
  status public.application_status not null default 'accepted',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint applications_one_per_person unique (opportunity_id, applicant_id)
);

create index applications_applicant_id_idx on public.applications (applicant_id);
create index applications_opportunity_status_idx on public.applications (opportunity_id, status);

-- Quotas: minimum themed events per calendar year and kind of league branch. ---------------

create table public.quotas (
  year int not null constraint quotas_year_range check (year between 2000 and 2100),
  org_kind text not null references public.org_kinds (code),
  public_min int not null default 4 constraint quotas_public_min_range check (public_min between 0 and 365),
  self_min int not null default 12 constraint quotas_self_min_range check (self_min between 0 and 365),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null,
  primary key (year, org_kind)
);

-- Sessions and sign-in attempts for local accounts. Only the server (as owner) reads them. ----

create table private.sessions (
  token_hash bytea primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

create index sessions_user_id_idx on private.sessions (user_id);

create table private.sign_in_failures (
  id bigint generated always as identity primary key,
  subject text not null,
  failed_at timestamptz not null default now()
);

create index sign_in_failures_subject_idx on private.sign_in_failures (subject, failed_at);

alter table private.sessions enable row level security;
alter table private.sign_in_failures enable row level security;

-- Role checks used by policies. Definer, so that a policy on one table can look at another
-- without that table's policies recursing. ------------------------------------------------

create function private.is_coordinator() returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (select 1 from public.coordinators where user_id = (select auth.uid()))
$$;

create function private.is_org_member(org uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.org_members
    where organization_id = org and user_id = (select auth.uid())
  )
$$;

create function private.is_org_admin(org uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.org_members
    where organization_id = org and user_id = (select auth.uid()) and role = 'admin'
  )
$$;

create function private.is_org_verified(org uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.organizations where id = org and status = 'verified' and is_active
  )
$$;

create function private.is_staff_of_opportunity(opportunity uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.opportunities o
    join public.org_members m on m.organization_id = o.organization_id
    where o.id = opportunity and m.user_id = (select auth.uid())
  )
$$;

create function private.has_applied(opportunity uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.applications
    where opportunity_id = opportunity and applicant_id = (select auth.uid())
  )
$$;

-- Whether the acting user may see this person's profile: their own, as a coordinator, or as
-- staff of an organization the person applied to.
create function private.can_see_profile(person uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select person = (select auth.uid())
    or private.is_coordinator()
    or exists (
      select 1 from public.applications a
      join public.opportunities o on o.id = a.opportunity_id
      join public.org_members m on m.organization_id = o.organization_id
      where a.applicant_id = person and m.user_id = (select auth.uid())
    )
$$;

grant execute on all functions in schema private to anon, authenticated;

-- Triggers ---------------------------------------------------------------------------------

create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();
-- Listed columns only: a change of accepted_count alone is not an edit of the opportunity.
create trigger opportunities_touch
  before update of title, description, town_code, place, starts_at, ends_at, apply_opens_at,
    apply_closes_at, capacity, status
  on public.opportunities
  for each row execute function private.touch_updated_at();
create trigger applications_touch before update on public.applications
  for each row execute function private.touch_updated_at();

-- Every new account gets a profile; the display name comes from sign-up metadata.
create function private.create_profile() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, display_name)
  values (
    new.id,
    coalesce(nullif(new.raw_user_meta_data ->> 'display_name', ''), split_part(new.email, '@', 1))
  );
  return new;
end
$$;

create trigger users_create_profile after insert on auth.users
  for each row execute function private.create_profile();

-- Whoever registers an organization becomes its first admin. A coordinator verifies it later.
create function private.add_registrant_as_admin() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.created_by is not null then
    insert into public.org_members (organization_id, user_id, role)
    values (new.id, new.created_by, 'admin')
    on conflict do nothing;
  end if;
  return new;
end
$$;

create trigger organizations_add_registrant after insert on public.organizations
  for each row execute function private.add_registrant_as_admin();

-- Only coordinators verify organizations or move them in the tree. Admins keep the rest.
create function private.guard_organization_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('authenticated', 'anon') and not private.is_coordinator() then
    if tg_op = 'INSERT' then
      if new.status <> 'pending' or new.verified_at is not null or new.verified_by is not null then
        raise exception 'organization_not_verified' using errcode = 'P0001';
      end if;
    elsif new.status is distinct from old.status
       or new.parent_id is distinct from old.parent_id
       or new.kind is distinct from old.kind
       or new.is_active is distinct from old.is_active
       or new.verified_at is distinct from old.verified_at
       or new.verified_by is distinct from old.verified_by then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
  end if;
  return new;
end
$$;

create trigger organizations_guard before insert or update on public.organizations
  for each row execute function private.guard_organization_change();

-- The branch tree must stay a tree: no branch may become its own ancestor.
create function private.reject_branch_cycle() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.parent_id is not null and exists (
    with recursive ancestors(id) as (
      select new.parent_id
      union
      select o.parent_id from public.organizations o join ancestors a on o.id = a.id
      where o.parent_id is not null
    )
    select 1 from ancestors where id = new.id
  ) then
    raise exception 'branch_cycle' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger organizations_no_cycle before insert or update of parent_id on public.organizations
  for each row execute function private.reject_branch_cycle();

-- Publishing needs a verified organization; status moves only draft → published → cancelled
-- or draft → cancelled.
create function private.guard_opportunity_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status = 'published' and (tg_op = 'INSERT' or old.status <> 'published') then
    if not private.is_org_verified(new.organization_id) then
      raise exception 'organization_not_verified' using errcode = 'P0001';
    end if;
    new.published_at := now();
  end if;

  if tg_op = 'UPDATE' and new.status is distinct from old.status then
    if old.status = 'cancelled'
       or (old.status = 'published' and new.status = 'draft') then
      raise exception 'invalid_status_change' using errcode = 'P0001';
    end if;
    if new.status = 'cancelled' then
      new.cancelled_at := now();
    end if;
  end if;

  if tg_op = 'UPDATE' and old.status = 'cancelled' then
    raise exception 'opportunity_cancelled' using errcode = 'P0001';
  end if;

  if tg_op = 'UPDATE' and new.organization_id is distinct from old.organization_id then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger opportunities_guard
  before insert or update of organization_id, kind, title, description, town_code, place,
    starts_at, ends_at, apply_opens_at, apply_closes_at, capacity, status
  on public.opportunities
  for each row execute function private.guard_opportunity_change();

-- The event details of a cancelled opportunity are frozen like the opportunity itself, and an
-- event row never moves to another opportunity. Definer, so the check sees the opportunity
-- whatever the caller's policies let them read.
create function private.guard_event_change() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.opportunity_id is distinct from old.opportunity_id then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if exists (
    select 1 from public.opportunities where id = old.opportunity_id and status = 'cancelled'
  ) then
    raise exception 'opportunity_cancelled' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger events_guard before update on public.events
  for each row execute function private.guard_event_change();

-- Capacity, window and status rules for applying, held here so that no code path can overbook.
-- The opportunity row is locked for the rest of the transaction, so concurrent applications to
-- one opportunity are counted one after another.
create function private.guard_application() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  target public.opportunities;
begin
  if tg_op = 'UPDATE' and new.status = old.status then
    return new;
  end if;

  if tg_op = 'UPDATE' and (new.opportunity_id <> old.opportunity_id
                           or new.applicant_id <> old.applicant_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  select * into target from public.opportunities where id = new.opportunity_id for update;

  if new.status = 'withdrawn' then
    if now() >= target.starts_at then
      raise exception 'opportunity_started' using errcode = 'P0001';
    end if;
    return new;
  end if;

  if new.status <> 'accepted' then
    return new;
  end if;

  if target.status = 'cancelled' then
    raise exception 'opportunity_cancelled' using errcode = 'P0001';
  elsif target.status <> 'published' then
    raise exception 'opportunity_not_published' using errcode = 'P0001';
  elsif now() >= target.starts_at then
    raise exception 'opportunity_started' using errcode = 'P0001';
  elsif now() < target.apply_opens_at or now() >= target.apply_closes_at then
    raise exception 'apply_window_closed' using errcode = 'P0001';
  end if;

  if target.accepted_count >= target.capacity then
    raise exception 'opportunity_full' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger applications_guard before insert or update on public.applications
  for each row execute function private.guard_application();

-- An applicant changing their own application may only withdraw it (from accepted or the
-- waitlist) or reapply after withdrawing. A decline is the organization's decision, and leaving
-- the waitlist for a place is the organization's promotion, so neither is the applicant's to
-- undo or take. Staff of the opportunity and the owner are not limited here. Invoker, so that
-- current_user is the caller's role.
create function private.guard_applicant_status() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('authenticated', 'anon')
     and old.applicant_id = (select auth.uid())
     and new.status is distinct from old.status
     and not private.is_staff_of_opportunity(old.opportunity_id)
     and not (
       (old.status in ('accepted', 'waitlisted') and new.status = 'withdrawn')
       or (old.status = 'withdrawn' and new.status = 'accepted')
     ) then
    raise exception 'invalid_status_change' using errcode = 'P0001';
  end if;
  return new;
end
$$;

-- Named to fire before applications_guard (triggers fire in name order), so a refused change
-- takes no lock on the opportunity.
create trigger applications_applicant_status before update of status on public.applications
  for each row execute function private.guard_applicant_status();

-- Keeps opportunities.accepted_count equal to the number of accepted applications.
create function private.count_accepted() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  change int := 0;
  target uuid;
begin
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'accepted' then
    change := change + 1;
    target := new.opportunity_id;
  end if;
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'accepted' then
    change := change - 1;
    target := old.opportunity_id;
  end if;
  if change <> 0 then
    update public.opportunities set accepted_count = accepted_count + change where id = target;
  end if;
  return null;
end
$$;

create trigger applications_count after insert or update of status or delete on public.applications
  for each row execute function private.count_accepted();

-- Invitations: single use, expiring. The invitee is not yet a member, so accepting runs as
-- definer and marks the invitation used in the same statement that checks it.
create function private.accept_invitation(token text) returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  invitation public.org_invitations;
  acting_user uuid := (select auth.uid());
begin
  if acting_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;

  update public.org_invitations
  set used_at = now(), used_by = acting_user
  where token_hash = extensions.digest(token, 'sha256') and used_at is null and expires_at > now()
  returning * into invitation;

  if invitation.id is null then
    if exists (
      select 1 from public.org_invitations
      where token_hash = extensions.digest(token, 'sha256') and used_at is not null
    ) then
      raise exception 'invitation_used' using errcode = 'P0001';
    elsif exists (
      select 1 from public.org_invitations where token_hash = extensions.digest(token, 'sha256')
    ) then
      raise exception 'invitation_expired' using errcode = 'P0001';
    end if;
    raise exception 'invitation_not_found' using errcode = 'P0001';
  end if;

  insert into public.org_members (organization_id, user_id, role)
  values (invitation.organization_id, acting_user, invitation.role)
  on conflict (organization_id, user_id) do nothing;
  return invitation.organization_id;
end
$$;

revoke execute on function private.accept_invitation(text) from public, anon;
grant execute on function private.accept_invitation(text) to authenticated;

-- Compliance: themed events per league branch in one Asia/Shanghai calendar year. Counts are
-- keyed by the branch itself, so moving a branch in the tree leaves its history as it was.
create function public.compliance_overview(target_year int)
returns table (
  organization_id uuid,
  organization_name text,
  org_kind text,
  parent_id uuid,
  town_code text,
  public_count bigint,
  self_count bigint,
  public_min int,
  self_min int
)
language plpgsql stable
set search_path = ''
as $$
begin
  if not private.is_coordinator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  return query
  select o.id, o.name, o.kind, o.parent_id, o.town_code,
    count(*) filter (where e.orbit = 'public'),
    count(*) filter (where e.orbit = 'self'),
    coalesce(q.public_min, 4),
    coalesce(q.self_min, 12)
  from public.organizations o
  join public.org_kinds k on k.code = o.kind and k.is_league_branch
  left join public.opportunities p
    on p.organization_id = o.id
    and p.status = 'published'
    and p.starts_at >= make_timestamptz(target_year, 1, 1, 0, 0, 0, 'Asia/Shanghai')
    and p.starts_at < make_timestamptz(target_year + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
  left join public.events e on e.opportunity_id = p.id
  left join public.quotas q on q.year = target_year and q.org_kind = o.kind
  where o.is_active and o.status = 'verified'
  group by o.id, q.public_min, q.self_min
  order by o.name;
end
$$;

revoke execute on function public.compliance_overview(int) from public;
grant execute on function public.compliance_overview(int) to authenticated;

-- Row level security -------------------------------------------------------------------------

alter table public.org_kinds enable row level security;
alter table public.towns enable row level security;
alter table public.profiles enable row level security;
alter table public.coordinators enable row level security;
alter table public.organizations enable row level security;
alter table public.org_members enable row level security;
alter table public.org_invitations enable row level security;
alter table public.opportunities enable row level security;
alter table public.events enable row level security;
alter table public.applications enable row level security;
alter table public.quotas enable row level security;

grant usage on schema public to anon, authenticated;
grant select on public.org_kinds, public.towns to anon, authenticated;
grant select, update (display_name, birth_date) on public.profiles to authenticated;
grant select on public.coordinators to authenticated;
grant select on public.organizations to anon, authenticated;
grant insert (name, kind, parent_id, town_code, contact_name, contact_phone, created_by, status,
  verified_at, verified_by) on public.organizations to authenticated;
grant update (name, parent_id, town_code, contact_name, contact_phone, status, is_active,
  verified_at, verified_by) on public.organizations to authenticated;
grant select, delete on public.org_members to authenticated;
grant select, insert, delete on public.org_invitations to authenticated;
grant select on public.opportunities, public.events to anon, authenticated;
grant insert (organization_id, kind, title, description, town_code, place, starts_at, ends_at,
  apply_opens_at, apply_closes_at, capacity, status, created_by) on public.opportunities to authenticated;
grant update (title, description, town_code, place, starts_at, ends_at, apply_opens_at,
  apply_closes_at, capacity, status) on public.opportunities to authenticated;
grant insert, update on public.events to authenticated;
grant select, insert on public.applications to authenticated;
grant update (status) on public.applications to authenticated;
grant select, insert, update on public.quotas to authenticated;

create policy "anyone can read organization kinds" on public.org_kinds
  for select to anon, authenticated using (true);
create policy "anyone can read towns" on public.towns
  for select to anon, authenticated using (true);

create policy "people can read profiles they are allowed to see" on public.profiles
  for select to authenticated using ((select private.can_see_profile(id)));
create policy "people can update their own profile" on public.profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));

create policy "people can see whether they are coordinators" on public.coordinators
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_coordinator()));

create policy "anyone can read verified active organizations" on public.organizations
  for select to anon using (status = 'verified' and is_active);
create policy "people can read verified organizations and their own" on public.organizations
  for select to authenticated using (
    (status = 'verified' and is_active)
    or created_by = (select auth.uid())
    or (select private.is_org_member(id))
    or (select private.is_coordinator())
  );
create policy "people can register an organization" on public.organizations
  for insert to authenticated
  with check (created_by = (select auth.uid()) or (select private.is_coordinator()));
create policy "admins and coordinators can update organizations" on public.organizations
  for update to authenticated
  using ((select private.is_org_admin(id)) or (select private.is_coordinator()))
  with check ((select private.is_org_admin(id)) or (select private.is_coordinator()));

create policy "members and coordinators can read memberships" on public.org_members
  for select to authenticated using (
    user_id = (select auth.uid())
    or (select private.is_org_member(organization_id))
    or (select private.is_coordinator())
  );
create policy "admins can remove staff" on public.org_members
  for delete to authenticated using ((select private.is_org_admin(organization_id)));

create policy "admins can read their invitations" on public.org_invitations
  for select to authenticated using ((select private.is_org_admin(organization_id)));
create policy "admins can create invitations" on public.org_invitations
  for insert to authenticated with check (
    (select private.is_org_admin(organization_id)) and created_by = (select auth.uid())
  );
create policy "admins can revoke invitations" on public.org_invitations
  for delete to authenticated using ((select private.is_org_admin(organization_id)));

create policy "anyone can read published opportunities" on public.opportunities
  for select to anon using (status = 'published');
create policy "people can read published, applied and own opportunities" on public.opportunities
  for select to authenticated using (
    status = 'published'
    or (select private.is_org_member(organization_id))
    or (select private.is_coordinator())
    or (select private.has_applied(id))
  );
create policy "staff can create opportunities of their organization" on public.opportunities
  for insert to authenticated with check ((select private.is_org_member(organization_id)));
create policy "staff can update opportunities of their organization" on public.opportunities
  for update to authenticated
  using ((select private.is_org_member(organization_id)))
  with check ((select private.is_org_member(organization_id)));

create policy "anyone can read events of published opportunities" on public.events
  for select to anon using (
    exists (select 1 from public.opportunities o where o.id = opportunity_id and o.status = 'published')
  );
create policy "people can read events of opportunities they can see" on public.events
  for select to authenticated using (
    exists (select 1 from public.opportunities o where o.id = opportunity_id)
  );
create policy "staff can create events of their organization" on public.events
  for insert to authenticated with check ((select private.is_staff_of_opportunity(opportunity_id)));
create policy "staff can update events of their organization" on public.events
  for update to authenticated
  using ((select private.is_staff_of_opportunity(opportunity_id)))
  with check ((select private.is_staff_of_opportunity(opportunity_id)));

create policy "applicants, staff and coordinators can read applications" on public.applications
  for select to authenticated using (
    applicant_id = (select auth.uid())
    or (select private.is_staff_of_opportunity(opportunity_id))
    or (select private.is_coordinator())
  );
create policy "people can apply for themselves" on public.applications
  for insert to authenticated with check (
    applicant_id = (select auth.uid()) and status = 'accepted'
  );
create policy "applicants can withdraw or reapply" on public.applications
  for update to authenticated
  using (applicant_id = (select auth.uid()))
  with check (applicant_id = (select auth.uid()) and status in ('accepted', 'withdrawn'));
create policy "staff can change applications to their opportunities" on public.applications
  for update to authenticated
  using ((select private.is_staff_of_opportunity(opportunity_id)))
  with check ((select private.is_staff_of_opportunity(opportunity_id)));

create policy "coordinators can read quotas" on public.quotas
  for select to authenticated using ((select private.is_coordinator()));
create policy "coordinators can set quotas" on public.quotas
  for insert to authenticated with check ((select private.is_coordinator()));
create policy "coordinators can change quotas" on public.quotas
  for update to authenticated
  using ((select private.is_coordinator())) with check ((select private.is_coordinator()));
