import { DEMO_PASSWORD, localInput } from './support';

// The fuzz cases: a table of field kinds and the values each kind rejects, every form action,
// endpoint and page with its fields and parameters, and the generator that turns them into
// requests. fuzz.spec.ts sends them.

export type Role = 'visitor' | 'youth' | 'staff' | 'coordinator';
export type Language = 'zh' | 'en';

/** Fixtures the cases name: ids of rows made before the first digest is taken. */
export type Ids = {
	staffOrg: string;
	otherOrg: string;
	/** A verified organization that is not a league branch. */
	hostOrg: string;
	branch: string;
	event: string;
	draftEvent: string;
	applicant: string;
	youth: string;
	staff: string;
	invitation: string;
};

const LONG = 'x'.repeat(20_000);
export const SQL = "' OR '1'='1'; DROP TABLE public.opportunities; --";
export const HTML = '<script>window.__xss=1</script>';
export const IMG = '"><img src=x onerror="window.__xss=1">';
const UNKNOWN_ID = '6f1c1a2e-5b0a-4c55-8a57-0f1f3b7d2c11';

/** Values no field of a kind accepts. */
const BAD = {
	uuid: ['', ' ', 'not-a-uuid', SQL, HTML, '6f1c1a2e-5b0a-4c55-8a57-0f1f3b7d2c1Z', LONG, 'NaN'],
	optionalUuid: ['not-a-uuid', SQL, IMG, '6f1c1a2e5b0a4c558a570f1f3b7d2c11x', LONG],
	text: ['', '   ', 'a\u0000b', 'a\nb', 'a\u0007b', LONG],
	optionalText: ['a\u0000b', 'a\nb', 'a\u001bb', LONG],
	multiline: ['a\u0000b', 'a\u0008b', LONG],
	dateTime: [
		'',
		'0000-01-01T10:00',
		'99999-01-01T10:00',
		'1900-01-01T10:00',
		'2026-02-30T10:00',
		'2026-13-01T10:00',
		'2026-01-01T24:61',
		'not a date',
		'2026-01-01',
		'1e309',
		SQL,
		HTML,
		LONG
	],
	optionalDateTime: ['0000-01-01T10:00', '99999-12-31T23:59', '1900-01-01T10:00', 'NaN', SQL],
	birthDate: ['0000-01-01', '99999-01-01', '1899-12-31', '2026-02-30', '2099-01-01', 'NaN', SQL],
	whole: ['', '-1', '1e309', 'NaN', 'Infinity', '0x10', '1.5', '99999999999999999999', '1,000'],
	number: ['NaN', '1e309', '-1', '0', '31', '1.5', 'abc', SQL],
	code: ['ZHAOBAOSHAN', SQL, HTML, 'a'.repeat(41), 'zhao-bao', LONG],
	requiredCode: ['', 'ZHAOBAOSHAN', SQL, HTML, 'a'.repeat(41), LONG],
	email: ['', 'not-an-email', 'a@', `${HTML}@x.cn`, SQL, `${'x'.repeat(250)}@x.cn`, LONG],
	password: ['', 'short', 'x'.repeat(201), 'abcdefgh\u0000'],
	signInPassword: ['', 'x'.repeat(201), 'abc\u0000'],
	phone: ['', 'abc', '1', '1'.repeat(21), HTML, SQL],
	optionalPhone: ['abc', '1', '1'.repeat(21), HTML, SQL],
	checkinCode: ['', '12345', '1234567', 'abcdef', '１２３４５６', '-12345', '1e5000', SQL, LONG],
	orbit: ['', 'sideways', 'PUBLIC', SQL, HTML],
	role: ['owner', 'ADMIN', SQL, HTML, LONG]
} as const;

type Kind = keyof typeof BAD;
type Field = { kind: Kind; valid: string; also?: string[] };

/** A form action: who may use it, its valid fields, and the cases beyond the generated ones. */
type ActionSpec = {
	role: Role;
	params?: (ids: Ids) => Record<string, string>;
	fields?: (ids: Ids) => Record<string, Field>;
	superforms?: boolean;
	/** Roles that must be rejected even with valid fields. */
	outsiders?: Role[];
	/** Well-formed input the rules reject: unknown ids, the wrong state, a duplicate name. */
	rejected?: (ids: Ids) => Rejected[];
};

type Rejected = {
	label: string;
	fields: Record<string, string>;
	params?: Record<string, string>;
	/** A wrong password, which the sign-in limits count by design. */
	countsFailure?: boolean;
};

