import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';
import { requireActor } from './shared';

export type { ApplicationStatus } from './shared';
export {
	applyToOpportunity,
	getApplyContext,
	submitApplication,
	type ApplyContext,
	type ApplyOutcome,
	type ApplyResult,
	type Guardian,
	type MissingFields,
	type OverlappingEvent
} from './apply';
export { listApplicants, listMyApplications, type Applicant, type MyApplication } from './lists';

/**
 * Withdraws the actor's application, accepted or waitlisted; allowed until the opportunity
 * starts. A freed place goes to the head of the waitlist in the same transaction (a trigger).
 * The opportunity is locked first, as private.lock_opportunity explains.
 */
export async function withdrawApplication(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			await tx`select private.lock_opportunity(${opportunityId})`;
			const updated = await tx`
				update public.applications set status = 'withdrawn'
				where opportunity_id = ${opportunityId} and applicant_id = ${actor.id}
					and status in ('accepted', 'waitlisted')
				returning id
			`;
			if (updated.length === 0) {
				throw new DomainError('not_applied');
			}
		})
	);
}

/**
 * Declines an accepted or waitlisted applicant, as staff of the opportunity. A freed place goes
 * to the head of the waitlist in the same transaction.
 */
export async function declineApplication(
	db: Database,
	actor: Actor,
	opportunityId: string,
	applicantId: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const [isStaff] = await tx<{ allowed: boolean }[]>`
				select private.is_staff_of_opportunity(${opportunityId}) as allowed
			`;
			if (!isStaff?.allowed) {
				throw new DomainError('not_allowed');
			}
			await tx`select private.lock_opportunity(${opportunityId})`;
			const updated = await tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${opportunityId} and applicant_id = ${applicantId}
					and status in ('accepted', 'waitlisted')
				returning id
			`;
			if (updated.length === 0) {
				throw new DomainError('applicant_not_active');
			}
		})
	);
}
