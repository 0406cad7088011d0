import { demoAttendance } from '../attendance/demo';
import type { Sql, Tx } from '../db';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, generateDemo, type Demo } from './generate';

const BATCH = 2000;

type Row = Record<string, string | number | boolean | Date | null>;

async function insertInBatches(
	tx: Tx,
	table: string,
	rows: Row[],
	columns: string[]
): Promise<void> {
	for (let start = 0; start < rows.length; start += BATCH) {
		const batch = rows.slice(start, start + BATCH);
		await tx`insert into ${tx(table)} ${tx(batch, ...columns)}`;
	}
}

/**
 * Writes a generated demo in one transaction. Triggers are off while it loads (replica mode),
 * so past events can carry applications; the derived counts are set afterwards. Every person's
 * password is the demo password, hashed once.
 */
export async function loadDemo(sql: Sql, demo: Demo): Promise<void> {
	await sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		const [hash] = await tx<{ hash: string }[]>`
			select extensions.crypt(${DEMO_PASSWORD}, extensions.gen_salt('bf', 10)) as hash
		`;
		const encryptedPassword = hash!.hash;

		await insertInBatches(
			tx,
			'auth.users',
			demo.people.map((person) => ({
				id: person.id,
				email: person.email,
				encrypted_password: encryptedPassword,
				email_confirmed_at: new Date(),
				raw_user_meta_data: JSON.stringify({ display_name: person.displayName })
			})),
			['id', 'email', 'encrypted_password', 'email_confirmed_at', 'raw_user_meta_data']
		);
		await insertInBatches(
			tx,
			'public.profiles',
			demo.people.map((person) => ({
				id: person.id,
				display_name: person.displayName,
				birth_date: person.birthDate
			})),
			['id', 'display_name', 'birth_date']
		);
		await insertInBatches(
			tx,
			'public.coordinators',
			demo.coordinatorIds.map((id) => ({ user_id: id })),
			['user_id']
		);
		await insertInBatches(
			tx,
			'public.organizations',
			demo.organizations.map((organization) => ({
				id: organization.id,
				name: organization.name,
				kind: organization.kind,
				parent_id: organization.parentId,
				town_code: organization.townCode,
				status: organization.status,
				contact_name: organization.contactName,
				contact_phone: organization.contactPhone,
				verified_at: organization.status === 'verified' ? new Date() : null
			})),
			[
				'id',
				'name',
				'kind',
				'parent_id',
				'town_code',
				'status',
				'contact_name',
				'contact_phone',
				'verified_at'
			]
		);
		await insertInBatches(
			tx,
			'public.org_members',
			demo.members.map((member) => ({
				organization_id: member.organizationId,
				user_id: member.userId,
				role: member.role
			})),
			['organization_id', 'user_id', 'role']
		);
		await insertInBatches(
			tx,
			'public.opportunities',
			demo.events.map((event) => ({
				id: event.id,
				organization_id: event.organizationId,
				kind: 'event',
				title: event.title,
				description: event.description,
				town_code: event.townCode,
				place: event.place,
				starts_at: event.startsAt,
				ends_at: event.endsAt,
				apply_opens_at: event.applyOpensAt,
				apply_closes_at: event.applyClosesAt,
				capacity: event.capacity,
				status: event.status,
				published_at: event.status === 'draft' ? null : event.applyOpensAt,
				cancelled_at: event.status === 'cancelled' ? event.applyOpensAt : null
			})),
			[
				'id',
				'organization_id',
				'kind',
				'title',
				'description',
				'town_code',
				'place',
				'starts_at',
				'ends_at',
				'apply_opens_at',
				'apply_closes_at',
				'capacity',
				'status',
				'published_at',
				'cancelled_at'
			]
		);
		await insertInBatches(
			tx,
			'public.events',
			demo.events.map((event) => ({
				opportunity_id: event.id,
				orbit: event.orbit,
				theme: event.theme
			})),
			['opportunity_id', 'orbit', 'theme']
		);
		await insertInBatches(
			tx,
			'public.applications',
			demo.applications.map((application) => ({
				opportunity_id: application.opportunityId,
				applicant_id: application.applicantId,
				status: application.status,
				created_at: application.createdAt,
				updated_at: application.createdAt
			})),
			['opportunity_id', 'applicant_id', 'status', 'created_at', 'updated_at']
		);
		await insertInBatches(tx, 'public.attendance', demoAttendance(demo, new Date()), [
			'opportunity_id',
			'person_id',
			'checked_in_at',
			'checked_out_at',
			'source'
		]);
		await tx`
			update public.opportunities o set accepted_count = counted.accepted
			from (
				select opportunity_id, count(*)::int as accepted from public.applications
				where status = 'accepted' group by opportunity_id
			) counted
			where counted.opportunity_id = o.id
		`;
	});
}

/** Whether the demo accounts exist already, so a restart loads nothing twice. */
export async function isDemoLoaded(sql: Sql): Promise<boolean> {
	const [row] = await sql`select 1 from auth.users where email = ${DEMO_ACCOUNTS.youth}`;
	return Boolean(row);
}

/** Loads the standard demo unless it is there already. Returns whether it loaded anything. */
export async function ensureDemo(sql: Sql, now = new Date()): Promise<boolean> {
	if (await isDemoLoaded(sql)) {
		return false;
	}
	await loadDemo(sql, generateDemo({ now }));
	return true;
}
