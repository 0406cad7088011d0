-- Audit log: an append-only history of status changes, quota changes, attendance edits and
-- membership decisions. After triggers on the watched tables call one definer function, which
-- records who (auth.uid(), null for the system), when, which row, and the values before and after.
-- Nobody can change or remove an entry: the app's roles hold no write grants and a trigger
-- rejects every update, delete and truncate, even by the table owner.

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  table_name text not null,
  row_id text not null,
  action text not null constraint audit_log_action_known
    check (action in ('insert', 'update', 'delete')),
  before jsonb,
  after jsonb
);

create index audit_log_table_row_idx on public.audit_log (table_name, row_id);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);

-- Trigger arguments: the key columns joined by commas (they make row_id, joined by ':'), then
-- the watched columns. An update is recorded only when a watched column changes, with just the
-- changed columns before and after; inserts and deletes keep the whole row. With no watched
-- columns every update is recorded with the whole row.
create function private.record_audit() returns trigger
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
  end if;

  insert into public.audit_log (actor_id, table_name, row_id, action, before, after)
  values (auth.uid(), tg_table_name, row_key, lower(tg_op), old_row, new_row);
  return null;
end
$$;

revoke execute on function private.record_audit() from public;

create trigger audit_opportunity_status
  after update on public.opportunities
  for each row execute function private.record_audit('id', 'status');

create trigger audit_application_status
  after update on public.applications
  for each row execute function private.record_audit('id', 'status');

create trigger audit_organization_status
  after update on public.organizations
  for each row execute function private.record_audit('id', 'status', 'is_active');

create trigger audit_quota_change
  after insert or update on public.quotas
  for each row execute function private.record_audit('year,org_kind', 'public_min', 'self_min');

create trigger audit_attendance_change
  after insert or update on public.attendance
  for each row execute function private.record_audit('opportunity_id,person_id',
    'checked_in_at', 'checked_out_at', 'source');

create trigger audit_membership_change
  after insert or delete on public.org_members
  for each row execute function private.record_audit('organization_id,user_id');

-- History stays as written: no update, delete or truncate, whoever asks.
create function private.reject_audit_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit_log_immutable' using errcode = '42501';
end
$$;

create trigger audit_log_no_change
  before update or delete on public.audit_log
  for each row execute function private.reject_audit_change();

create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.reject_audit_change();

alter table public.audit_log enable row level security;

revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated;

create policy "coordinators can read the audit log" on public.audit_log
  for select to authenticated
  using (private.is_coordinator());
