export type OpportunityStatus = 'draft' | 'published' | 'cancelled';

/** Where an event is in its life cycle; 'held' is derived: published and already ended. */
export type EventPhase = OpportunityStatus | 'held';

export function eventPhase(status: OpportunityStatus, endsAt: Date, now: Date): EventPhase {
	return status === 'published' && endsAt.getTime() <= now.getTime() ? 'held' : status;
}
