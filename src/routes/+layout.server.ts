import { getLocale } from '$lib/paraglide/runtime';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	user: locals.user ? { id: locals.user.id, email: locals.user.email } : null,
	roles: locals.roles,
	locale: getLocale(),
	path: url.pathname + url.search
});