const eventFields = (): Record<string, Field> => ({
	title: { kind: 'text', valid: '模糊测试活动', also: ['a', 'x'.repeat(121)] },
	description: { kind: 'multiline', valid: '', also: ['x'.repeat(5001)] },
	theme: { kind: 'optionalText', valid: '', also: ['x'.repeat(61)] },
	orbit: { kind: 'orbit', valid: 'self' },
	townCode: { kind: 'code', valid: '' },
	place: { kind: 'optionalText', valid: '', also: ['x'.repeat(201)] },
	startsAt: { kind: 'dateTime', valid: localInput(20, 9) },
	endsAt: { kind: 'dateTime', valid: localInput(20, 11), also: [localInput(20, 8)] },
	applyOpensAt: { kind: 'dateTime', valid: localInput(1, 9) },
	applyClosesAt: { kind: 'dateTime', valid: localInput(19, 9), also: [localInput(21, 9)] },
	capacity: { kind: 'whole', valid: '10', also: ['0', '100001'] }
});

const organizationFields = (): Record<string, Field> => ({
	name: { kind: 'text', valid: '模糊测试组织', also: ['a', 'x'.repeat(81)] },
	kind: { kind: 'requiredCode', valid: 'social_organization' },
	parentId: { kind: 'optionalUuid', valid: '' },
	townCode: { kind: 'code', valid: '' },
	contactName: { kind: 'text', valid: '联系人', also: ['x'.repeat(61)] },
	contactPhone: { kind: 'phone', valid: '13800000000' }
});

const chooseOrganization = (ids: Ids): Record<string, Field> => ({
	organizationId: { kind: 'uuid', valid: ids.branch }
});

/** Verify or reject: both must turn down an organization already reviewed and an unknown one. */
const review = (outsiders: Role[]): ActionSpec => ({
	role: 'coordinator',
	outsiders,
	fields: chooseOrganization,
	rejected: (ids) => [
		{ label: 'already verified', fields: { organizationId: ids.branch } },
		{ label: 'unknown', fields: { organizationId: UNKNOWN_ID } }
	]
});

