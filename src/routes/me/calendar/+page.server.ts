import { fail } from '@sveltejs/kit';
import { getCalendarFeedState, resetCalendarFeed } from '$lib/server/calendar/feeds';
import { db } from '$lib/server/db';
import { act, requireUserOrSignIn } from '$lib/server/http/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	return { feed: await getCalendarFeedState(db(), actor) };
};

export const actions: Actions = {
	reset: async ({ locals, url }) => {
		if (!locals.actor) {
			return fail(401, { error: 'not_signed_in' });
		}
		const token = await act(locals, 'reset calendar feed', () =>
			resetCalendarFeed(db(), locals.actor)
		);
		if (typeof token !== 'string') {
			return token;
		}
		const feedUrl = new URL(`/calendar/${token}.ics`, url.origin);
		return {
			httpsUrl: feedUrl.href,
			webcalUrl: feedUrl.href.replace(/^https?:/, 'webcal:')
		};
	}
};
