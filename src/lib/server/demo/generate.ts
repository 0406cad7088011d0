import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { ZONE } from '../../time';

/** Deterministic pseudo-random numbers (mulberry32), so a seed gives the same demo every time. */
export function createRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

export type DemoPerson = {
	id: string;
	email: string;
	displayName: string;
	birthDate: string | null;
};
export type DemoOrganization = {
	id: string;
	name: string;
	kind: string;
	parentId: string | null;
	townCode: string | null;
	status: 'pending' | 'verified';
	contactName: string;
	contactPhone: string;
};
export type DemoMember = { organizationId: string; userId: string; role: 'staff' | 'admin' };
export type DemoEvent = {
	id: string;
	organizationId: string;
	title: string;
	description: string;
	theme: string;
	orbit: 'public' | 'self';
	townCode: string | null;
	place: string;
	startsAt: Date;
	endsAt: Date;
	applyOpensAt: Date;
	applyClosesAt: Date;
	capacity: number;
	status: 'draft' | 'published' | 'cancelled';
};
export type DemoApplication = {
	opportunityId: string;
	applicantId: string;
	status: 'accepted' | 'withdrawn';
	createdAt: Date;
};

export type Demo = {
	people: DemoPerson[];
	coordinatorIds: string[];
	organizations: DemoOrganization[];
	members: DemoMember[];
	events: DemoEvent[];
	applications: DemoApplication[];
};

export const DEMO_PASSWORD = 'demo-2026-youth';
export const DEMO_ACCOUNTS = {
	youth: 'youth@demo.local',
	staff: 'staff@demo.local',
	coordinator: 'coordinator@demo.local'
} as const;

const TOWNS = [
	['zhaobaoshan', '招宝山街道'],
	['jiaochuan', '蛟川街道'],
	['luotuo', '骆驼街道'],
	['zhuangshi', '庄市街道'],
	['guisi', '贵驷街道'],
	['xiepu', '澥浦镇'],
	['jiulonghu', '九龙湖镇']
] as const;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = '子涵欣怡梓轩浩然思远雨桐一诺若曦宇航俊杰佳琪晨阳嘉怡明哲诗雨可馨天佑语嫣博文';

/** The public-orbit dates of the year, with their themes. */
const PUBLIC_DATES: { month: number; day: number; title: string; theme: string }[] = [
	{ month: 3, day: 5, title: '学雷锋纪念日志愿服务活动', theme: '学雷锋' },
	{ month: 5, day: 4, title: '五四青年节主题团日', theme: '五四青年节' },
	{ month: 6, day: 1, title: '六一关爱儿童志愿行', theme: '关爱儿童' },
	{ month: 7, day: 1, title: '七一重温入党誓词', theme: '建党纪念' },
	{ month: 10, day: 1, title: '国庆升旗与文明引导', theme: '国庆' },
	{ month: 12, day: 5, title: '国际志愿者日集中服务', theme: '国际志愿者日' },
	{ month: 12, day: 9, title: '一二·九运动纪念主题活动', theme: '一二·九' }
];

const SELF_THEMES: { title: string; theme: string; place: string }[] = [
	{ title: '青年项目马拉松', theme: '项目马拉松', place: '区青年之家' },
	{ title: '社区垃圾分类宣传', theme: '环境保护', place: '社区广场' },
	{ title: '关爱独居老人上门服务', theme: '敬老助老', place: '社区服务中心' },
	{ title: '公益有声书录制', theme: '公益有声书', place: '青媒录音室' },
	{ title: '青年头脑风暴会', theme: '头脑风暴', place: '团委会议室' },
	{ title: '郑氏十七房文化导览', theme: '文化传承', place: '郑氏十七房' },
	{ title: '防溺水安全宣讲', theme: '安全教育', place: '九龙湖畔' },
	{ title: '青年志愿者技能培训', theme: '志愿培训', place: '区志愿服务中心' },
	{ title: '文明交通劝导', theme: '文明出行', place: '城区主要路口' },
	{ title: '企业青年读书会', theme: '青年读书', place: '企业职工书屋' }
];

function personName(random: () => number): string {
	const pick = (source: string) => source[Math.floor(random() * source.length)] ?? '';
	return pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : '');
}

function phone(random: () => number): string {
	return `13${Math.floor(100000000 + random() * 899999999)}`;
}

function shanghai(year: number, month: number, day: number, hour: number): Date {
	return DateTime.fromObject({ year, month, day, hour }, { zone: ZONE }).toJSDate();
}

export type DemoOptions = {
	/** The instant the demo is built around: this year, last year, and upcoming weeks. */
	now: Date;
	seed?: number;
	/** Extra invented youth beyond the demo accounts. */
	extraPeople?: number;
};

