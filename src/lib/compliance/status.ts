/** The figures of one orbit for one branch and year. */
export type OrbitFigures = { held: number; planned: number; min: number };

export const COMPLIANCE_STATUSES = ['met', 'on_track', 'at_risk', 'behind'] as const;

export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/**
 * Computes the events an orbit's quota expects by now: quota × the share of the year gone by, rounded
 * down to whole events, so no branch falls behind pace on the year's first day.
 */
export function expectedByNow(min: number, elapsedShare: number): number {
	const share = Math.min(1, Math.max(0, elapsedShare));
	// The epsilon keeps 12 × 0.25 from landing just below 3 after floating-point rounding.
	return Math.floor(min * share + 1e-9);
}

/**
 * Rates a branch's year from the pace of its held events, where `elapsedShare` is the share of
 * the Asia/Shanghai year gone by (1 for a past year, 0 for a future one) and "expected" is
 * `expectedByNow(quota, elapsedShare)`:
 *
 * - met: in both orbits, held ≥ quota;
 * - on track: not met, and in both orbits held ≥ expected;
 * - at risk: not on track, but in both orbits held + planned ≥ expected, so the events already
 *   planned would bring the branch back to pace;
 * - behind: anything else.
 *
 * A quota of 0 is met by any count. In a past year expected equals the quota, so a branch that
 * has not met it is at risk only while an event that started in that year has not ended yet.
 */
export function complianceStatus(
	publicOrbit: OrbitFigures,
	selfOrbit: OrbitFigures,
	elapsedShare: number
): ComplianceStatus {
	const orbits = [publicOrbit, selfOrbit];

	if (orbits.every((orbit) => orbit.held >= orbit.min)) {
		return 'met';
	}
	if (orbits.every((orbit) => orbit.held >= expectedByNow(orbit.min, elapsedShare))) {
		return 'on_track';
	}
	if (
		orbits.every((orbit) => orbit.held + orbit.planned >= expectedByNow(orbit.min, elapsedShare))
	) {
		return 'at_risk';
	}
	return 'behind';
}

/** Returns the sort position of a status, from met (0) to behind (3). */
export function statusRank(status: ComplianceStatus): number {
	return COMPLIANCE_STATUSES.indexOf(status);
}
