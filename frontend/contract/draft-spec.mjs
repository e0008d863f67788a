// Draft of the contract the SPA was written against before the backend's openapi.json existed.
// Run: node contract/draft-spec.mjs > contract/draft-openapi.json
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const str = { type: 'string' }, int = { type: 'integer', format: 'int64' }, bool = { type: 'boolean' };
const arr = (i) => ({ type: 'array', items: i });
const obj = (props, required = Object.keys(props)) => ({ type: 'object', properties: props, required });
const json = (s) => ({ 'application/json': { schema: s } });
const problem = { description: 'problem', content: { 'application/problem+json': { schema: ref('Problem') } } };
const errs = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 423: problem, 429: problem };
const ok = (s, code = 200) => ({ [code]: s ? { description: 'ok', content: json(s) } : { description: 'ok' }, ...errs });
const q = (name, schema = str, required = false) => ({ name, in: 'query', required, schema });
const p = (name, schema = int) => ({ name, in: 'path', required: true, schema });
const paging = [q('page', int), q('page_size', int), q('sort'), q('order'), q('keyword'), q('active', bool)];
const body = (s) => ({ required: true, content: json(s) });
const file = { description: 'file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
const multipart = { required: true, content: { 'multipart/form-data': { schema: obj({ file: { type: 'string', format: 'binary' } }) } } };

const Role = obj({ role: str, scope_code: str, scope_name: str });
const School = obj({ id: int, code: str, name: str, county_code: str, county_name: str, city_name: str, address: str, stage: str, urban_rural: str, teaching_point: bool, active: bool });
const SchoolInput = obj({ code: str, name: str, county_code: str, stage: str, urban_rural: str, teaching_point: bool, address: str }, ['code', 'name', 'county_code', 'stage', 'urban_rural']);
const Teacher = obj({ id: int, name: str, gender: str, school_id: int, school_name: str, id_card_masked: str, phone_masked: str, email: str, stage: str, subject: str, title: str, education: str, teaching_years: int, active: bool }, ['id', 'name', 'gender', 'school_id', 'school_name', 'id_card_masked', 'phone_masked', 'stage', 'subject', 'active']);
const TeacherInput = obj({ name: str, gender: str, school_id: int, id_card: str, phone: str, email: str, stage: str, subject: str, title: str, education: str, teaching_years: int }, ['name', 'gender', 'school_id', 'id_card', 'stage', 'subject']);
const Account = obj({ id: int, username: str, display_name: str, email: str, roles: arr(ref('RoleBinding')), active: bool, locked_until: str }, ['id', 'username', 'display_name', 'roles', 'active']);
const AccountCreate = obj({ username: str, password: str, display_name: str, email: str, role: str, scope_code: str, teacher_id: int }, ['username', 'password', 'display_name', 'role', 'scope_code']);
const AccountUpdate = obj({ display_name: str, email: str, role: str, scope_code: str }, []);
const page = (n) => obj({ items: arr(ref(n)), total: int, page: int, page_size: int });
const Region = obj({ code: str, name: str, level: str, parent_code: str }, ['code', 'name', 'level']);
const RegionNode = obj({ code: str, name: str, level: str, children: arr(ref('RegionNode')) });
const TokenPair = obj({ access_token: str, refresh_token: str, expires_in: int, token_type: str });
const ImportReport = obj({ total_rows: int, valid_rows: int, created: int, updated: int, committed: bool, errors: arr(ref('RowError')) });
const RowError = obj({ line: int, column: str, message: str });
const Me = obj({ id: int, username: str, display_name: str, email: str, roles: arr(ref('RoleBinding')), permissions: arr(str), teacher_id: int }, ['id', 'username', 'display_name', 'roles', 'permissions']);
const Problem = obj({ type: str, title: str, status: int, detail: str, code: str, errors: arr(obj({ field: str, message: str })) }, ['title', 'status', 'code']);

const crud = (base, item, input, update = input) => ({
  [`/api/${base}`]: { get: { operationId: `list_${base}`, parameters: [...paging, q('region'), q('stage'), q('urban_rural'), q('school_id', int), q('subject'), q('role')], responses: ok(ref(`${item}Page`)) },
    post: { operationId: `create_${base}`, requestBody: body(ref(input)), responses: ok(ref(item), 201) } },
  [`/api/${base}/{id}`]: { get: { operationId: `get_${base}`, parameters: [p('id')], responses: ok(ref(item)) },
    put: { operationId: `update_${base}`, parameters: [p('id')], requestBody: body(ref(update)), responses: ok(ref(item)) } },
  [`/api/${base}/{id}/deactivate`]: { post: { operationId: `deactivate_${base}`, parameters: [p('id')], responses: ok(ref(item)) } },
  [`/api/${base}/{id}/activate`]: { post: { operationId: `activate_${base}`, parameters: [p('id')], responses: ok(ref(item)) } },
});
const kind = p('kind', { type: 'string', enum: ['schools', 'teachers'] });
const spec = {
  openapi: '3.0.0', info: { title: 'Yanxiu draft', version: '0' },
  paths: {
    '/api/health': { get: { operationId: 'health', responses: ok(obj({ status: str })) } },
    '/api/auth/login': { post: { operationId: 'login', requestBody: body(obj({ username: str, password: str })), responses: ok(ref('TokenPair')) } },
    '/api/auth/refresh': { post: { operationId: 'refresh', requestBody: body(obj({ refresh_token: str })), responses: ok(ref('TokenPair')) } },
    '/api/auth/logout': { post: { operationId: 'logout', requestBody: body(obj({ refresh_token: str })), responses: ok(null, 204) } },
    '/api/auth/password': { post: { operationId: 'change_password', requestBody: body(obj({ current_password: str, new_password: str })), responses: ok(ref('TokenPair')) } },
    '/api/auth/forgot': { post: { operationId: 'forgot_password', requestBody: body(obj({ login: str })), responses: ok(null, 202) } },
    '/api/auth/reset': { post: { operationId: 'reset_password', requestBody: body(obj({ token: str, new_password: str })), responses: ok(null, 204) } },
    '/api/me': { get: { operationId: 'me', responses: ok(ref('Me')) } },
    '/api/regions/tree': { get: { operationId: 'region_tree', responses: ok(arr(ref('RegionNode'))) } },
    '/api/regions': { get: { operationId: 'list_regions', parameters: [q('parent')], responses: ok(arr(ref('Region'))) } },
    '/api/regions/{code}': { get: { operationId: 'get_region', parameters: [p('code', str)], responses: ok(ref('Region')) } },
    ...crud('schools', 'School', 'SchoolInput'),
    ...crud('teachers', 'Teacher', 'TeacherInput'),
    ...crud('accounts', 'Account', 'AccountCreate', 'AccountUpdate'),
    '/api/teachers/{id}/reveal': { post: { operationId: 'reveal_teacher', parameters: [p('id')], responses: ok(obj({ id_card: str, phone: str })) } },
    '/api/import/{kind}/template': { get: { operationId: 'import_template', parameters: [kind, q('format')], responses: { 200: file } } },
    '/api/import/{kind}': { post: { operationId: 'import_run', parameters: [kind, q('dry_run', bool)], requestBody: multipart, responses: ok(ref('ImportReport')) } },
    '/api/import/{kind}/error-report': { post: { operationId: 'import_error_report', parameters: [kind], requestBody: multipart, responses: { 200: file } } },
    '/api/export/{kind}': { get: { operationId: 'export', parameters: [kind, q('format'), ...paging, q('region'), q('stage'), q('urban_rural'), q('school_id', int), q('subject')], responses: { 200: file } } },
  },
  components: { schemas: { RoleBinding: Role, School, SchoolInput, SchoolPage: page('School'), Teacher, TeacherInput, TeacherPage: page('Teacher'), Account, AccountCreate, AccountUpdate, AccountPage: page('Account'), Region, RegionNode, TokenPair, ImportReport, RowError, Me, Problem } },
};
console.log(JSON.stringify(spec, null, 1));