export const ACTIONS: Record<string, ActionSpec> = {
	'POST /signin?/default': {
		role: 'visitor',
		superforms: true,
		fields: () => ({
			email: { kind: 'email', valid: 'youth@demo.local' },
			password: { kind: 'signInPassword', valid: DEMO_PASSWORD }
		}),
		rejected: (): Rejected[] => [
			{
				label: 'wrong password',
				fields: { email: 'youth@demo.local', password: SQL },
				countsFailure: true
			},
			{
				label: 'unknown email',
				fields: { email: "o'reilly@test.local", password: SQL },
				countsFailure: true
			}
		]
	},
	'POST /signup?/default': {
		role: 'visitor',
		superforms: true,
		fields: () => ({
			displayName: { kind: 'text', valid: '模糊测试', also: ['x'.repeat(61)] },
			email: { kind: 'email', valid: 'fuzz-new@test.local' },
			password: { kind: 'password', valid: 'long-enough-password' }
		}),
		rejected: (): Rejected[] => [
			{
				label: 'taken email',
				fields: { displayName: '重复', email: 'YOUTH@demo.local', password: 'long-enough-password' }
			}
		]
	},
	'POST /signout?/default': { role: 'youth' },
	'POST /me/password?/default': {
		role: 'youth',
		superforms: true,
		outsiders: ['visitor'],
		fields: () => ({
			currentPassword: { kind: 'signInPassword', valid: DEMO_PASSWORD },
			newPassword: { kind: 'password', valid: 'another-long-password', also: [DEMO_PASSWORD] },
			confirmPassword: { kind: 'signInPassword', valid: 'another-long-password', also: ['other'] }
		}),
		rejected: (): Rejected[] => [
			{
				label: 'wrong current password',
				fields: {
					currentPassword: SQL,
					newPassword: 'another-long-password',
					confirmPassword: 'another-long-password'
				},
				countsFailure: true
			}
		]
	},
	'POST /checkin/[opportunityId]?/checkIn': {
		role: 'youth',
		superforms: true,
		params: (ids) => ({ opportunityId: ids.event }),
		fields: () => ({ code: { kind: 'checkinCode', valid: '123456' } }),
		rejected: (): Rejected[] => [{ label: 'not open yet', fields: { code: '123456' } }]
	},
	'POST /checkin/[opportunityId]?/checkOut': {
		role: 'youth',
		superforms: true,
		params: (ids) => ({ opportunityId: ids.event }),
		fields: () => ({ code: { kind: 'checkinCode', valid: '123456' } }),
		rejected: (): Rejected[] => [{ label: 'not checked in', fields: { code: '123456' } }]
	},
	'POST /coordinator/organizations?/verify': review(['visitor', 'staff']),
	'POST /coordinator/organizations?/reject': review(['visitor', 'youth']),
	'POST /coordinator/organizations?/deactivate': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: chooseOrganization,
		rejected: (ids): Rejected[] => [
			{ label: 'unknown', fields: { organizationId: UNKNOWN_ID } },
			{ label: 'not a branch', fields: { organizationId: ids.hostOrg } }
		]
	},
	'POST /coordinator/organizations?/reactivate': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: chooseOrganization,
		rejected: (): Rejected[] => [{ label: 'unknown', fields: { organizationId: UNKNOWN_ID } }]
	},
	'POST /coordinator/organizations?/rename': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: (ids) => ({
			organizationId: { kind: 'uuid', valid: ids.branch },
			name: { kind: 'text', valid: '模糊测试支部', also: ['a', 'x'.repeat(81)] }
		}),
		rejected: (ids): Rejected[] => [
			{ label: 'unknown', fields: { organizationId: UNKNOWN_ID, name: '模糊测试支部' } },
			{ label: 'taken name', fields: { organizationId: ids.branch, name: '共青团蛟川街道委员会' } }
		]
	},
	'POST /coordinator/organizations?/move': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: (ids) => ({
			organizationId: { kind: 'uuid', valid: ids.branch },
			parentId: { kind: 'optionalUuid', valid: ids.staffOrg }
		}),
		rejected: (ids): Rejected[] => [
			{ label: 'unknown parent', fields: { organizationId: ids.branch, parentId: UNKNOWN_ID } },
			{ label: 'itself', fields: { organizationId: ids.branch, parentId: ids.branch } },
			{ label: 'under its child', fields: { organizationId: ids.staffOrg, parentId: ids.branch } },
			{ label: 'unknown', fields: { organizationId: UNKNOWN_ID, parentId: ids.staffOrg } }
		]
	},
	'POST /coordinator/organizations?/inviteAdmin': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: chooseOrganization,
		rejected: (): Rejected[] => [{ label: 'unknown', fields: { organizationId: UNKNOWN_ID } }]
	},
	'POST /coordinator/organizations?/add': {
		role: 'coordinator',
		superforms: true,
		outsiders: ['visitor', 'staff'],
		fields: (ids) => ({
			...organizationFields(),
			kind: { kind: 'requiredCode', valid: 'village_branch' },
			parentId: { kind: 'optionalUuid', valid: ids.staffOrg }
		}),
		rejected: (ids) => {
			const base = { kind: 'village_branch', contactName: '联系人', contactPhone: '13800000000' };
			return [
				{
					label: 'taken name',
					fields: { ...base, name: '共青团蛟川街道委员会', parentId: ids.staffOrg }
				},
				{
					label: 'unknown parent',
					fields: { ...base, name: '模糊测试支部', parentId: UNKNOWN_ID }
				},
				{ label: 'unknown kind', fields: { ...base, name: '模糊支部', kind: 'no_such_kind' } },
				{ label: 'not a branch kind', fields: { ...base, name: '模糊支部', kind: 'enterprise' } },
				{ label: 'unknown town', fields: { ...base, name: '模糊支部', townCode: 'nowhere' } }
			];
		}
	},
	'POST /coordinator/quotas?/save': {
		role: 'coordinator',
		outsiders: ['visitor', 'staff'],
		fields: () => ({
			year: { kind: 'whole', valid: '2026', also: ['1999', '2101'] },
			orgKind: { kind: 'requiredCode', valid: 'village_branch' },
			publicMin: { kind: 'whole', valid: '1', also: ['366'] },
			selfMin: { kind: 'whole', valid: '1', also: ['366'] }
		}),
		rejected: (): Rejected[] => [
			{
				label: 'unknown kind',
				fields: { year: '2026', orgKind: 'no_such_kind', publicMin: '1', selfMin: '1' }
			},
			{
				label: 'not a branch kind',
				fields: { year: '2026', orgKind: 'enterprise', publicMin: '1', selfMin: '1' }
			}
		]
	},
	'POST /coordinator/settings?/default': {
		role: 'coordinator',
		superforms: true,
		outsiders: ['visitor', 'staff'],
		fields: () => ({
			one: { kind: 'whole', valid: '11', also: ['0', '100001'] },
			two: { kind: 'whole', valid: '31', also: ['11'] },
			three: { kind: 'whole', valid: '61' },
			four: { kind: 'whole', valid: '101' },
			five: { kind: 'whole', valid: '151', also: ['100'] }
		})
	},
	'POST /invite/[token]?/default': {
		role: 'youth',
		params: () => ({ token: 'A'.repeat(43) }),
		rejected: (): Rejected[] => [{ label: 'unknown token', fields: {} }]
	},
	'POST /me/calendar?/reset': { role: 'youth', outsiders: ['visitor'] },
	'POST /me/notifications?/read': {
		role: 'youth',
		outsiders: ['visitor'],
		fields: () => ({ notificationId: { kind: 'optionalUuid', valid: '' } }),
		rejected: (): Rejected[] => [{ label: 'unknown', fields: { notificationId: UNKNOWN_ID } }]
	},
	'POST /opportunities/[id]?/apply': {
		role: 'youth',
		superforms: true,
		outsiders: ['visitor'],
		params: (ids) => ({ id: ids.event }),
		fields: () => ({
			birthDate: { kind: 'birthDate', valid: '2000-01-01' },
			guardianName: { kind: 'optionalText', valid: '', also: ['x'.repeat(61)] },
			guardianPhone: { kind: 'optionalPhone', valid: '' }
		}),
		rejected: (ids): Rejected[] => [
			{ label: 'draft event', fields: { birthDate: '2000-01-01' }, params: { id: ids.draftEvent } }
		]
	},
	'POST /opportunities/[id]?/withdraw': {
		role: 'youth',
		outsiders: ['visitor'],
		params: (ids) => ({ id: ids.event }),
		rejected: (): Rejected[] => [{ label: 'not applied', fields: {} }]
	},
	'POST /org/[orgId]/events/[id]?/update': {
		role: 'staff',
		superforms: true,
		outsiders: ['visitor', 'youth', 'coordinator'],
		params: (ids) => ({ orgId: ids.staffOrg, id: ids.event }),
		fields: eventFields,
		rejected: (): Rejected[] => [
			{ label: 'unknown town', fields: { ...validOf(eventFields()), townCode: 'nowhere' } }
		]
	},
	'POST /org/[orgId]/events/[id]?/publish': {
		role: 'staff',
		outsiders: ['visitor', 'youth', 'coordinator'],
		params: (ids) => ({ orgId: ids.staffOrg, id: ids.event }),
		rejected: (): Rejected[] => [{ label: 'already published', fields: {} }]
	},
	'POST /org/[orgId]/events/[id]?/cancel': {
		role: 'staff',
		outsiders: ['visitor', 'youth', 'coordinator'],
		params: (ids) => ({ orgId: ids.staffOrg, id: ids.event })
	},
	'POST /org/[orgId]/events/[id]?/decline': {
		role: 'staff',
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg, id: ids.event }),
		fields: (ids) => ({ applicantId: { kind: 'uuid', valid: ids.applicant } }),
		rejected: (ids): Rejected[] => [
			{ label: 'unknown applicant', fields: { applicantId: UNKNOWN_ID } },
			{ label: 'not an applicant', fields: { applicantId: ids.youth } }
		]
	},
	'POST /org/[orgId]/events/[id]/attendance?/record': {
		role: 'staff',
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg, id: ids.event }),
		fields: (ids) => ({
			personId: { kind: 'uuid', valid: ids.applicant },
			checkedInAt: { kind: 'optionalDateTime', valid: '' },
			checkedOutAt: { kind: 'optionalDateTime', valid: '' },
			reason: { kind: 'text', valid: '补记', also: ['a', 'x'.repeat(501)] }
		}),
		rejected: (ids): Rejected[] => [
			{
				label: 'future times',
				fields: { personId: ids.applicant, checkedInAt: localInput(20, 9), reason: '补记' }
			},
			{
				label: 'not an applicant',
				fields: { personId: ids.youth, checkedInAt: '', reason: '补记' }
			},
			{
				label: 'out before in',
				fields: {
					personId: ids.applicant,
					checkedInAt: localInput(20, 10),
					checkedOutAt: localInput(20, 9),
					reason: '补记'
				}
			}
		]
	},
	'POST /org/[orgId]/events/new?/default': {
		role: 'staff',
		superforms: true,
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg }),
		fields: eventFields,
		rejected: (): Rejected[] => [
			{ label: 'unknown town', fields: { ...validOf(eventFields()), townCode: 'nowhere' } }
		]
	},
	'POST /org/[orgId]/members?/invite': {
		role: 'staff',
		superforms: true,
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg }),
		fields: () => ({
			role: { kind: 'role', valid: 'staff' },
			days: { kind: 'number', valid: '7' }
		})
	},
	'POST /org/[orgId]/members?/revoke': {
		role: 'staff',
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg }),
		fields: (ids) => ({ invitationId: { kind: 'uuid', valid: ids.invitation } }),
		rejected: (): Rejected[] => [{ label: 'unknown', fields: { invitationId: UNKNOWN_ID } }]
	},
	'POST /org/[orgId]/members?/remove': {
		role: 'staff',
		outsiders: ['visitor', 'youth'],
		params: (ids) => ({ orgId: ids.staffOrg }),
		fields: (ids) => ({ userId: { kind: 'uuid', valid: ids.staff } }),
		rejected: (ids): Rejected[] => [
			{ label: 'unknown', fields: { userId: UNKNOWN_ID } },
			{ label: 'not a member', fields: { userId: ids.youth } },
			{ label: 'last admin', fields: { userId: ids.staff } }
		]
	},
	'POST /org/register?/default': {
		role: 'youth',
		superforms: true,
		outsiders: ['visitor'],
		fields: organizationFields,
		rejected: () => {
			const base = {
				name: '模糊测试组织',
				kind: 'social_organization',
				contactName: '联系人',
				contactPhone: '13800000000'
			};
			return [
				{ label: 'unknown kind', fields: { ...base, kind: 'no_such_kind' } },
				{ label: 'unknown town', fields: { ...base, townCode: 'nowhere' } },
				{ label: 'unknown parent', fields: { ...base, parentId: UNKNOWN_ID } },
				{ label: 'taken name', fields: { ...base, name: '共青团蛟川街道委员会' } }
			];
		}
	}
};

