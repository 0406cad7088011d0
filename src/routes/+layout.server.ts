import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { countUnreadNotifications } from '$lib/server/notifications';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => ({
	user: locals.user ? { id: locals.user.id, email: locals.user.email } : null,
	roles: locals.roles,
	locale: getLocale(),
	path: url.pathname + url.search,
	unreadNotifications: await countUnreadNotifications(db(), locals.actor)
});
