export type OpportunityStatus = 'draft' | 'published' | 'cancelled';

/** Life cycle stage of an event. 'held' is derived: a published event that has ended. */
export type EventPhase = OpportunityStatus | 'held';

export function eventPhase(status: OpportunityStatus, endsAt: Date, now: Date): EventPhase {
	return status === 'published' && endsAt.getTime() <= now.getTime() ? 'held' : status;
}