function validOf(fields: Record<string, Field>): Record<string, string> {
	return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.valid]));
}

/** Route parameters that name nothing: malformed, unknown, hostile or far too long. */
const BAD_IDS = [
	'not-a-uuid',
	UNKNOWN_ID,
	'%27%20OR%20%271%27%3D%271',
	'%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E',
	'x'.repeat(300),
	'6f1c1a2e-5b0a-4c55-8a57-0f1f3b7d2c1'
];
const BAD_TOKENS = [
	'short',
	'A'.repeat(43),
	'%3Cscript%3E',
	SQL.replaceAll(' ', '%20'),
	'x'.repeat(300)
];
// Node's HTTP parser returns a bare 431 to request headers over 16 kB, before the site sees them,
// so values in URLs stay well below that.
const LONG_IN_URL = 'x'.repeat(5_000);
const BAD_YEARS = [
	'abc',
	'1999',
	'2101',
	'1e309',
	'NaN',
	'-1',
	'2026.5',
	'0x7ea',
	'2e3',
	' ',
	SQL,
	HTML,
	LONG_IN_URL
];

/** A GET endpoint or page: who may read it, its parameters and the values they reject. */
type ReadSpec = {
	role: Role;
	params?: (ids: Ids) => Record<string, string>;
	/** Route parameters and their bad values, written as they go in the path. */
	badParams?: Record<string, string[]>;
	query?: Record<string, string[]>;
	outsiders?: Role[];
	/** Roles sent to sign in instead, through a redirect. */
	signInFirst?: Role[];
	rejected?: (ids: Ids) => { label: string; params: Record<string, string> }[];
	/** Query values the page responds to with a redirect on this site, never elsewhere. */
	redirects?: Record<string, string[]>;
	/** The language of every case, for a route that sets it. */
	language?: Language;
};

