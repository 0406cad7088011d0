-- Attendance and hours: check-in and check-out with rotating codes, staff corrections with a
-- kept reason, star-level thresholds, and verifiable records of a person's hours.
--
-- Every write to attendance goes through the definer functions below, so a check-in always
-- passes the code, window and acceptance rules, and every staff change leaves a history row.

-- Rotating check-in codes --------------------------------------------------------------------

-- One random secret per opportunity, created when its staff first open the check-in screen.
-- Codes are TOTP values (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) of this secret, so
-- every app replica derives the same code from the clock without shared state.
create table public.checkin_secrets (
  opportunity_id uuid primary key references public.opportunities (id) on delete cascade,
  secret bytea not null default extensions.gen_random_bytes(20)
    constraint checkin_secrets_secret_length check (octet_length(secret) = 20),
  created_at timestamptz not null default now()
);

-- The TOTP value of a secret for one 30-second step (the Unix time divided by 30, rounded down).
create function private.totp_code(secret bytea, step bigint) returns text
language sql immutable strict parallel safe
set search_path = ''
as $$
  with mac as (
    select extensions.hmac(int8send(step), secret, 'sha1') as digest
  ), truncated as (
    select digest, get_byte(digest, 19) & 15 as start from mac
  )
  select lpad(
    ((((get_byte(digest, start) & 127) << 24)
      | (get_byte(digest, start + 1) << 16)
      | (get_byte(digest, start + 2) << 8)
      | get_byte(digest, start + 3)) % 1000000)::text,
    6, '0')
  from truncated
$$;

create function private.current_totp_step() returns bigint
language sql stable
set search_path = ''
as $$
  select floor(extract(epoch from now()) / 30)::bigint
$$;

-- How a typed code compares with an opportunity's codes: 'valid' for the current step or the one
-- before it (a phone or server clock a little behind, or a scan just as the screen changes),
-- 'expired' for any of the eight steps before those (up to five minutes old), 'invalid' otherwise,
-- including when the opportunity has no secret yet because no code was ever shown.
create function private.checkin_code_state(opportunity uuid, code text) returns text
language plpgsql stable security definer
set search_path = ''
as $$
declare
  event_secret bytea;
  step bigint := private.current_totp_step();
begin
  select s.secret into event_secret from public.checkin_secrets s where s.opportunity_id = opportunity;
  if event_secret is null or code is null or code !~ '^[0-9]{6}$' then
    return 'invalid';
  end if;
  if code in (private.totp_code(event_secret, step), private.totp_code(event_secret, step - 1)) then
    return 'valid';
  end if;
  if exists (
    select 1 from generate_series(step - 9, step - 2) as earlier
    where private.totp_code(event_secret, earlier) = code
  ) then
    return 'expired';
  end if;
  return 'invalid';
end
$$;

-- The secret of an opportunity for its staff, created on first use.
create function private.checkin_secret(opportunity uuid) returns bytea
language plpgsql security definer
set search_path = ''
as $$
declare
  event_secret bytea;
begin
  if not private.is_staff_of_opportunity(opportunity) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.checkin_secrets (opportunity_id) values (opportunity)
  on conflict (opportunity_id) do nothing;
  select secret into event_secret from public.checkin_secrets where opportunity_id = opportunity;
  return event_secret;
end
$$;

-- Attendance -----------------------------------------------------------------------------------

create type public.attendance_source as enum ('code', 'staff');

-- One row per person and opportunity. A row whose check-in is empty is a record that staff
-- cleared; it counts as not attended.
create table public.attendance (
  opportunity_id uuid not null references public.opportunities (id) on delete cascade,
  person_id uuid not null references auth.users (id) on delete cascade,
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  source public.attendance_source not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null,
  primary key (opportunity_id, person_id),
  constraint attendance_check_out_after_check_in check (
    checked_out_at is null or (checked_in_at is not null and checked_out_at >= checked_in_at)
  )
);

create index attendance_person_id_idx on public.attendance (person_id);

