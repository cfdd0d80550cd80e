import * as ids from '../../nodes/Nexthink/shared/identifiers';

const vocabulary = Object.entries(ids).filter(
	(entry): entry is [string, ids.Identifier] =>
		typeof entry[1] === 'object' && entry[1] !== null && 'apiPattern' in entry[1],
);

describe('The identifier vocabulary', () => {
	it.each(vocabulary)(
		'%s: its example is one, and what the node takes the API takes once normalised',
		(_name, identifier) => {
			const value = identifier.example;
			expect(identifier.test(value)).toBe(true);
			expect(identifier.apiPattern.test(identifier.normalise(value))).toBe(true);
			expect(new RegExp(identifier.editorPattern).test(` ${value} `)).toBe(true);
			expect(identifier.same(value, identifier.normalise(value))).toBe(true);
			expect(identifier.test('')).toBe(false);
			expect(identifier.fix).toMatch(/\.$/);
		},
	);

	it('states the documented SID exception once: 0 for the Workflows API only', () => {
		expect(ids.WORKFLOW_USER_SID.test('0')).toBe(true);
		expect(ids.WORKFLOW_USER_SID.apiPattern.test('0')).toBe(true);
		expect(ids.USER_SID.test('0')).toBe(false);
		expect(ids.USER_SID.apiPattern.test('0')).toBe(false);
	});

	it('takes SIDs in either letter case, sends them upper case, and compares them so', () => {
		const lower = 's-1-5-21-3623811015-3361044348-30300820-1013';
		for (const sid of [ids.USER_SID, ids.WORKFLOW_USER_SID]) {
			expect(sid.test(lower)).toBe(true);
			expect(sid.apiPattern.test(lower)).toBe(false);
			expect(sid.normalise(lower)).toBe(lower.toUpperCase());
			expect(sid.same(lower, lower.toUpperCase())).toBe(true);
		}
	});

	it('compares UUIDs, UPNs and device names case-insensitively, and NQL IDs exactly', () => {
		expect(ids.COLLECTOR_UUID.same(ids.UUID_EXAMPLE, ids.UUID_EXAMPLE.toUpperCase())).toBe(true);
		expect(ids.USER_UPN.same('Jane.Doe@Example.com', 'jane.doe@example.com')).toBe(true);
		expect(ids.DEVICE_NAME.same('LAPTOP-00042', 'laptop-00042')).toBe(true);
		expect(ids.REMOTE_ACTION_NQL_ID.same('#ExampleRA', '#examplera')).toBe(false);
		expect(ids.EXPORT_ID.same('opaque==', 'OPAQUE==')).toBe(false);
	});

	it('sends remote action, campaign and workflow NQL IDs as given; only workflow details takes either form', () => {
		expect(ids.REMOTE_ACTION_NQL_ID.test('ExampleRA')).toBe(true);
		expect(ids.REMOTE_ACTION_NQL_ID.normalise('ExampleRA')).toBe('ExampleRA');
		expect(ids.REMOTE_ACTION_NQL_ID.same('ExampleRA', '#ExampleRA')).toBe(false);
		expect(ids.CAMPAIGN_NQL_ID.normalise('general_survey')).toBe('general_survey');
		expect(ids.REMOTE_ACTION_NQL_ID.test('clear browser cache')).toBe(false);
		// What the contract says (a non-empty string) is all the simulator holds them to.
		expect(ids.REMOTE_ACTION_NQL_ID.apiPattern.test('clear browser cache')).toBe(true);
		expect(ids.CAMPAIGN_NQL_ID.apiPattern.test('')).toBe(false);
		expect(ids.WORKFLOW_NQL_ID.normalise('lab_workflow')).toBe('lab_workflow');
		expect(ids.WORKFLOW_NQL_ID.same('lab_workflow', '#lab_workflow')).toBe(false);
		expect(ids.WORKFLOW_DETAILS_NQL_ID.normalise('lab_workflow')).toBe('lab_workflow');
		expect(ids.WORKFLOW_DETAILS_NQL_ID.same('lab_workflow', '#lab_workflow')).toBe(true);
	});
});

describe('UPNs', () => {
	it("Enrichment takes UPNs the Workflows pattern refuses (o'brien@…), Workflow Trigger does not", async () => {
		const { ENRICHMENT_USER_UPN, USER_UPN } = await import(
			'../../nodes/Nexthink/shared/identifiers'
		);
		for (const upn of ["o'brien@example.com", 'zoë@example.ch'])
			expect([ENRICHMENT_USER_UPN.test(upn), USER_UPN.test(upn)]).toEqual([true, false]);
		expect(ENRICHMENT_USER_UPN.test('jane doe@example.com')).toBe(false);
	});

	it('Spark takes the same shape in printable ASCII only: the UPN travels as an HTTP header', async () => {
		const { SPARK_USER_UPN } = await import('../../nodes/Nexthink/shared/identifiers');
		expect(SPARK_USER_UPN.test("o'brien@example.com")).toBe(true);
		for (const upn of ['zoë@example.ch', 'jane doe@example.com', 'jane@example', 'a@b.c\r\nX: 1'])
			expect([upn, SPARK_USER_UPN.test(upn)]).toEqual([upn, false]);
	});
});
