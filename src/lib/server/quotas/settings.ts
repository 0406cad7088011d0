import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

/** The quota of one kind of league branch for one year. */
export type QuotaSetting = {
	orgKind: string;
	publicMin: number;
	selfMin: number;
	/** False while the kind still has the default of 4 and 12. */
	isSet: boolean;
	updatedAt: Date | null;
};

/** Lists the quota of every kind of league branch for a year. Only coordinators may read it. */
export async function listQuotas(
	db: Database,
	actor: Actor,
	year: number
): Promise<QuotaSetting[]> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	return translateErrors(
		db.as(
			actor,
			(tx) => tx<QuotaSetting[]>`
				select org_kind as "orgKind", public_min as "publicMin", self_min as "selfMin",
					is_set as "isSet", updated_at as "updatedAt"
				from public.quota_settings(${year})
			`
		)
	);
}

/**
 * Sets the quota of one kind of league branch for one year. Quotas are keyed by year and kind,
 * so no other year's or kind's figures change. Row level security lets only coordinators write,
 * and a trigger rejects kinds that are not league branches.
 */
/** One kind's quota for one year, as whole numbers. */
export type QuotaValues = { year: number; orgKind: string; publicMin: number; selfMin: number };

export async function setQuota(db: Database, actor: Actor, input: QuotaValues): Promise<void> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	await translateErrors(
		db.as(
			actor,
			(tx) => tx`
				insert into public.quotas (year, org_kind, public_min, self_min)
				values (${input.year}, ${input.orgKind}, ${input.publicMin}, ${input.selfMin})
				on conflict (year, org_kind) do update
				set public_min = excluded.public_min, self_min = excluded.self_min
			`
		)
	);
}