-- Every staff change of an attendance record: who, when, the times before and after, and why.
create table public.attendance_corrections (
  id bigint generated always as identity primary key,
  opportunity_id uuid not null references public.opportunities (id) on delete cascade,
  person_id uuid not null references auth.users (id) on delete cascade,
  corrected_by uuid references auth.users (id) on delete set null,
  corrected_at timestamptz not null default now(),
  checked_in_before timestamptz,
  checked_out_before timestamptz,
  checked_in_after timestamptz,
  checked_out_after timestamptz,
  reason text not null constraint attendance_corrections_reason_length
    check (char_length(btrim(reason)) between 2 and 500)
);

create index attendance_corrections_opportunity_idx
  on public.attendance_corrections (opportunity_id, corrected_at);
create index attendance_corrections_person_id_idx on public.attendance_corrections (person_id);
create index attendance_corrections_corrected_by_idx on public.attendance_corrections (corrected_by);

-- Failed code entries, so that nobody can try codes until one works. Only the check-in function
-- reads and writes it.
create table private.checkin_failures (
  id bigint generated always as identity primary key,
  opportunity_id uuid not null references public.opportunities (id) on delete cascade,
  person_id uuid not null references auth.users (id) on delete cascade,
  failed_at timestamptz not null default now()
);

create index checkin_failures_person_idx
  on private.checkin_failures (person_id, opportunity_id, failed_at);

alter table private.checkin_failures enable row level security;

-- Check-in opens 30 minutes before the start and closes at the end. Check-out stays open for
-- 30 minutes after the end, so that people leaving at the end can still check out. Hours are
-- clamped to the event's own start and end whatever the times.

-- Checks the actor in to or out of an opportunity with a code from its check-in screen.
-- Returns 'checked_in' or 'checked_out', or the code of the rule that failed. Failures are
-- returned rather than raised so that the failed attempt counted below is committed.
create function private.check_in_or_out(opportunity uuid, code text, direction text) returns text
language plpgsql security definer
set search_path = ''
as $$
declare
  acting uuid := (select auth.uid());
  target public.opportunities;
  application_status public.application_status;
  existing public.attendance;
  code_state text;
begin
  if acting is null then
    return 'not_signed_in';
  end if;
  if direction not in ('in', 'out') then
    return 'invalid_input';
  end if;

  select * into target from public.opportunities where id = opportunity;
  select a.status into application_status from public.applications a
  where a.opportunity_id = opportunity and a.applicant_id = acting;
  if target.id is null or (target.status = 'draft' and application_status is null) then
    return 'not_found';
  elsif target.status = 'cancelled' then
    return 'opportunity_cancelled';
  elsif application_status is distinct from 'accepted' then
    return 'attendance_not_accepted';
  elsif now() < target.starts_at - interval '30 minutes' then
    return 'checkin_not_open';
  elsif direction = 'in' and now() >= target.ends_at then
    return 'checkin_closed';
  elsif direction = 'out' and now() < target.starts_at then
    -- Checking out before the start would record no hours and use up the one check-out.
    return 'checkout_not_open';
  elsif direction = 'out' and now() >= target.ends_at + interval '30 minutes' then
    return 'checkout_closed';
  end if;

  -- Ten failed codes in ten minutes is far more than mistyping, and keeps guessing one of the
  -- two valid codes out of a million to odds of about one in 50,000 per ten minutes.
  if (
    select count(*) from private.checkin_failures f
    where f.person_id = acting and f.opportunity_id = opportunity
      and f.failed_at > now() - interval '10 minutes'
  ) >= 10 then
    return 'checkin_too_many_attempts';
  end if;

  code_state := private.checkin_code_state(opportunity, code);
  if code_state <> 'valid' then
    insert into private.checkin_failures (opportunity_id, person_id) values (opportunity, acting);
    return case code_state when 'expired' then 'checkin_code_expired' else 'checkin_code_invalid' end;
  end if;

  select * into existing from public.attendance a
  where a.opportunity_id = opportunity and a.person_id = acting
  for update;

  if direction = 'in' then
    if existing.checked_in_at is not null then
      return 'already_checked_in';
    end if;
    insert into public.attendance (opportunity_id, person_id, checked_in_at, source, updated_by)
    values (opportunity, acting, now(), 'code', acting)
    on conflict (opportunity_id, person_id) do update
      set checked_in_at = now(), checked_out_at = null, source = 'code', updated_at = now(),
        updated_by = acting;
    return 'checked_in';
  end if;

  if existing.checked_in_at is null then
    return 'not_checked_in';
  elsif existing.checked_out_at is not null then
    return 'already_checked_out';
  end if;
  update public.attendance set checked_out_at = now(), updated_at = now(), updated_by = acting
  where opportunity_id = opportunity and person_id = acting;
  return 'checked_out';
