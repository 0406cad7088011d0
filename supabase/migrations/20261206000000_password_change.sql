-- Password changes for local accounts, an audit log that replica mode cannot bypass, and audit
-- entries for the decisions the first audit triggers missed.

-- Password change --------------------------------------------------------------------------------

-- Checks a local account's current password and, when it matches, stores a bcrypt hash of the
-- new one, revokes every session of the account and records the change in the audit log, all in
-- the caller's transaction. Returns false, changing nothing, when the current password is wrong.
-- The new password follows the sign-up rule of 8 to 200 characters. Only the server calls this,
-- as the owner, after it has counted the attempt against the sign-in failure limit.
create function private.change_password(
  target uuid,
  current_password text,
  new_password text
) returns boolean
language plpgsql
set search_path = ''
as $$
declare
  stored text;
  revoked int;
begin
  if new_password is null or char_length(new_password) not between 8 and 200 then
    raise exception 'invalid_input' using errcode = 'P0001';
  end if;
  select u.encrypted_password into stored from auth.users u where u.id = target for update;
  if stored is null or current_password is null
     or stored is distinct from extensions.crypt(current_password, stored) then
    return false;
  end if;

  update auth.users
    set encrypted_password = extensions.crypt(new_password, extensions.gen_salt('bf', 10)),
      updated_at = now()
    where id = target;
  update private.sessions set revoked_at = now()
    where user_id = target and revoked_at is null;
  get diagnostics revoked = row_count;

  insert into public.audit_log (actor_id, table_name, row_id, action, before, after)
  values (target, 'users', target::text, 'update', null,
    jsonb_build_object('password_changed', true, 'sessions_revoked', revoked));
  return true;
end
$$;

revoke execute on function private.change_password(uuid, text, text) from public;

-- Records a password change made elsewhere (Supabase Auth) for the signed-in person. It writes
-- nothing but the fact of the change, and only about the caller.
create function private.record_password_change() returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  acting uuid := (select auth.uid());
begin
  if acting is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  insert into public.audit_log (actor_id, table_name, row_id, action, before, after)
  values (acting, 'users', acting::text, 'update', null,
    jsonb_build_object('password_changed', true));
end
$$;

revoke execute on function private.record_password_change() from public, anon;
grant execute on function private.record_password_change() to authenticated;

-- Audit log guards in replica mode ----------------------------------------------------------------

-- The demo loader and db:restore set session_replication_role = replica, which skips every
-- ordinary trigger. The guards fire in every mode, so no session can rewrite history that way.
-- db:restore, which must replace the log, disables them by name inside its own transaction.
alter table public.audit_log enable always trigger audit_log_no_change;
alter table public.audit_log enable always trigger audit_log_no_truncate;

-- Audit coverage -----------------------------------------------------------------------------------

-- Same as before, except that an insert or delete on a trigger with watched columns records only
-- the key and watched columns, so a watched table's other columns (a guardian's phone number on
-- an application, say) never reach the log, which cannot be edited afterwards.
create or replace function private.record_audit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  source_row jsonb := coalesce(new_row, old_row);
  key_columns text[] := string_to_array(tg_argv[0], ',');
  watched text[] := tg_argv[1:tg_nargs - 1];
  changed text[];
  row_key text;
begin
  select string_agg(source_row ->> key_column, ':' order by position)
    into row_key
    from unnest(key_columns) with ordinality as keys (key_column, position);

  if tg_op = 'UPDATE' then
    if cardinality(watched) = 0 then
      if old_row = new_row then
        return null;
      end if;
    else
      select array_agg(column_name) into changed
        from unnest(watched) as column_name
        where old_row -> column_name is distinct from new_row -> column_name;
      if changed is null then
        return null;
      end if;
      select jsonb_object_agg(column_name, old_row -> column_name) into old_row
        from unnest(changed) as column_name;
      select jsonb_object_agg(column_name, new_row -> column_name) into new_row
        from unnest(changed) as column_name;
    end if;
  elsif cardinality(watched) > 0 then
    select jsonb_object_agg(column_name, source_row -> column_name) into source_row
      from unnest(key_columns || watched) as column_name;
    if tg_op = 'INSERT' then
      new_row := source_row;
    else
      old_row := source_row;
    end if;
  end if;

  insert into public.audit_log (actor_id, table_name, row_id, action, before, after)
  values (auth.uid(), tg_table_name, row_key, lower(tg_op), old_row, new_row);
  return null;
end
$$;

-- "Apply anyway": the applicant saw that the event overlaps events they are accepted for and
-- applied all the same. Set by the server from the apply form, recorded by the audit trigger.
alter table public.applications
  add column overlap_confirmed boolean not null default false;

grant update (overlap_confirmed) on public.applications to authenticated;

-- An application's first status is a decision too (a place or the waitlist), so inserts are
-- recorded as well as later changes.
drop trigger audit_application_status on public.applications;
create trigger audit_application_status
  after insert or update on public.applications
  for each row execute function private.record_audit('id',
    'opportunity_id', 'applicant_id', 'status', 'overlap_confirmed');

-- A branch added by a coordinator is verified at once, and a registration starts as pending.
drop trigger audit_organization_status on public.organizations;
create trigger audit_organization_status
  after insert or update on public.organizations
  for each row execute function private.record_audit('id', 'status', 'is_active', 'parent_id');

-- A role change is a membership decision like joining and leaving.
drop trigger audit_membership_change on public.org_members;
create trigger audit_membership_change
  after insert or update or delete on public.org_members
  for each row execute function private.record_audit('organization_id,user_id');

create trigger audit_coordinator_change
  after insert or delete on public.coordinators
  for each row execute function private.record_audit('user_id');

-- A staff override of attendance keeps its reason next to the times it changed.
create trigger audit_attendance_correction
  after insert on public.attendance_corrections
  for each row execute function private.record_audit('id');

create trigger audit_star_thresholds
  after update on public.volunteer_settings
  for each row execute function private.record_audit('id', 'star_thresholds');
