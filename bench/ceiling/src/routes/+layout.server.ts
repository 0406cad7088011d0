import { getLocale } from '$lib/paraglide/runtime';

/** Returns the app's layout data for a visitor who is not signed in. */
export const load = ({ url }: { url: URL }) => ({
	user: null,
	roles: { isCoordinator: false, memberships: [] },
	locale: getLocale(),
	path: url.pathname + url.search,
	unreadNotifications: 0
});