end
$$;

-- Sets a person's check-in and check-out times by hand, for someone without a phone or to
-- correct a record. Staff of the opportunity only; the reason and the times before and after
-- go to attendance_corrections in the same transaction. Both times empty clears the record.
create function private.record_attendance(
  opportunity uuid,
  person uuid,
  new_checked_in_at timestamptz,
  new_checked_out_at timestamptz,
  reason text
) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  acting uuid := (select auth.uid());
  target public.opportunities;
  existing public.attendance;
begin
  if acting is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if not private.is_staff_of_opportunity(opportunity) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;

  select * into target from public.opportunities where id = opportunity;
  if target.status = 'cancelled' then
    raise exception 'opportunity_cancelled' using errcode = 'P0001';
  end if;
  if not exists (
    select 1 from public.applications a
    where a.opportunity_id = opportunity and a.applicant_id = person and a.status = 'accepted'
  ) then
    raise exception 'attendance_not_accepted' using errcode = 'P0001';
  end if;
  if char_length(btrim(coalesce(reason, ''))) < 2 then
    raise exception 'correction_reason_required' using errcode = 'P0001';
  end if;
  if (new_checked_out_at is not null and new_checked_in_at is null)
     or new_checked_out_at < new_checked_in_at
     or new_checked_in_at < target.starts_at - interval '30 minutes'
     or new_checked_out_at > target.ends_at + interval '30 minutes'
     or new_checked_in_at > now()
     or new_checked_out_at > now() then
    raise exception 'attendance_time_invalid' using errcode = 'P0001';
  end if;

  select * into existing from public.attendance a
  where a.opportunity_id = opportunity and a.person_id = person
  for update;
  if existing.checked_in_at is not distinct from new_checked_in_at
     and existing.checked_out_at is not distinct from new_checked_out_at then
    raise exception 'attendance_unchanged' using errcode = 'P0001';
  end if;

  insert into public.attendance_corrections (opportunity_id, person_id, corrected_by,
    checked_in_before, checked_out_before, checked_in_after, checked_out_after, reason)
  values (opportunity, person, acting, existing.checked_in_at, existing.checked_out_at,
    new_checked_in_at, new_checked_out_at, btrim(reason));

  insert into public.attendance (opportunity_id, person_id, checked_in_at, checked_out_at, source,
    updated_by)
  values (opportunity, person, new_checked_in_at, new_checked_out_at, 'staff', acting)
  on conflict (opportunity_id, person_id) do update
    set checked_in_at = excluded.checked_in_at, checked_out_at = excluded.checked_out_at,
      source = 'staff', updated_at = now(), updated_by = acting;
end
$$;

-- Star levels ------------------------------------------------------------------------------------

-- Whether an array holds positive integers, each larger than the one before.
create function private.is_ascending_positive(thresholds int[]) returns boolean
language sql immutable strict parallel safe
set search_path = ''
as $$
  select coalesce(bool_and(value > 0 and (previous is null or value > previous)), false)
  from (
    select value, lag(value) over (order by position) as previous
    from unnest(thresholds) with ordinality as t(value, position)
  ) as pairs
$$;

-- District-wide volunteering settings, one row. Cumulative hours needed for one to five stars.
create table public.volunteer_settings (
  id boolean primary key default true constraint volunteer_settings_one_row check (id),
  star_thresholds int[] not null default '{100,300,600,1000,1500}'
    constraint volunteer_settings_star_thresholds_valid check (
      cardinality(star_thresholds) = 5
      and array_ndims(star_thresholds) = 1
      and private.is_ascending_positive(star_thresholds)
      and star_thresholds[5] <= 100000
    ),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null
);

insert into public.volunteer_settings (id) values (true);

-- The server's clock and the acting user stamp every change, whatever the update sends.
create function private.stamp_volunteer_settings() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end
$$;

