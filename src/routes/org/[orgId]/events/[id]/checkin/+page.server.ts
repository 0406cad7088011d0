import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { getCheckinScreen } from '$lib/server/attendance/screen';
import { db } from '$lib/server/db';
import { loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireMembership } from '$lib/server/organizations/access';
import type { PageServerLoad } from './$types';

/** Maximum seconds between reloads while the screen waits for check-in to open. */
const MAX_WAIT_SECONDS = 300;

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	const opportunityId = parseId(params.id);
	requireMembership(locals, organizationId);

	const now = new Date();
	const screen = await loadOr404(() => getCheckinScreen(db(), actor, opportunityId, now));
	if (screen.organizationId !== organizationId) {
		error(404, 'not_found');
	}

	let qr: string | null = null;
	let checkinUrl: string | null = null;
	let refreshSeconds: number | null = null;
	if (screen.code && screen.expiresAt) {
		checkinUrl = `${url.origin}/checkin/${opportunityId}?code=${screen.code}`;
		const svg = await QRCode.toString(checkinUrl, { type: 'svg', margin: 2 });
		qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
		// Reload just after the code changes; a second late is harmless because the previous
		// code is still accepted for one more window.
		refreshSeconds = Math.ceil((screen.expiresAt.getTime() - now.getTime()) / 1000) + 1;
	} else if (screen.phase === 'before') {
		const opensIn = Math.ceil((screen.startsAt.getTime() - 30 * 60_000 - now.getTime()) / 1000);
		refreshSeconds = Math.max(5, Math.min(MAX_WAIT_SECONDS, opensIn + 1));
	}
	return { screen, qr, checkinUrl, refreshSeconds };
};
