import { DateTime } from 'luxon';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { ZONE } from '$lib/time';
import type { OrgKind, Town } from '../reference';
import type { BranchDrillDown, Dashboard } from './dashboard';
import type { ExportTable } from './export';

const STATUS_LABELS = {
	met: m.compliance_status_met,
	on_track: m.compliance_status_on_track,
	at_risk: m.compliance_status_at_risk,
	behind: m.compliance_status_behind
} as const;

function localName(item: { nameZh: string; nameEn: string } | undefined): string {
	if (!item) {
		return '';
	}
	return getLocale() === 'zh' ? item.nameZh : item.nameEn;
}

/** Builds the export table of the dashboard's rows, in the order and language of the page. */
export function dashboardTable(dashboard: Dashboard, towns: Town[], kinds: OrgKind[]): ExportTable {
	return {
		title: `${m.compliance_title()} ${dashboard.year}`,
		headers: [
			m.field_branch(),
			m.field_kind(),
			m.field_town(),
			m.compliance_column_public_held(),
			m.compliance_column_public_planned(),
			m.compliance_column_public_min(),
			m.compliance_column_self_held(),
			m.compliance_column_self_planned(),
			m.compliance_column_self_min(),
			m.field_status()
		],
		rows: dashboard.rows.map((row) => [
			row.organizationName,
			localName(kinds.find((kind) => kind.code === row.orgKind)),
			localName(towns.find((town) => town.code === row.townCode)),
			row.publicHeld,
			row.publicPlanned,
			row.publicMin,
			row.selfHeld,
			row.selfPlanned,
			row.selfMin,
			STATUS_LABELS[row.status]()
		])
	};
}

function shanghaiTime(value: Date): string {
	return DateTime.fromJSDate(value, { zone: ZONE }).toFormat('yyyy-LL-dd HH:mm');
}

/** Builds the export table of a drill-down page's events, with times in Asia/Shanghai. */
export function eventsTable(drillDown: BranchDrillDown): ExportTable {
	return {
		title: `${drillDown.branch.organizationName} ${drillDown.year}`,
		headers: [
			m.field_title(),
			m.field_starts_at(),
			m.field_ends_at(),
			m.field_orbit(),
			m.field_status()
		],
		rows: drillDown.events.map((event) => [
			event.title,
			shanghaiTime(event.startsAt),
			shanghaiTime(event.endsAt),
			event.orbit === 'public' ? m.orbit_public() : m.orbit_self(),
			event.isHeld ? m.compliance_state_held() : m.compliance_state_planned()
		])
	};
}
