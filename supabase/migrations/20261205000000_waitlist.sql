-- Waitlist, guardian consent for minors, in-app notifications and the end of an event's life
-- cycle. A full event puts new applicants on a waitlist ordered by queued_at; whenever a place
-- frees up (an accepted applicant withdraws or is declined, or staff raise the capacity) the
-- first person waiting is promoted in the same transaction, under the opportunity row lock that
-- private.guard_application takes.

-- Applications: waitlist order and guardian consent ------------------------------------------

alter table public.applications
  add column queued_at timestamptz,
  add column guardian_name text,
  add column guardian_phone text,
  add column consent_at timestamptz,
  add constraint applications_waitlisted_queued
    check (status <> 'waitlisted' or queued_at is not null),
  add constraint applications_consent_complete check (
    (guardian_name is null and guardian_phone is null and consent_at is null)
    or (guardian_name is not null and guardian_phone is not null and consent_at is not null)
  ),
  add constraint applications_guardian_name_length
    check (guardian_name is null or char_length(guardian_name) between 1 and 60),
  add constraint applications_guardian_phone_format
    check (guardian_phone is null or guardian_phone ~ '^[0-9+\- ]{5,20}$');

create index applications_waitlist_idx on public.applications (opportunity_id, queued_at, id)
  where status = 'waitlisted';

-- Whole years between a birth date and an instant, counted on the Asia/Shanghai calendar date
-- of that instant.
create function private.age_on(birth_date date, at timestamptz) returns int
language sql immutable parallel safe
set search_path = ''
as $$
  select extract(year from age((at at time zone 'Asia/Shanghai')::date::timestamp,
    birth_date::timestamp))::int
$$;

-- Whether a person is under 18 at an instant by the birth date in their profile. A profile
-- without a birth date counts as not a minor here, so the application code asks for the date
-- before anyone applies.
create function private.is_minor_at(person uuid, at timestamptz) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select coalesce(
    (select private.age_on(p.birth_date, at) < 18 from public.profiles p where p.id = person),
    false
  )
$$;

-- Notifications --------------------------------------------------------------------------------

create type public.notification_kind as enum ('promoted', 'event_cancelled', 'event_time_changed');

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  recipient_id uuid not null references auth.users (id) on delete cascade,
  kind public.notification_kind not null,
  opportunity_id uuid not null references public.opportunities (id) on delete cascade,
  created_at timestamptz not null default now(),
  read_at timestamptz
);

create index notifications_recipient_created_idx
  on public.notifications (recipient_id, created_at desc);
create index notifications_unread_idx on public.notifications (recipient_id) where read_at is null;
create index notifications_opportunity_id_idx on public.notifications (opportunity_id);

alter table public.notifications enable row level security;

-- Rows are written only by the definer functions below, so people get select and the one
-- column that marks a notification read.
grant select, update (read_at) on public.notifications to authenticated;

create policy "people can read their own notifications" on public.notifications
  for select to authenticated using (recipient_id = (select auth.uid()));
create policy "people can mark their own notifications read" on public.notifications
  for update to authenticated
  using (recipient_id = (select auth.uid()))
  with check (recipient_id = (select auth.uid()));

-- Marking read is one way and uses the server's clock, whatever value the update sends.
create function private.keep_read_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.read_at := coalesce(old.read_at, now());
  return new;
end
$$;

create trigger notifications_keep_read_at before update on public.notifications
  for each row execute function private.keep_read_at();

-- Inserts one notification for each applicant of an opportunity whose application has one of
-- the given statuses.
create function private.notify_applicants(
  opportunity uuid,
  kind public.notification_kind,
  statuses public.application_status[]
) returns void
language sql security definer
set search_path = ''
as $$
  insert into public.notifications (recipient_id, kind, opportunity_id)
  select a.applicant_id, kind, opportunity
  from public.applications a
  where a.opportunity_id = opportunity and a.status = any (statuses)