const dashboardQuery = {
	year: BAD_YEARS,
	town: ['ZHAO', 'nowhere', SQL, HTML],
	kind: ['enterprise', 'nowhere', SQL],
	status: ['bogus', HTML],
	sort: ['password', SQL],
	dir: ['sideways', HTML]
};
const drillDownQuery = { year: BAD_YEARS, orbit: ['sideways', HTML], state: ['gone', SQL] };
const staffEvent = (ids: Ids) => ({ orgId: ids.staffOrg, id: ids.event });
const eventIds = { orgId: BAD_IDS, id: BAD_IDS };

export const READS: Record<string, ReadSpec> = {
	'GET /calendar/[token].ics': {
		role: 'visitor',
		params: () => ({ token: 'A'.repeat(43) }),
		badParams: { token: BAD_TOKENS }
	},
	'GET /coordinator/export.csv': {
		role: 'coordinator',
		query: dashboardQuery,
		outsiders: ['visitor', 'youth', 'staff']
	},
	'GET /coordinator/export.xlsx': {
		role: 'coordinator',
		query: dashboardQuery,
		outsiders: ['visitor', 'staff']
	},
	'GET /coordinator/branches/[orgId]/export.csv': {
		role: 'coordinator',
		params: (ids) => ({ orgId: ids.branch }),
		badParams: { orgId: BAD_IDS },
		query: drillDownQuery,
		outsiders: ['visitor', 'staff']
	},
	'GET /coordinator/branches/[orgId]/export.xlsx': {
		role: 'coordinator',
		params: (ids) => ({ orgId: ids.branch }),
		badParams: { orgId: BAD_IDS },
		query: drillDownQuery,
		outsiders: ['visitor', 'youth']
	},
	'GET /lang/[locale]': {
		role: 'visitor',
		// Switching to the language the response is read in leaves the other contexts as they were.
		language: 'zh',
		params: () => ({ locale: 'zh' }),
		badParams: { locale: ['fr', 'ZH', 'zh-CN', '%3Cscript%3E', 'x'.repeat(300)] },
		redirects: {
			to: [
				'//evil.example',
				'https://evil.example/',
				'/\\evil.example',
				'javascript:window.__xss=1',
				'\r\nSet-Cookie: x=1',
				HTML
			]
		}
	},
	'GET /me/hours/record.pdf': {
		role: 'youth',
		query: { year: [...BAD_YEARS, 'all '] },
		signInFirst: ['visitor']
	},
	'GET /opportunities/[id]/calendar.ics': {
		role: 'visitor',
		params: (ids) => ({ id: ids.event }),
		badParams: { id: BAD_IDS },
		rejected: (ids) => [{ label: 'draft event', params: { id: ids.draftEvent } }]
	},
	'GET /org/[orgId]/calendar.ics': {
		role: 'visitor',
		params: (ids) => ({ orgId: ids.staffOrg }),
		badParams: { orgId: BAD_IDS }
	},
	'PAGE /': {
		role: 'visitor',
		query: {
			q: ['x'.repeat(101), 'a\u0000b', LONG_IN_URL],
			orbit: ['sideways', HTML],
			town: ['ZHAO', SQL, HTML, 'a'.repeat(41)],
			from: ['0000-01-01', '99999-01-01', '2026-02-30', '2026-13-01', 'yesterday', SQL],
			to: ['2026-02-30', HTML],
			page: ['0', '-1', '501', '1.5', 'NaN', '1e309', 'abc', '0x10', '1e2']
		}
	},
	'PAGE /checkin/[opportunityId]': {
		role: 'youth',
		params: (ids) => ({ opportunityId: ids.event }),
		badParams: { opportunityId: BAD_IDS }
	},
	'PAGE /coordinator': {
		role: 'coordinator',
		query: dashboardQuery,
		outsiders: ['youth', 'staff']
	},
	'PAGE /coordinator/audit': {
		role: 'coordinator',
		query: { table: ['sessions', 'sign_in_failures', 'OPPORTUNITIES', SQL, HTML] },
		outsiders: ['staff']
	},
	'PAGE /coordinator/branches/[orgId]': {
		role: 'coordinator',
		params: (ids) => ({ orgId: ids.branch }),
		badParams: { orgId: BAD_IDS },
		query: drillDownQuery,
		outsiders: ['youth']
	},
	'PAGE /coordinator/quotas': {
		role: 'coordinator',
		query: { year: BAD_YEARS },
		outsiders: ['staff']
	},
	'PAGE /invite/[token]': {
		role: 'youth',
		params: () => ({ token: 'A'.repeat(43) }),
		badParams: { token: BAD_TOKENS }
	},
	'PAGE /me/hours/record': { role: 'youth', query: { year: BAD_YEARS } },
	'PAGE /opportunities/[id]': {
		role: 'visitor',
		params: (ids) => ({ id: ids.event }),
		badParams: { id: BAD_IDS },
		rejected: (ids) => [{ label: 'draft event', params: { id: ids.draftEvent } }]
	},
	'PAGE /org/[orgId]': {
		role: 'staff',
		params: (ids) => ({ orgId: ids.staffOrg }),
		badParams: { orgId: BAD_IDS },
		outsiders: ['youth'],
		rejected: (ids) => [{ label: 'not a member', params: { orgId: ids.otherOrg } }]
	},
	'PAGE /org/[orgId]/events/[id]': {
		role: 'staff',
		params: staffEvent,
		badParams: eventIds,
		outsiders: ['youth', 'coordinator']
	},
	'PAGE /org/[orgId]/events/[id]/attendance': {
		role: 'staff',
		params: staffEvent,
		badParams: eventIds,
		outsiders: ['youth']
	},
	'PAGE /org/[orgId]/events/[id]/checkin': {
		role: 'staff',
		params: staffEvent,
		badParams: eventIds,
		outsiders: ['youth']
	},
	'PAGE /org/[orgId]/events/new': {
		role: 'staff',
		params: (ids) => ({ orgId: ids.staffOrg }),
		badParams: { orgId: BAD_IDS },
		outsiders: ['youth']
	},
	'PAGE /org/[orgId]/members': {
		role: 'staff',
		params: (ids) => ({ orgId: ids.staffOrg }),
		badParams: { orgId: BAD_IDS },
		outsiders: ['youth']
	},
	'PAGE /verify/[code]': {
		role: 'visitor',
		params: () => ({ code: 'NOSUCHCODE' }),
		badParams: { code: ['NOSUCH', '%3Cscript%3E', SQL.replaceAll(' ', '%20'), 'x'.repeat(300)] }
	}
};

