/** A post-sign-in destination on this site, or the home page. */
export function safeNext(value: string | null): string {
	if (value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) {
		return value;
	}
	return '/';
}
