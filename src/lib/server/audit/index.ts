import type { AuditTable } from '$lib/forms/audit';
import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

export type AuditEntry = {
	id: string;
	occurredAt: Date;
	actorName: string | null;
	tableName: AuditTable;
	rowId: string;
	action: 'insert' | 'update' | 'delete';
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
};

/** How many entries the coordinator page shows. */
export const AUDIT_PAGE_SIZE = 200;

/**
 * The latest audit entries, newest first, optionally of one table. Only coordinators may read
 * the log; the policy on public.audit_log enforces the same rule.
 */
export async function listAuditEntries(
	db: Database,
	actor: Actor,
	table: AuditTable | null
): Promise<AuditEntry[]> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	return translateErrors(
		db.as(actor, async (tx) => {
			const [coordinator] = await tx<{ allowed: boolean }[]>`
				select private.is_coordinator() as allowed
			`;
			if (!coordinator?.allowed) {
				throw new DomainError('not_allowed');
			}
			return tx<AuditEntry[]>`
				select a.id::text as id, a.occurred_at as "occurredAt", p.display_name as "actorName",
					a.table_name as "tableName", a.row_id as "rowId", a.action, a.before, a.after
				from public.audit_log a
				left join public.profiles p on p.id = a.actor_id
				where ${table}::text is null or a.table_name = ${table}
				order by a.occurred_at desc, a.id desc
				limit ${AUDIT_PAGE_SIZE}
			`;
		})
	);
}