$$;

-- Promotion from the waitlist ----------------------------------------------------------------

-- Fills the free places of an opportunity from the head of its waitlist, in queued_at order,
-- and notifies each person promoted. Returns how many were promoted. Nobody is promoted once the
-- event has started or unless it is published. The row lock makes concurrent callers run one
-- after another, and each reads the waitlist as the previous one left it.
create function private.promote_from_waitlist(opportunity uuid) returns int
language plpgsql security definer
set search_path = ''
as $$
declare
  target public.opportunities;
  candidate uuid;
  promoted int := 0;
begin
  select * into target from public.opportunities where id = opportunity for update;
  if not found or target.status <> 'published' or now() >= target.starts_at then
    return 0;
  end if;

  for candidate in
    select a.id from public.applications a
    where a.opportunity_id = opportunity and a.status = 'waitlisted'
    order by a.queued_at, a.id
    limit greatest(target.capacity - target.accepted_count, 0)
  loop
    update public.applications set status = 'accepted' where id = candidate;
    insert into public.notifications (recipient_id, kind, opportunity_id)
    select applicant_id, 'promoted', opportunity from public.applications where id = candidate;
    promoted := promoted + 1;
  end loop;
  return promoted;
end
$$;

-- Locks an opportunity row for the rest of the transaction. Domain code calls it before changing
-- an application, so the opportunity is always locked before any application row: a promotion
-- that updates a waitlisted row then never waits on a transaction that holds that row and waits
-- for the opportunity. Only applicants and staff of the opportunity can take the lock.
create function private.lock_opportunity(opportunity uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  perform 1 from public.opportunities o
  where o.id = opportunity
    and (private.has_applied(o.id) or private.is_staff_of_opportunity(o.id))
  for update;
end
$$;

-- One 1-based place in the waitlist, or null unless the application is waitlisted and the
-- caller is its applicant, staff of the opportunity or a coordinator.
create function private.waitlist_position(application uuid) returns int
language sql stable security definer
set search_path = ''
as $$
  select (
    select count(*)::int from public.applications w
    where w.opportunity_id = a.opportunity_id and w.status = 'waitlisted'
      and (w.queued_at, w.id) <= (a.queued_at, a.id)
  )
  from public.applications a
  where a.id = application and a.status = 'waitlisted'
    and (
      a.applicant_id = (select auth.uid())
      or private.is_staff_of_opportunity(a.opportunity_id)
      or private.is_coordinator()
    )
$$;

-- The caller's accepted applications to other published events whose time overlaps the given
-- opportunity's. Ranges are half-open, so an event that ends when the other starts is no overlap.
create function private.overlapping_acceptances(opportunity uuid)
returns table (opportunity_id uuid, title text, starts_at timestamptz, ends_at timestamptz)
language sql stable security definer
set search_path = ''
as $$
  select o.id, o.title, o.starts_at, o.ends_at
  from public.opportunities t
  join public.applications a
    on a.applicant_id = (select auth.uid()) and a.status = 'accepted' and a.opportunity_id <> t.id
  join public.opportunities o on o.id = a.opportunity_id and o.status = 'published'
  where t.id = opportunity
    and tstzrange(o.starts_at, o.ends_at) && tstzrange(t.starts_at, t.ends_at)
  order by o.starts_at, o.id
$$;

revoke execute on function private.notify_applicants(uuid, public.notification_kind,
  public.application_status[]) from public, anon, authenticated;
revoke execute on function private.promote_from_waitlist(uuid) from public, anon, authenticated;
revoke execute on function private.lock_opportunity(uuid) from public, anon;
grant execute on function private.lock_opportunity(uuid) to authenticated;
revoke execute on function private.waitlist_position(uuid) from public, anon;
grant execute on function private.waitlist_position(uuid) to authenticated;
revoke execute on function private.overlapping_acceptances(uuid) from public, anon;
grant execute on function private.overlapping_acceptances(uuid) to authenticated;
grant execute on function private.age_on(date, timestamptz) to anon, authenticated;
revoke execute on function private.is_minor_at(uuid, timestamptz) from public, anon;
grant execute on function private.is_minor_at(uuid, timestamptz) to authenticated;

-- Application rules ----------------------------------------------------------------------------

-- Status, window, capacity and consent rules for applications, replacing the core version. A new
-- application (an insert, or reapplying after a withdrawal) is accepted while there is a free
-- place and nobody waits, and otherwise joins the end of the waitlist: whatever status the
-- statement asked for, the trigger decides between the two. A minor's new application needs the
-- guardian's name and phone, and consent_at is stamped here. Moving from the waitlist to accepted
-- is a promotion; it needs a free place and an event that has not started, but not an open apply
-- window, because the person applied while it was open.
create or replace function private.guard_application() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  target public.opportunities;
begin
  if tg_op = 'UPDATE' and (new.opportunity_id <> old.opportunity_id
                           or new.applicant_id <> old.applicant_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  if tg_op = 'UPDATE' and new.status = old.status then
    return new;
  end if;

  select * into target from public.opportunities where id = new.opportunity_id for update;

  if new.status = 'withdrawn' then
    if now() >= target.starts_at then
      raise exception 'opportunity_started' using errcode = 'P0001';
    end if;
    return new;
  end if;

  if new.status = 'declined' then
    return new;
  end if;

  if tg_op = 'UPDATE' and old.status = 'waitlisted' and new.status = 'accepted' then
    if target.status <> 'published' then
      raise exception 'opportunity_not_published' using errcode = 'P0001';
    elsif now() >= target.starts_at then
      raise exception 'opportunity_started' using errcode = 'P0001';
    elsif target.accepted_count >= target.capacity then
      raise exception 'opportunity_full' using errcode = 'P0001';
    end if;
    return new;
  end if;

  -- Only the owner gets here (private.guard_applicant_status stops people): the application goes
  -- to the end of the waitlist and the place stays free until the next promotion.
  if tg_op = 'UPDATE' and old.status = 'accepted' and new.status = 'waitlisted' then
    new.queued_at := clock_timestamp();
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

  if new.guardian_name is null or new.guardian_phone is null then
    new.guardian_name := null;
    new.guardian_phone := null;
    new.consent_at := null;
  else
    new.consent_at := now();
  end if;
  -- NOTE: the age is checked when an application is made. A birth date added or changed in the
  -- profile later, or a new start time, does not re-check applications already made.
  if new.consent_at is null and private.is_minor_at(new.applicant_id, target.starts_at) then
    raise exception 'guardian_consent_required' using errcode = 'P0001';
  end if;

  -- clock_timestamp(), not now(): the lock orders concurrent applicants, and now() is the start
  -- of each transaction, which can be earlier for one that got the lock later.
  if target.accepted_count < target.capacity and not exists (
    select 1 from public.applications
    where opportunity_id = target.id and status = 'waitlisted' and id <> new.id
  ) then
    new.status := 'accepted';
    new.queued_at := null;
  else
    new.status := 'waitlisted';
    new.queued_at := clock_timestamp();
  end if;
  return new;
end
$$;

-- What people may change on an application, replacing the core version. An applicant may
-- withdraw (from accepted or the waitlist) and reapply after withdrawing, with new guardian
-- details; staff of the opportunity may decline an accepted or waitlisted applicant. Nothing
-- else: a decline is not the applicant's to undo, and leaving the waitlist for a place is the
-- promotion's to do, in order, for everyone including staff. Invoker, so that current_user is
-- the caller's role; changes made inside definer functions (promotion) run as the owner and pass.
create or replace function private.guard_applicant_status() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  is_own boolean;
  is_staff boolean;
  is_reapply boolean;
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;

  is_own := old.applicant_id = (select auth.uid());
  is_staff := private.is_staff_of_opportunity(old.opportunity_id);
  is_reapply := is_own and old.status = 'withdrawn' and new.status in ('accepted', 'waitlisted');

  if (new.guardian_name, new.guardian_phone, new.consent_at, new.queued_at)
     is distinct from (old.guardian_name, old.guardian_phone, old.consent_at, old.queued_at)
     and not is_reapply then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  if new.status is distinct from old.status
     and not is_reapply
     and not (is_own and old.status in ('accepted', 'waitlisted') and new.status = 'withdrawn')
     and not (is_staff and old.status in ('accepted', 'waitlisted') and new.status = 'declined') then
    raise exception 'invalid_status_change' using errcode = 'P0001';
  end if;
  return new;
end
$$;

-- The core trigger fired on status changes only; guardian details need checking too. The name
-- is kept so that it still fires before applications_guard (triggers fire in name order).
drop trigger applications_applicant_status on public.applications;
create trigger applications_applicant_status before update on public.applications
  for each row execute function private.guard_applicant_status();

-- A place freed by an accepted applicant leaving is filled from the waitlist. Named to fire after
-- applications_count, so accepted_count is already lowered.
create function private.fill_freed_place() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.promote_from_waitlist(old.opportunity_id);
  return null;
end
$$;

create trigger applications_promote after update of status on public.applications
  for each row when (old.status = 'accepted' and new.status in ('withdrawn', 'declined'))
  execute function private.fill_freed_place();
create trigger applications_promote_on_delete after delete on public.applications
  for each row when (old.status = 'accepted')
  execute function private.fill_freed_place();

-- The guard above may turn a request for 'accepted' into 'waitlisted', and policies check the
-- row as the triggers left it, so both statuses pass here.
drop policy "people can apply for themselves" on public.applications;
create policy "people can apply for themselves" on public.applications
  for insert to authenticated with check (
    applicant_id = (select auth.uid()) and status in ('accepted', 'waitlisted')
  );
drop policy "applicants can withdraw or reapply" on public.applications;
create policy "applicants can withdraw or reapply" on public.applications
  for update to authenticated
  using (applicant_id = (select auth.uid()))
  with check (
    applicant_id = (select auth.uid()) and status in ('accepted', 'waitlisted', 'withdrawn')
  );

grant update (guardian_name, guardian_phone) on public.applications to authenticated;

-- Opportunity changes: capacity, cancellation, new times, the end of the life cycle --------------

create function private.fill_raised_capacity() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.promote_from_waitlist(new.id);
  return null;
end
$$;

create trigger opportunities_fill_raised_capacity after update of capacity on public.opportunities
  for each row when (new.capacity > old.capacity)
  execute function private.fill_raised_capacity();

create function private.notify_cancelled() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.notify_applicants(new.id, 'event_cancelled', '{accepted,waitlisted}');
  return null;
end
$$;

create trigger opportunities_notify_cancelled after update of status on public.opportunities
  for each row when (old.status <> 'cancelled' and new.status = 'cancelled')
  execute function private.notify_cancelled();

create function private.notify_time_changed() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.notify_applicants(new.id, 'event_time_changed', '{accepted}');
  return null;
end
$$;

create trigger opportunities_notify_time_changed
  after update of starts_at, ends_at on public.opportunities
  for each row when (
    old.status = 'published' and new.status = 'published'
    and (new.starts_at, new.ends_at) is distinct from (old.starts_at, old.ends_at)
  )
  execute function private.notify_time_changed();

-- A published event that has ended counts as held, and a held event is past cancelling.
create function private.keep_held_event() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status = 'published' and new.status = 'cancelled' and now() >= old.ends_at then
    raise exception 'opportunity_held' using errcode = 'P0001';
  end if;
  return new;
end
$$;

create trigger opportunities_keep_held before update of status on public.opportunities
  for each row execute function private.keep_held_event();
