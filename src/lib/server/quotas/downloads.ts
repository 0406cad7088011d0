import type { RequestEvent } from '@sveltejs/kit';
import { db } from '../db';
import { loadOr404, parseId, requireUser } from '../http/actions';
import { requireCoordinator } from '../organizations/access';
import { loadBranchDrillDown, loadDashboard } from './dashboard';
import { csvResponse, xlsxResponse, type ExportTable } from './export';
import { readDashboardParams, readDrillDownParams } from './params';
import { dashboardTable, eventsTable } from './tables';

export type ExportFormat = 'csv' | 'xlsx';

function respond(table: ExportTable, fileName: string, format: ExportFormat) {
	return format === 'csv' ? csvResponse(table, fileName) : xlsxResponse(table, fileName);
}

/**
 * Sends the dashboard table, with the page's filters and sort, as CSV or XLSX. Visitors get a
 * 401 and anyone but a coordinator a 403; the database functions check the same again.
 */
export async function exportDashboard(event: RequestEvent, format: ExportFormat) {
	const actor = requireUser(event.locals);
	requireCoordinator(event.locals);
	const params = await readDashboardParams(db(), actor, event.url);
	const dashboard = await loadOr404(() => loadDashboard(db(), actor, params.filters));
	const table = dashboardTable(dashboard, params.towns, params.branchKinds);
	return respond(table, `compliance-${dashboard.year}`, format);
}

/** Sends the events of one branch's drill-down page as CSV or XLSX, with the same checks. */
export async function exportBranchEvents(event: RequestEvent, format: ExportFormat) {
	const actor = requireUser(event.locals);
	requireCoordinator(event.locals);
	const organizationId = parseId(event.params.orgId);
	const filters = readDrillDownParams(event.url);
	const drillDown = await loadOr404(() =>
		loadBranchDrillDown(db(), actor, organizationId, filters)
	);
	const parts = [drillDown.year, filters.orbit, filters.state].filter(Boolean).join('-');
	return respond(eventsTable(drillDown), `compliance-events-${parts}`, format);
}
