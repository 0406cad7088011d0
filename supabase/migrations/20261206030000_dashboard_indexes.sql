-- The compliance dashboard reads every counted event of a year: about 16,000 for 1,000 branches.
-- bench/dashboard.ts measures it and saves the plans to bench/results/explain-dashboard.txt.
-- Indexes and a policy make each pass cheap, and one function gives the page one pass.

-- The counted opportunities of a year, with every column the compliance functions and the
-- opportunities' read policy look at, so the year's slice is read from this index alone once the
-- table is vacuumed.
create index opportunities_published_starts_at_idx on public.opportunities (starts_at)
  include (organization_id, ends_at, id, title) where status = 'published';

-- Each counted opportunity looks up its event's orbit. With the orbit in the index, the lookup
-- reads the index alone.
create index events_opportunity_orbit_idx on public.events (opportunity_id) include (orbit);

-- A coordinator may read every opportunity, so every event too. Checking that first, once per
-- query, spares a coordinator's queries a subquery on opportunities for every event row; for
-- everyone else the rule is the one it replaces.
drop policy "people can read events of opportunities they can see" on public.events;
create policy "people can read events of opportunities they can see" on public.events
  for select to authenticated using (
    (select private.is_coordinator())
    or exists (select 1 from public.opportunities o where o.id = opportunity_id)
  );

-- The year decides which slice of opportunities the functions read. A plan cached for any year
-- cannot use the year's own row counts, so each call is planned for its year.
alter function public.compliance_events(int, timestamptz) set plan_cache_mode = force_custom_plan;

-- The dashboard's branch figures and its monthly chart from one pass over the counted events,
-- which the page used to read twice. Each row is either a branch (organization_id set, month
-- null) with its figures, or a month of one orbit (organization_id null) with its held and
-- planned events. Only coordinators may call it.
create function public.compliance_dashboard(target_year int, as_of timestamptz default now())
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
  self_min int,
  orbit public.orbit,
  month int,
  held int,
  planned int
)
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
begin
  if not private.is_coordinator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  return query
  with counted as materialized (
    select c.organization_id, c.orbit, c.is_held,
      extract(month from c.starts_at at time zone 'Asia/Shanghai')::int as month
    from public.compliance_events(target_year, as_of) c
  ),
  branches as (
    select o.id, o.name, o.kind, o.parent_id, o.town_code,
      (count(c.organization_id) filter (where c.orbit = 'public' and c.is_held))::int as public_held,
      (count(c.organization_id) filter (where c.orbit = 'public' and not c.is_held))::int
        as public_planned,
      (count(c.organization_id) filter (where c.orbit = 'self' and c.is_held))::int as self_held,
      (count(c.organization_id) filter (where c.orbit = 'self' and not c.is_held))::int
        as self_planned,
      coalesce(q.public_min, 4) as public_min,
      coalesce(q.self_min, 12) as self_min
    from public.organizations o
    join public.org_kinds k on k.code = o.kind and k.is_league_branch
    left join counted c on c.organization_id = o.id
    left join public.quotas q on q.year = target_year and q.org_kind = o.kind
    where o.is_active and o.status = 'verified'
    group by o.id, q.public_min, q.self_min
  ),
  months as (
    select c.orbit, c.month,
      (count(*) filter (where c.is_held))::int as held,
      (count(*) filter (where not c.is_held))::int as planned
    from counted c
    group by c.orbit, c.month
  )
  select b.id, b.name, b.kind, b.parent_id, b.town_code, b.public_held, b.public_planned,
    b.self_held, b.self_planned, b.public_min, b.self_min,
    null::public.orbit, null::int, null::int, null::int
  from branches b
  union all
  select null::uuid, null::text, null::text, null::uuid, null::text, null::int, null::int,
    null::int, null::int, null::int, null::int, m.orbit, m.month, m.held, m.planned
  from months m
  order by 2, 1, 12, 13;
end
$$;

revoke execute on function public.compliance_dashboard(int, timestamptz) from public;
grant execute on function public.compliance_dashboard(int, timestamptz) to authenticated;

-- The branch figures keep their function, now read from the dashboard's, so the two cannot
-- disagree.
create or replace function public.compliance_figures(target_year int, as_of timestamptz default now())
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
set plan_cache_mode = force_custom_plan
as $$
begin
  if not private.is_coordinator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  return query
  select d.organization_id, d.organization_name, d.org_kind, d.parent_id, d.town_code,
    d.public_held, d.public_planned, d.self_held, d.self_planned, d.public_min, d.self_min
  from public.compliance_dashboard(target_year, as_of) d
  where d.organization_id is not null
  order by d.organization_name, d.organization_id;
end
$$;
