import type { Actor } from '../db';
import { DomainError } from '../errors';

export type ApplicationStatus = 'accepted' | 'waitlisted' | 'withdrawn' | 'declined';

export function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}
