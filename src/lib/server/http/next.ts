const PLACEHOLDER_ORIGIN = 'http://this.site';

/**
 * Returns a path on this site to redirect to after an action, or the home page. Control
 * characters and backslashes are rejected outright, because browsers drop or rewrite them, which
 * can turn `/<TAB>/host` into `//host`, another site. The rest must resolve to this site's origin.
 */
export function safeNext(value: string | null | undefined): string {
	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	if (!value || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) {
		return '/';
	}
	let resolved: URL;
	try {
		resolved = new URL(value, PLACEHOLDER_ORIGIN);
	} catch {
		return '/';
	}
	if (resolved.origin !== PLACEHOLDER_ORIGIN) {
		return '/';
	}
	return resolved.pathname + resolved.search + resolved.hash;
}
