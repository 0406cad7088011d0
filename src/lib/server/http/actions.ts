import { error, fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { message, type SuperValidated } from 'sveltekit-superforms';
import { z } from 'zod';
import { DomainError } from '../errors';
import { log } from '../log';

/**
 * Runs one domain call for a form action. A domain error becomes `fail(status, { error })` so
 * the page can show its message in place; anything else is a fault and goes to handleError.
 */
export async function act<T, F extends Record<string, unknown> = Record<string, never>>(
	locals: App.Locals,
	what: string,
	work: () => Promise<T>,
	extra?: F
): Promise<T | ActionFailure<F & { error: string }>> {
	try {
		const result = await work();
		log.info({ requestId: locals.requestId, userId: locals.user?.id, action: what }, 'changed');
		return result;
	} catch (caught) {
		if (caught instanceof DomainError) {
			log.info(
				{ requestId: locals.requestId, userId: locals.user?.id, action: what, code: caught.code },
				'rejected'
			);
			return fail(caught.status, { ...(extra ?? ({} as F)), error: caught.code });
		}
		throw caught;
	}
}

/**
 * Runs one domain call for a superforms action. A domain error comes back as the form's
 * message (the error code), with the error's status, so the form shows it above the fields.
 */
export async function actOnForm<T, D extends Record<string, unknown>>(
	locals: App.Locals,
	what: string,
	form: SuperValidated<D, string>,
	work: () => Promise<T>
) {
	try {
		const result = await work();
		log.info({ requestId: locals.requestId, userId: locals.user?.id, action: what }, 'changed');
		return { ok: true as const, result };
	} catch (caught) {
		if (caught instanceof DomainError) {
			log.info(
				{ requestId: locals.requestId, userId: locals.user?.id, action: what, code: caught.code },
				'rejected'
			);
			const status = caught.status as 400 | 401 | 403 | 404 | 409 | 410 | 429;
			return { ok: false as const, failure: message(form, caught.code, { status }) };
		}
		throw caught;
	}
}

/** Throws the HTTP error for a domain error in a load function. */
export async function loadOr404<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (caught) {
		if (caught instanceof DomainError) {
			error(caught.status, caught.code);
		}
		throw caught;
	}
}

/** Parses a route's id parameter, throwing a 404 when it is not a UUID. */
export function parseId(value: string | undefined): string {
	const parsed = z.uuid().safeParse(value);
	if (!parsed.success) {
		error(404, 'not_found');
	}
	return parsed.data;
}

/** Returns the signed-in user, or throws a 401 for a visitor. */
export function requireUser(locals: App.Locals): NonNullable<App.Locals['actor']> {
	if (!locals.actor) {
		error(401, 'not_signed_in');
	}
	return locals.actor;
}

/** Returns the signed-in user for a page load, or redirects a visitor to sign in and back. */
export function requireUserOrSignIn(
	locals: App.Locals,
	url: URL
): NonNullable<App.Locals['actor']> {
	if (!locals.actor) {
		redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return locals.actor;
}
