import { exportBranchEvents } from '$lib/server/quotas/downloads';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

export const GET: RequestHandler = withMessages((event) => exportBranchEvents(event, 'csv'));
