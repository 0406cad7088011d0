-- Organization management: members of one organization can read each other's names, every
-- organization keeps at least one admin, and the holder of an invitation link can see what it
-- offers before accepting it.

-- Whether the acting user and this person are members of one organization.
create function private.is_fellow_member(person uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.org_members mine
    join public.org_members theirs on theirs.organization_id = mine.organization_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = person
  )
$$;

revoke execute on function private.is_fellow_member(uuid) from public;
grant execute on function private.is_fellow_member(uuid) to authenticated;

create policy "members can read profiles of fellow members" on public.profiles
  for select to authenticated using ((select private.is_fellow_member(id)));

-- An organization keeps at least one admin, so that someone can always manage its members.
-- Removals by people are checked; deletes cascading from a removed organization or account run
-- as the table owner and pass. The advisory lock (class 7301, keyed by the organization) makes
-- two admins removing each other at once count one after the other.
create function private.keep_one_admin() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.role <> 'admin' or current_user not in ('authenticated', 'anon') then
    return old;
  end if;

  perform pg_advisory_xact_lock(7301, hashtext(old.organization_id::text));
  if not exists (
    select 1 from public.org_members
    where organization_id = old.organization_id and role = 'admin' and user_id <> old.user_id
  ) then
    raise exception 'last_admin' using errcode = 'P0001';
  end if;
  return old;
end
$$;

create trigger org_members_keep_one_admin before delete on public.org_members
  for each row execute function private.keep_one_admin();

-- What an invitation link offers: the organization, the role, and whether the link can still be
-- used. Holding the token is the permission, as it is for private.accept_invitation, so this
-- runs as definer and finds the invitation only by the token's hash.
create function private.invitation_preview(token text)
returns table (
  organization_id uuid,
  organization_name text,
  role public.member_role,
  expires_at timestamptz,
  state text
)
language sql stable security definer
set search_path = ''
as $$
  select i.organization_id, o.name, i.role, i.expires_at,
    case
      when i.used_at is not null then 'used'
      when i.expires_at <= now() then 'expired'
      else 'open'
    end
  from public.org_invitations i
  join public.organizations o on o.id = i.organization_id
  where i.token_hash = extensions.digest(token, 'sha256')
$$;

revoke execute on function private.invitation_preview(text) from public;
grant execute on function private.invitation_preview(text) to anon, authenticated;

-- A branch that a coordinator adds has no members, so coordinators may invite its first admin.
create policy "coordinators can create invitations" on public.org_invitations
  for insert to authenticated with check (
    (select private.is_coordinator()) and created_by = (select auth.uid())
  );
