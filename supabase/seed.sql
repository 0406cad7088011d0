-- Fixed reference data: kinds of host organization and the towns and streets they sit in.
insert into public.org_kinds (code, is_league_branch, sort_order, name_zh, name_en) values
  ('district_committee', true, 10, '团区委', 'District league committee'),
  ('town_committee', true, 20, '镇/街道团委', 'Town or street committee'),
  ('village_branch', true, 30, '村团支部', 'Village branch'),
  ('community_branch', true, 40, '社区团支部', 'Community branch'),
  ('school_branch', true, 50, '学校团组织', 'School branch'),
  ('company_branch', true, 60, '企业团组织', 'Company branch'),
  ('social_organization', false, 70, '社会组织', 'Social organization'),
  ('enterprise', false, 80, '企业', 'Enterprise'),
  ('public_institution', false, 90, '事业单位', 'Public institution'),
  ('government_office', false, 100, '机关', 'Government office')
on conflict (code) do nothing;

insert into public.towns (code, district, name_zh, name_en, sort_order) values
  ('zhaobaoshan', 'zhenhai', '招宝山街道', 'Zhaobaoshan Street', 10),
  ('jiaochuan', 'zhenhai', '蛟川街道', 'Jiaochuan Street', 20),
  ('luotuo', 'zhenhai', '骆驼街道', 'Luotuo Street', 30),
  ('zhuangshi', 'zhenhai', '庄市街道', 'Zhuangshi Street', 40),
  ('guisi', 'zhenhai', '贵驷街道', 'Guisi Street', 50),
  ('xiepu', 'zhenhai', '澥浦镇', 'Xiepu Town', 60),
  ('jiulonghu', 'zhenhai', '九龙湖镇', 'Jiulonghu Town', 70),
  ('hushan', 'cixi', '浒山街道', 'Hushan Street', 110),
  ('chongshou', 'cixi', '崇寿镇', 'Chongshou Town', 120),
  ('fuhai', 'cixi', '附海镇', 'Fuhai Town', 130)
on conflict (code) do nothing;