/**
 * Builds the demo: the Zhenhai district committee, its seven town and street committees, school
 * and company branches, social organizations (three of them the alliance's newest members),
 * events on the public-orbit dates and self-orbit events in this year and last, with some
 * branches ahead of their quota and some behind, and invented people applying.
 */
export function generateDemo(options: DemoOptions): Demo {
	const random = createRandom(options.seed ?? 20261204);
	const thisYear = DateTime.fromJSDate(options.now, { zone: ZONE }).year;
	const people: DemoPerson[] = [];
	const organizations: DemoOrganization[] = [];
	const members: DemoMember[] = [];
	const events: DemoEvent[] = [];
	const applications: DemoApplication[] = [];

	const addPerson = (email: string, displayName: string, birthDate: string | null = null) => {
		const person = { id: randomUUID(), email, displayName, birthDate };
		people.push(person);
		return person;
	};
	const youth = addPerson(DEMO_ACCOUNTS.youth, '林晓雨', '2004-06-18');
	const staff = addPerson(DEMO_ACCOUNTS.staff, '陈志远', '1995-03-02');
	const coordinator = addPerson(DEMO_ACCOUNTS.coordinator, '周文静', '1990-11-20');
	const extraPeople = options.extraPeople ?? 40;
	for (let index = 0; index < extraPeople; index++) {
		const year = 1992 + Math.floor(random() * 18);
		const birthDate = `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
		addPerson(`youth${index + 1}@demo.local`, personName(random), birthDate);
	}

	const addOrganization = (
		name: string,
		kind: string,
		parentId: string | null,
		townCode: string | null,
		status: 'pending' | 'verified' = 'verified'
	) => {
		const organization = {
			id: randomUUID(),
			name,
			kind,
			parentId,
			townCode,
			status,
			contactName: personName(random),
			contactPhone: phone(random)
		};
		organizations.push(organization);
		return organization;
	};

	const district = addOrganization(
		'共青团宁波市镇海区委员会',
		'district_committee',
		null,
		'zhaobaoshan'
	);
	const towns = TOWNS.map(([code, name]) =>
		addOrganization(`共青团${name}委员会`, 'town_committee', district.id, code)
	);
	const schools = [
		addOrganization('镇海区职业教育中心学校团委', 'school_branch', towns[3]!.id, 'zhuangshi'),
		addOrganization('骆驼中学团委', 'school_branch', towns[2]!.id, 'luotuo')
	];
	const companies = [
		addOrganization('镇海石化园区青年联合团委', 'company_branch', towns[5]!.id, 'xiepu'),
		addOrganization('蛟川物流公司团支部', 'company_branch', towns[1]!.id, 'jiaochuan')
	];
	const communities = [
		addOrganization('招宝山街道城河社区团支部', 'community_branch', towns[0]!.id, 'zhaobaoshan'),
		addOrganization('九龙湖镇秦山村团支部', 'village_branch', towns[6]!.id, 'jiulonghu')
	];
	for (const name of ['群狼救援', '博宣社', '向日葵公益']) {
		addOrganization(name, 'social_organization', null, 'hushan');
	}
	addOrganization('镇海青媒VR公益团队', 'social_organization', district.id, 'zhaobaoshan');
	addOrganization(
		'骆驼街道青年志愿者协会',
		'social_organization',
		towns[2]!.id,
		'luotuo',
		'pending'
	);

	members.push({ organizationId: towns[0]!.id, userId: staff.id, role: 'admin' });
	members.push({ organizationId: district.id, userId: coordinator.id, role: 'admin' });

	// How far along each branch is this year: a share of its yearly quota already held.
	const branches = [district, ...towns, ...schools, ...companies, ...communities];
	const pace = [1.2, 1.1, 0.9, 0.5, 0.75, 0.3, 1.0, 0.6, 0.8, 0.4, 0.2, 0.95, 0.35];

	const addEvent = (
		organization: DemoOrganization,
		start: Date,
		hours: number,
		details: { title: string; theme: string; place: string; orbit: 'public' | 'self' },
		status: DemoEvent['status'] = 'published'
	) => {
		const endsAt = new Date(start.getTime() + hours * 3_600_000);
		const event: DemoEvent = {
			id: randomUUID(),
			organizationId: organization.id,
			title: details.title,
			description: `${organization.name}组织开展${details.theme}主题活动，欢迎青年朋友报名参加。`,
			theme: details.theme,
			orbit: details.orbit,
			townCode: organization.townCode,
			place: details.place,
			startsAt: start,
			endsAt,
			applyOpensAt: new Date(start.getTime() - 21 * 86_400_000),
			applyClosesAt: new Date(start.getTime() - 3_600_000),
			capacity: 10 + Math.floor(random() * 40),
			status
		};
		events.push(event);
		return event;
	};

	for (const [index, branch] of branches.entries()) {
		const share = pace[index % pace.length]!;
		for (const year of [thisYear - 1, thisYear]) {
			const yearShare = year === thisYear ? share : Math.min(1.2, share + 0.4);
			const publicCount = Math.round(4 * yearShare);
			const selfCount = Math.round(12 * yearShare);
			for (let index = 0; index < Math.min(publicCount, PUBLIC_DATES.length); index++) {
				const date = PUBLIC_DATES[index]!;
				const start = shanghai(year, date.month, date.day, 9);
				if (start > options.now && year === thisYear) continue;
				const prefix =
					branch.kind === 'district_committee' ? '' : branch.name.replace('共青团', '');
				addEvent(branch, start, 3, {
					title: `${prefix}${date.title}`,
					theme: date.theme,
					place: '辖区服务站点',
					orbit: 'public'
				});
			}
			for (let index = 0; index < selfCount; index++) {
				const month = 1 + Math.floor((index * 11) / Math.max(selfCount, 1));
				const start = shanghai(year, month, 6 + Math.floor(random() * 20), 14);
				if (start > options.now) continue;
				const theme = SELF_THEMES[Math.floor(random() * SELF_THEMES.length)]!;
				addEvent(branch, start, 2, { ...theme, orbit: 'self' });
			}
		}
	}

	// Upcoming events on the next public-orbit dates and over the coming weeks, open to apply.
	const now = DateTime.fromJSDate(options.now, { zone: ZONE });
	const upcoming: DemoEvent[] = [];
	for (let index = 0; index < 12; index++) {
		const branch = branches[index % branches.length]!;
		const day = now
			.plus({ days: 2 + index * 4 })
			.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
		const theme = SELF_THEMES[index % SELF_THEMES.length]!;
		const event = addEvent(branch, day.toJSDate(), 3, { ...theme, orbit: 'self' });
		event.applyOpensAt = now.minus({ days: 7 }).toJSDate();
		upcoming.push(event);
	}
	for (const date of PUBLIC_DATES) {
		let start = DateTime.fromObject(
			{ year: thisYear, month: date.month, day: date.day, hour: 9 },
			{ zone: ZONE }
		);
		if (start <= now) start = start.plus({ years: 1 });
		if (start.diff(now, 'days').days > 90) continue;
		const event = addEvent(towns[0]!, start.toJSDate(), 3, {
			title: `招宝山街道${date.title}`,
			theme: date.theme,
			place: '招宝山街道新时代文明实践站',
			orbit: 'public'
		});
		event.applyOpensAt = now.minus({ days: 7 }).toJSDate();
		upcoming.push(event);
	}
	const small = upcoming[0]!;
	small.capacity = 2;
	addEvent(
		towns[0]!,
		now.plus({ days: 20 }).set({ hour: 9 }).toJSDate(),
		2,
		{
			title: '招宝山街道青年议事会（草稿）',
			theme: '青年议事',
			place: '街道团工委',
			orbit: 'self'
		},
		'draft'
	);
	addEvent(
		towns[1]!,
		now.plus({ days: 15 }).set({ hour: 9 }).toJSDate(),
		2,
		{
			title: '蛟川街道冬季送温暖（已取消）',
			theme: '敬老助老',
			place: '蛟川街道敬老院',
			orbit: 'self'
		},
		'cancelled'
	);

	// Invented youth apply: past events get attendance-sized crowds, upcoming ones a few.
	const applicants = people.filter((person) => person.email.startsWith('youth'));
	for (const event of events) {
		if (event.status !== 'published') continue;
		const wanted = event === small ? 1 : Math.floor(event.capacity * (0.3 + random() * 0.6));
		const chosen = new Set<string>();
		for (let attempt = 0; attempt < wanted * 2 && chosen.size < wanted; attempt++) {
			const person = applicants[Math.floor(random() * applicants.length)]!;
			if (person.id === youth.id && event.startsAt > options.now) continue;
			chosen.add(person.id);
		}
		for (const applicantId of chosen) {
			applications.push({
				opportunityId: event.id,
				applicantId,
				status: random() < 0.08 ? 'withdrawn' : 'accepted',
				createdAt: new Date(event.applyOpensAt.getTime() + random() * 86_400_000)
			});
		}
	}

	return { people, coordinatorIds: [coordinator.id], organizations, members, events, applications };
}