/** Pages that read nothing a visitor sends but the session, with what they do with the rest. */
export const INPUT_FREE_PAGES: Record<string, string> = {
	'PAGE /coordinator/organizations':
		'?edit= only picks the branch whose rename form is open; an unknown id opens none',
	'PAGE /coordinator/settings': 'reads no parameter',
	'PAGE /me/applications': 'reads no parameter',
	'PAGE /me/calendar': 'reads no parameter',
	'PAGE /me/hours': 'reads no parameter',
	'PAGE /me/notifications': 'reads no parameter',
	'PAGE /me/password': 'reads no parameter',
	'PAGE /org': 'reads no parameter',
	'PAGE /org/register': 'reads no parameter',
	'PAGE /signin': '?next= is followed only after a good sign-in, through safeNext (unit-tested)',
	'PAGE /signup': '?next= is followed only after a good sign-up, through safeNext (unit-tested)'
};

// ---------------------------------------------------------------------------------------------

export type Case = {
	key: string;
	label: string;
	role: Role;
	method: 'GET' | 'POST';
	url: string;
	body?: string | Buffer;
	contentType?: string;
	origin?: string;
	/**
	 * rejected: a 4xx with a message; redirect: a 303 to this site; sign-in: rejected, or for a
	 * visitor on a page that needs an account, a 303 to the sign-in page.
	 */
	expect: 'rejected' | 'redirect' | 'sign-in';
	/** The language to read the response in, for a case that sets the language itself. */
	language?: Language;
	countsFailure?: boolean;
};

