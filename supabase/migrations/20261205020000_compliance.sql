-- Quota compliance: the themed events behind each league branch's yearly figures, split into
-- held (ended) and planned (not yet ended), the figures themselves, and the quota settings.
-- Every figure comes from public.compliance_events, so the dashboard, its drill-down lists,
-- its charts and its exports cannot disagree.

-- A quota is set only for a kind of league branch, and records who set it and when.
create function private.check_quota() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not exists (
    select 1 from public.org_kinds where code = new.org_kind and is_league_branch
  ) then
    raise exception 'invalid_input' using errcode = 'P0001';
  end if;
  new.updated_at := now();
  new.updated_by := auth.uid();
  return new;
end
$$;

create trigger quotas_league_branch_kind
  before insert or update on public.quotas
  for each row execute function private.check_quota();

-- Every event counted for a league branch in one Asia/Shanghai calendar year: published (not
-- draft, not cancelled), of an active verified league branch, starting in that year. An event is
-- held once it has ended at `as_of`, and planned until then. Only coordinators may call it.
create function public.compliance_events(target_year int, as_of timestamptz default now())
returns table (
  organization_id uuid,
  opportunity_id uuid,
  title text,
  starts_at timestamptz,
  ends_at timestamptz,
  orbit public.orbit,
  is_held boolean
)
language plpgsql stable
set search_path = ''
as $$
begin
  if not private.is_coordinator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if target_year is null or target_year not between 2000 and 2100 or as_of is null then
    raise exception 'invalid_input' using errcode = 'P0001';
  end if;

  return query
  select p.organization_id, p.id, p.title, p.starts_at, p.ends_at, e.orbit, p.ends_at <= as_of
  from public.opportunities p
  join public.events e on e.opportunity_id = p.id
  join public.organizations o on o.id = p.organization_id and o.is_active and o.status = 'verified'
  join public.org_kinds k on k.code = o.kind and k.is_league_branch
  where p.status = 'published'
    and p.starts_at >= make_timestamptz(target_year, 1, 1, 0, 0, 0, 'Asia/Shanghai')
    and p.starts_at < make_timestamptz(target_year + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai');
end
$$;

revoke execute on function public.compliance_events(int, timestamptz) from public;
grant execute on function public.compliance_events(int, timestamptz) to authenticated;

-- One row per active verified league branch: held and planned events per orbit in one
-- Asia/Shanghai calendar year, and the quota of the branch's kind for that year (4 public-orbit
-- and 12 self-orbit events when no coordinator has set one).
create function public.compliance_figures(target_year int, as_of timestamptz default now())
returns table (
  organization_id uuid,
  organization_name text,
  org_kind text,
  parent_id uuid,
  town_code text,
  public_held int,
  public_planned int,
  self_held int,
  self_planned int,
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
  with counted as (
    select * from public.compliance_events(target_year, as_of)
  )
  select o.id, o.name, o.kind, o.parent_id, o.town_code,
    (count(c.opportunity_id) filter (where c.orbit = 'public' and c.is_held))::int,
    (count(c.opportunity_id) filter (where c.orbit = 'public' and not c.is_held))::int,
    (count(c.opportunity_id) filter (where c.orbit = 'self' and c.is_held))::int,
    (count(c.opportunity_id) filter (where c.orbit = 'self' and not c.is_held))::int,
    coalesce(q.public_min, 4),
    coalesce(q.self_min, 12)
  from public.organizations o
  join public.org_kinds k on k.code = o.kind and k.is_league_branch
  left join counted c on c.organization_id = o.id
  left join public.quotas q on q.year = target_year and q.org_kind = o.kind
  where o.is_active and o.status = 'verified'
  group by o.id, q.public_min, q.self_min
  order by o.name, o.id;
end
$$;

revoke execute on function public.compliance_figures(int, timestamptz) from public;
grant execute on function public.compliance_figures(int, timestamptz) to authenticated;

-- The older overview keeps its columns: each count is held and planned events together.
create or replace function public.compliance_overview(target_year int)
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
  select f.organization_id, f.organization_name, f.org_kind, f.parent_id, f.town_code,
    (f.public_held + f.public_planned)::bigint,
    (f.self_held + f.self_planned)::bigint,
    f.public_min,
    f.self_min
  from public.compliance_figures(target_year) f;
end
$$;

-- The quota of every kind of league branch for one year, with whether a coordinator set it or
-- it is the default. Only coordinators may call it.
create function public.quota_settings(target_year int)
returns table (
  org_kind text,
  public_min int,
  self_min int,
  is_set boolean,
  updated_at timestamptz
)
language plpgsql stable
set search_path = ''
as $$
begin
  if not private.is_coordinator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if target_year is null or target_year not between 2000 and 2100 then
    raise exception 'invalid_input' using errcode = 'P0001';
  end if;

  return query
  select k.code, coalesce(q.public_min, 4), coalesce(q.self_min, 12), q.year is not null,
    q.updated_at
  from public.org_kinds k
  left join public.quotas q on q.year = target_year and q.org_kind = k.code
  where k.is_league_branch
  order by k.sort_order;
end
$$;

revoke execute on function public.quota_settings(int) from public;
grant execute on function public.quota_settings(int) to authenticated;
