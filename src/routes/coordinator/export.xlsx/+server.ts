import { exportDashboard } from '$lib/server/quotas/downloads';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => exportDashboard(event, 'xlsx');