function fillRoute(template: string, params: Record<string, string>, raw = new Set<string>()) {
	return template.replace(/\[(\w+)\]/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`no value for [${name}] in ${template}`);
		return raw.has(name) ? value : encodeURIComponent(value);
	});
}

export function urlEncoded(fields: Record<string, string> | [string, string][]): string {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	return pairs
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
}

const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';

function multipart(parts: [string, string | Buffer][]): Buffer {
	const chunks: Buffer[] = [];
	for (const [name, value] of parts) {
		chunks.push(
			Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
			typeof value === 'string' ? Buffer.from(value) : value,
			Buffer.from('\r\n')
		);
	}
	chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
	return Buffer.concat(chunks);
}

function labelOf(value: string): string {
	const shown = JSON.stringify(value);
	return shown.length > 32 ? `${shown.slice(0, 28)}…(${value.length})` : shown;
}

/** Bytes that are not UTF-8: a lone continuation byte, bytes never used, a cut sequence. */
const RAW_BAD_BYTES = Buffer.from([0xff, 0xfe, 0x80, 0xe4, 0xb8]);
const PERCENT_BAD = ['%FF%FE', '%C0%AF', '%ED%A0%80', '%E4%B8', '%80'];
const UPPER_CASE_TYPES = [
	'APPLICATION/X-WWW-FORM-URLENCODED',
	`Multipart/Form-Data; boundary=${BOUNDARY}`,
	'TEXT/PLAIN'
];