create trigger volunteer_settings_stamp before update on public.volunteer_settings
  for each row execute function private.stamp_volunteer_settings();

-- Records of hours -------------------------------------------------------------------------------

-- A snapshot of a person's hours for a period, with a random code that anyone can check at
-- /verify/<code>. The server computes the snapshot from the person's attendance and inserts it
-- as the owner, because people may not write their own hours.
create table public.hours_records (
  id uuid primary key default gen_random_uuid(),
  code text not null constraint hours_records_code_unique unique
    constraint hours_records_code_format check (code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
  person_id uuid not null references auth.users (id) on delete cascade,
  display_name text not null,
  total_hours numeric(9, 2) not null constraint hours_records_total_hours_range
    check (total_hours >= 0),
  period_start date not null,
  period_end date not null,
  issued_at timestamptz not null default now(),
  constraint hours_records_period_order check (period_end >= period_start),
  constraint hours_records_one_per_snapshot
    unique (person_id, display_name, total_hours, period_start, period_end)
);

create index hours_records_person_id_idx on public.hours_records (person_id);

-- What a verification page may show: the name, hours and period of one record, nothing else.
-- Holding the code is the permission, so this runs as definer for visitors.
create function private.verify_hours_record(record_code text)
returns table (
  display_name text,
  total_hours numeric,
  period_start date,
  period_end date,
  issued_at timestamptz
)
language sql stable security definer
set search_path = ''
as $$
  select r.display_name, r.total_hours, r.period_start, r.period_end, r.issued_at
  from public.hours_records r
  where r.code = record_code
$$;

-- Privileges and policies ------------------------------------------------------------------------

revoke execute on function private.totp_code(bytea, bigint) from public;
revoke execute on function private.current_totp_step() from public;
revoke execute on function private.checkin_code_state(uuid, text) from public, anon, authenticated;
revoke execute on function private.checkin_secret(uuid) from public, anon;
grant execute on function private.checkin_secret(uuid) to authenticated;
revoke execute on function private.check_in_or_out(uuid, text, text) from public, anon;
grant execute on function private.check_in_or_out(uuid, text, text) to authenticated;
revoke execute on function private.record_attendance(uuid, uuid, timestamptz, timestamptz, text)
  from public, anon;
grant execute on function private.record_attendance(uuid, uuid, timestamptz, timestamptz, text)
  to authenticated;
grant execute on function private.is_ascending_positive(int[]) to anon, authenticated;
revoke execute on function private.verify_hours_record(text) from public;
grant execute on function private.verify_hours_record(text) to anon, authenticated;

alter table public.checkin_secrets enable row level security;
alter table public.attendance enable row level security;
alter table public.attendance_corrections enable row level security;
alter table public.volunteer_settings enable row level security;
alter table public.hours_records enable row level security;

grant select on public.checkin_secrets to authenticated;
grant select on public.attendance to authenticated;
grant select on public.attendance_corrections to authenticated;
grant select on public.volunteer_settings to authenticated;
grant update (star_thresholds) on public.volunteer_settings to authenticated;
grant select on public.hours_records to authenticated;

create policy "staff can read the check-in secrets of their opportunities"
  on public.checkin_secrets
  for select to authenticated using ((select private.is_staff_of_opportunity(opportunity_id)));

create policy "people, staff and coordinators can read attendance" on public.attendance
  for select to authenticated using (
    person_id = (select auth.uid())
    or (select private.is_staff_of_opportunity(opportunity_id))
    or (select private.is_coordinator())
  );

create policy "people, staff and coordinators can read attendance corrections"
  on public.attendance_corrections
  for select to authenticated using (
    person_id = (select auth.uid())
    or (select private.is_staff_of_opportunity(opportunity_id))
    or (select private.is_coordinator())
  );

create policy "signed-in people can read volunteer settings" on public.volunteer_settings
  for select to authenticated using (true);
create policy "coordinators can change volunteer settings" on public.volunteer_settings
  for update to authenticated
  using ((select private.is_coordinator())) with check ((select private.is_coordinator()));

create policy "people can read their own hours records" on public.hours_records
  for select to authenticated using (person_id = (select auth.uid()));