export function actionCases(key: string, spec: ActionSpec, ids: Ids, origin: string): Case[] {
	// A form posts to its default action without naming it.
	const template = key.slice('POST '.length).replace(/\?\/default$/, '');
	const params = spec.params?.(ids) ?? {};
	const url = (overrides: Record<string, string> = {}, raw?: Set<string>) =>
		fillRoute(template, { ...params, ...overrides }, raw);
	const fields = spec.fields?.(ids) ?? {};
	const valid = validOf(fields);
	const names = Object.keys(fields);
	const cases: Case[] = [];
	const add = (label: string, body: string | Buffer, extra: Partial<Case> = {}) =>
		cases.push({
			key,
			label,
			role: spec.role,
			method: 'POST',
			url: url(),
			body,
			contentType: 'application/x-www-form-urlencoded',
			expect: 'rejected',
			...extra
		});

	for (const [name, field] of Object.entries(fields)) {
		for (const value of [...BAD[field.kind], ...(field.also ?? [])]) {
			add(`${name}=${labelOf(value)}`, urlEncoded({ ...valid, [name]: value }));
		}
		if ((BAD[field.kind] as readonly string[]).includes('')) {
			const without = Object.entries(valid).filter(([other]) => other !== name);
			add(`${name} missing`, urlEncoded(without));
		}
	}
	if (names.some((name) => (BAD[fields[name]!.kind] as readonly string[]).includes(''))) {
		add('empty body', '');
	}

	// A field that no form of this action sends twice, or `x` for an action without fields.
	const first = names[0] ?? 'x';
	const firstValid = valid[first] ?? '1';
	const firstBad = names[0] ? BAD[fields[first]!.kind][0] : '';
	const others = Object.entries(valid).filter(([name]) => name !== first);
	add(
		`${first} twice, valid first`,
		urlEncoded([[first, firstValid], [first, firstBad], ...others])
	);
	add(`${first} twice, bad first`, urlEncoded([[first, firstBad], [first, firstValid], ...others]));

	const rest = others.length ? '&' + urlEncoded(others) : '';
	add(
		'raw bytes in a form',
		Buffer.concat([Buffer.from(`${first}=`), RAW_BAD_BYTES, Buffer.from(rest)])
	);
	for (const escape of PERCENT_BAD) add(`${first}=${escape}`, `${first}=${escape}${rest}`);
	add(`${first}=%ZZ (not an escape)`, `${first}=%ZZ${rest}`);
	add('raw bytes in multipart', multipart([[first, RAW_BAD_BYTES], ...others]), {
		contentType: `multipart/form-data; boundary=${BOUNDARY}`
	});
	add('broken multipart', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${first}"`, {
		contentType: `multipart/form-data; boundary=${BOUNDARY}`
	});
	add('text/plain from this site', urlEncoded(valid), { contentType: 'text/plain' });
	add('JSON from this site', JSON.stringify(valid), { contentType: 'application/json' });
	add('no content type', urlEncoded(valid), { contentType: undefined });
	add('600 kB body', `${first}=${'x'.repeat(600_000)}${rest}`);
	if (names[0]) {
		add(`multipart ${first}=${labelOf(firstBad)}`, multipart([[first, firstBad], ...others]), {
			contentType: `Multipart/Form-Data; boundary=${BOUNDARY}`
		});
		add(
			`upper-case type, ${first}=${labelOf(firstBad)}`,
			urlEncoded({ ...valid, [first]: firstBad }),
			{ contentType: 'APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=UTF-8' }
		);
	}
	if (spec.superforms) {
		// Superforms reads a devalue-encoded `__superform_json` field in place of the fields.
		const everyField = (index: number) =>
			JSON.stringify(Object.fromEntries(names.map((name) => [name, index])));
		add('fields as arrays', urlEncoded({ __superform_json: `[${everyField(1)},[]]` }));
		add('fields as numbers', urlEncoded({ __superform_json: `[${everyField(1)},1e308]` }));
		add('fields as objects', urlEncoded({ __superform_json: `[${everyField(1)},{}]` }));
	}
	for (const type of UPPER_CASE_TYPES) {
		const body = type.startsWith('Multipart')
			? multipart(Object.entries(valid))
			: urlEncoded(valid);
		add(`from another site as ${type.split(';')[0]}`, body, {
			contentType: type,
			origin: 'http://attacker.invalid'
		});
	}
	add('without an origin', urlEncoded(valid), { origin: '' });
	for (const name of Object.keys(params)) {
		for (const value of name === 'token' ? BAD_TOKENS : BAD_IDS) {
			add(`[${name}]=${labelOf(value)}`, urlEncoded(valid), {
				url: url({ [name]: value }, new Set([name]))
			});
		}
	}
	for (const role of spec.outsiders ?? []) {
		add(`as ${role}`, urlEncoded(valid), { role, expect: 'sign-in' });
	}
	if (key.endsWith('?/default')) {
		add('?/default named', urlEncoded(valid), { url: `${url()}?/default` });
	} else {
		add('?/default named', urlEncoded(valid), { url: url().replace(/\?\/\w+$/, '?/default') });
		add('unknown action', urlEncoded(valid), { url: url().replace(/\?\/\w+$/, '?/nothing') });
	}
	for (const rejected of spec.rejected?.(ids) ?? []) {
		add(rejected.label, urlEncoded(rejected.fields), {
			url: url(rejected.params),
			countsFailure: rejected.countsFailure
		});
	}
	return cases.map((item) => ({ ...item, origin: item.origin ?? origin }));
}

export function readCases(key: string, spec: ReadSpec, ids: Ids): Case[] {
	const template = key.replace(/^(GET|PAGE) /, '');
	const params = spec.params?.(ids) ?? {};
	const cases: Case[] = [];
	const add = (label: string, url: string, extra: Partial<Case> = {}) =>
		cases.push({
			key,
			label,
			role: spec.role,
			method: 'GET',
			url,
			expect: 'rejected',
			language: spec.language,
			...extra
		});
	const base = fillRoute(template, params);
	for (const [name, values] of Object.entries(spec.query ?? {})) {
		for (const value of values) {
			add(`?${name}=${labelOf(value)}`, `${base}?${urlEncoded({ [name]: value })}`);
		}
		add(`?${name}=%FF%FE`, `${base}?${name}=%FF%FE`);
		add(`?${name}=%C0%AF`, `${base}?${name}=%C0%AF`);
		add(`?${name} twice`, `${base}?${name}=${encodeURIComponent(values[0]!)}&${name}=`);
	}
	for (const [name, values] of Object.entries(spec.badParams ?? {})) {
		for (const value of values) {
			add(
				`[${name}]=${labelOf(value)}`,
				fillRoute(template, { ...params, [name]: value }, new Set([name]))
			);
		}
	}
	for (const role of spec.outsiders ?? []) add(`as ${role}`, base, { role, expect: 'sign-in' });
	for (const role of spec.signInFirst ?? []) add(`as ${role}`, base, { role, expect: 'sign-in' });
	for (const rejected of spec.rejected?.(ids) ?? []) {
		add(rejected.label, fillRoute(template, { ...params, ...rejected.params }));
	}
	for (const [name, values] of Object.entries(spec.redirects ?? {})) {
		for (const value of values) {
			add(`?${name}=${labelOf(value)}`, `${base}?${urlEncoded({ [name]: value })}`, {
				expect: 'redirect'
			});
		}
	}
	return cases;
}
