/**
 * The package in n8n's editor, in a real browser: headless Chromium (Debian's, driven by
 * playwright-core) against `n8n start` with the package installed as a community package and the
 * "Nexthink simulator" credential imported.
 *
 * As a person would: sign in on the sign-in page, open a new workflow, search "Nexthink" in the
 * node panel, add Remote Action > Execute ("Run a remote action on devices by collector UUID"), give a remote
 * action ID that does not exist and read what the inputs section says of it, open the Remote
 * Action list (filled by the node's list search from the simulator), pick "Set service start
 * type" and see its own inputs as fields with their options; then add the Nexthink Trigger
 * ("On NQL export completed"), see its fields and the warning under a Query ID without its #.
 * Finally the workflow n8n saved carries what was chosen.
 *
 * Each step leaves a screenshot in test-artifacts/editor/ (NN-step.png; FAILED-… when a step
 * failed; the page as it was left, whatever happened, last), and browser-console.log lists the
 * browser's console errors and the non-loopback requests it blocked. Without Chromium the suite
 * fails and says why (test/e2e/browser/chromium.ts).
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { NexthinkApi } from '../../credentials/NexthinkApi.credentials';
import { resources } from '../../nodes/Nexthink/actions/resources';
import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { queryIdNotice } from '../../nodes/Nexthink/shared/nqlFields';
import { NexthinkTrigger } from '../../nodes/NexthinkTrigger/NexthinkTrigger.node';
import { startSimulator, type NexthinkSimulator } from '../simulator';
import { Artifacts, launchChromium, type HeadlessChromium } from './browser/chromium';
import { N8nEditor, until } from './browser/editor';
import {
	CREDENTIAL_NAME,
	N8nInstance,
	N8nRest,
	newOwner,
	SimulatorControl,
	type StoredWorkflow,
} from './n8n';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const OWNER = newOwner('editor-owner@example.com', 'Editor', 'Owner');

/** The remote action picked in the list: one with inputs that offer fixed options. */
const CHOSEN_ID = '#set_service_start_type';
const TRIGGER_QUERY_ID = '#devices_by_os';
/** A well-formed remote action NQL ID that no remote action has. */
const UNKNOWN_ID = '#does_not_exist';
const WORKFLOW_ID = '#device_diagnostics';
const CHOOSE_FIRST = 'Choose a remote action first: its inputs show up here.';

/** What the node creator lists as the node's actions: every operation's `action` text. */
const NODE_ACTIONS = Object.values(resources).flatMap((resource) =>
	resource.description
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options ?? []) as INodePropertyOptions[])
		.map((option) => String(option.action)),
);

describe('n8n editor in Chromium: the Nexthink nodes as a person sees them', () => {
	let sim: NexthinkSimulator | undefined;
	let control: SimulatorControl;
	let n8n: N8nInstance | undefined;
	let browser: HeadlessChromium | undefined;
	let editor: N8nEditor;
	let rest: N8nRest;
	let artifacts: Artifacts;
	let workflowId = '';

	/** A named phase that leaves a screenshot of the page when it fails. */
	async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
		return await phase(`editor: ${name}`, async () => {
			let failed = true;
			try {
				const result = await body();
				failed = false;
				return result;
			} finally {
				if (failed && browser)
					await artifacts
						.screenshot(browser.page, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`)
						.catch(() => undefined);
			}
		});
	}

	beforeAll(async () => {
		artifacts = new Artifacts('editor');
		const { runtime, pkg } = await e2eSetup();
		// First, so that a missing or broken Chromium fails the suite at once, saying why.
		browser = await phase(
			'editor: launch Chromium',
			async () => await launchChromium({ viewport: { width: 1440, height: 900 } }),
		);
		const simulator = await startSimulator();
		sim = simulator;
		control = new SimulatorControl(simulator.apiBaseUrl);
		const instance = await N8nInstance.create({ runtime, pkg, mode: 'community' });
		n8n = instance;
		await phase('editor: import credential, n8n start, owner setup', async () => {
			await instance.importSimulatorCredential(simulator.credentials());
			const baseUrl = await instance.start();
			rest = new N8nRest(baseUrl);
			await rest.setupOwner(OWNER);
		});
		// localhost, not 127.0.0.1: the host n8n is configured with (N8N_HOST).
		editor = new N8nEditor(browser.page, `http://localhost:${instance.port}`);
	}, 15 * 60_000);

	afterAll(async () => {
		if (browser) {
			await artifacts.screenshot(browser.page, 'end').catch(() => undefined);
			artifacts.note(
				'browser-console.log',
				browser.problems.length ? `${browser.problems.join('\n')}\n` : '(none)\n',
			);
			await browser.close();
		}
		await n8n?.stop();
		await sim?.stop();
	});

	it('signs in through the sign-in page', async () => {
		const page = editor.page;
		await step('sign in', async () => {
			await editor.signIn(OWNER.email, OWNER.password, async () => {
				const form = await page.getByTestId('auth-form').innerText();
				expect(form).toMatch(/^\s*Sign in/);
				expect(form).toContain('Email');
				expect(form).toContain('Password');
				expect(await page.getByLabel('Email').inputValue()).toBe(OWNER.email);
				await artifacts.screenshot(page, 'signin');
			});
		});
		await page.getByRole('button', { name: 'Create workflow' }).first().waitFor();
		expect(new URL(page.url()).pathname).toBe('/home/workflows');
		expect(await page.getByText('Overview', { exact: true }).isVisible()).toBe(true);
		await artifacts.screenshot(page, 'signed-in');
	});

	it('finds the Nexthink node in the node panel and adds Remote Action > Execute', async () => {
		const page = editor.page;
		workflowId = await step('new workflow', async () => await editor.newWorkflow());
		expect(await page.getByText(/Add first step/).isVisible()).toBe(true);
		await artifacts.screenshot(page, 'new-workflow');

		await step('search "Nexthink" in the node panel', async () => {
			await editor.searchNodes('Nexthink');
			await editor.creatorItem('Nexthink').waitFor();
		});
		expect(await editor.nodeCreator.getByTestId('node-creator-item-name').allInnerTexts()).toEqual([
			'Nexthink',
		]);
		await artifacts.screenshot(page, 'node-search');

		const execute = editor.creatorItem('Run a remote action on devices by collector UUID');
		await step('open the Nexthink node: its triggers and actions', async () => {
			await editor.creatorItem('Nexthink').click();
			await editor.unfoldFor(execute, /^\s*Actions \(\d+\)/);
		});
		const panel = await editor.nodeCreator.innerText();
		// The panel draws only what fits: scroll it through to read every action.
		const seen = await editor.scrolledText(editor.nodeCreator);
		expect(panel).toContain('Installed');
		expect(panel).toContain(`Actions (${NODE_ACTIONS.length})`);
		expect(panel).toContain('Triggers (2)');
		expect(panel).toMatch(/remote action actions/i);
		for (const action of NODE_ACTIONS) expect(seen).toContain(action);
		await artifacts.screenshot(page, 'node-actions');

		await step('add Remote Action > Execute', async () => {
			await execute.click();
			await editor.ndv.waitFor();
			await editor.waitForParameterValue('resource', 'Remote Action');
		});
		expect(await editor.ndv.getByTestId('node-title-container').innerText()).toContain(
			'Run a remote action on devices by collector UUID',
		);
		expect(await editor.parameterValue('resource')).toBe('Remote Action');
		expect(await editor.parameterValue('operation')).toBe('Execute');
		for (const label of ['Credential', 'Remote Action', 'Devices (Collector UUIDs)'])
			expect(await editor.ndv.getByText(label, { exact: true }).first().isVisible()).toBe(true);
		// Nothing chosen yet: the Inputs section says what it waits for.
		// (It comes once the section has asked the node: wait for it, a loaded machine takes seconds.)
		await editor.ndv.getByText(CHOOSE_FIRST).waitFor({ timeout: 15_000 });
		expect(await editor.ndv.getByText(CHOOSE_FIRST).isVisible()).toBe(true);
		// The buttons of Additional Inputs and Options, in the lower case of n8n's own nodes.
		// (Options is a dropdown: its copy is the placeholder of its input.)
		const addInput = editor.ndv.getByText('Add input', { exact: true });
		await addInput.waitFor();
		expect(await addInput.isVisible()).toBe(true);
		expect(await editor.ndv.getByPlaceholder('Add option', { exact: true }).count()).toBe(1);
		// The Docs link opens the README section as given: n8n appends nothing to it.
		const docs = String(new Nexthink().description.documentationUrl);
		expect(await editor.ndv.locator(`a[href="${docs}"]`).count()).toBeGreaterThan(0);

		await step('credential "Nexthink simulator"', async () => {
			const credential = editor.ndv.getByTestId('node-credentials-select').locator('input').first();
			// n8n picks the only credential of the type by itself; pick it by hand if it did not.
			const picked = await until(
				'the credential field',
				async () => {
					const value = await credential.inputValue();
					return value === CREDENTIAL_NAME ? value : undefined;
				},
				5_000,
			).catch(() => undefined);
			if (!picked) {
				await editor.ndv.getByTestId('node-credentials-select').click();
				await page.getByTestId('node-credentials-select-item-nexthinkSimulator').click();
			}
			await until('the credential to be "Nexthink simulator"', async () =>
				(await credential.inputValue()) === CREDENTIAL_NAME ? true : undefined,
			);
		});
		await artifacts.screenshot(page, 'node-panel');
	});

	it('says that no API-enabled remote action has a remote action ID that does not exist', async () => {
		const page = editor.page;
		const notice = editor.ndv.getByTestId('empty-fields-notice');
		await control.reset();
		// n8n shows the modes under its own names, "From list" and "By ID".
		await step('Remote Action: By ID', async () => {
			await editor.locatorMode('remoteActionId', 'By ID');
		});
		const said = await step(`type ${UNKNOWN_ID}`, async () => {
			await editor.locator('remoteActionId').getByTestId('rlc-input').fill(UNKNOWN_ID);
			return await until('the inputs section to speak of the ID', async () => {
				const text = (await notice.innerText()).trim();
				return text.includes(UNKNOWN_ID) ? text : undefined;
			});
		});
		expect(said).toMatch(
			/^No API-enabled remote action has the NQL ID #does_not_exist\. Pick the remote action from the list/,
		);
		expect(await editor.ndv.getByText(CHOOSE_FIRST).count()).toBe(0);
		await artifacts.screenshot(page, 'remote-action-unknown-id');

		// Nexthink was asked for it, and knew no such remote action.
		const details = (await control.log()).filter(
			(entry) => entry.endpoint === 'remoteAction.details',
		);
		expect(details.map((entry) => [entry.query['nql-id'], entry.status])).toEqual([
			[UNKNOWN_ID, 404],
		]);

		// n8n keeps the ID in list mode; picking from the list below replaces it.
		await step('Remote Action: back to From list', async () => {
			await editor.locatorMode('remoteActionId', 'From list');
		});
	});

	it('lists the remote actions the simulator serves (API-enabled only) in the Remote Action list', async () => {
		const page = editor.page;
		const seeded = sim?.data.remoteActions ?? [];
		const expected = seeded
			.filter((action) => action.targeting.apiEnabled)
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((action) => `${action.name} (${action.id})`);
		const hidden = seeded.filter((action) => !action.targeting.apiEnabled).map((a) => a.name);
		expect(expected.length).toBeGreaterThan(1);
		expect(hidden.length).toBeGreaterThan(0);
		await control.reset();

		const items = page.getByTestId('rlc-item');
		const shown = await step('open the Remote Action list', async () => {
			await editor.ndv
				.getByTestId('resource-locator-remoteActionId')
				.getByTestId('rlc-input')
				.click();
			return await until('the Remote Action list to fill', async () => {
				const texts = (await items.allInnerTexts()).map((text) => text.trim());
				return texts.length >= expected.length ? texts : undefined;
			});
		});
		expect(shown).toEqual(expected);
		for (const name of hidden) expect(shown.join('\n')).not.toContain(name);
		await artifacts.screenshot(page, 'remote-action-list');

		// The list came from the simulator, through the node's list search.
		const listed = (await control.log()).filter((entry) => entry.endpoint === 'remoteAction.list');
		expect(listed.length).toBeGreaterThan(0);
		expect(listed.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toContain(
			'GET /api/v1/act/remote-action 200',
		);
		expect(listed.every((entry) => entry.status === 200)).toBe(true);
	});

	it("shows the chosen remote action's own inputs, with their options", async () => {
		const page = editor.page;
		const chosen = sim?.data.remoteActions.find((action) => action.id === CHOSEN_ID);
		if (!chosen) throw new Error(`The simulator seeds no ${CHOSEN_ID}`);
		const inputs = chosen.scriptInfo.inputs;
		expect(inputs.length).toBeGreaterThan(1);
		// Windows-only inputs with fixed options: the node labels them "<name> (Windows)".
		expect(inputs.every((input) => input.usedByWindows && !input.usedByMacOs)).toBe(true);
		const labels = inputs.map((input) => `${input.name} (Windows)`);
		expect(labels[0]).toBe('Current start type (Windows)');

		const mapper = editor.ndv.getByTestId('resource-mapper-container');
		await step(`pick "${chosen.name}"`, async () => {
			await page
				.getByTestId('rlc-item')
				.filter({ hasText: `${chosen.name} (${chosen.id})` })
				.click();
			await until(`the Remote Action field to show ${chosen.name}`, async () =>
				(
					await editor.ndv
						.getByTestId('resource-locator-remoteActionId')
						.getByTestId('rlc-input')
						.inputValue()
				).startsWith(chosen.name)
					? true
					: undefined,
			);
			await mapper.getByText(labels[0]).waitFor();
		});
		const section = await mapper.innerText();
		for (const label of labels) expect(section).toContain(label);
		// One field per input, keyed by the input's id.
		for (const input of inputs)
			expect(await mapper.getByTestId(`remove-field-button-${input.id}`).count()).toBe(1);
		expect(await editor.ndv.getByText(CHOOSE_FIRST).count()).toBe(0);
		await artifacts.screenshot(page, 'remote-action-inputs');

		// The inputs were read from the simulator: details of the chosen remote action.
		const details = (await control.log()).filter(
			(entry) => entry.endpoint === 'remoteAction.details',
		);
		expect(details.map((entry) => [entry.query['nql-id'], entry.status])).toContainEqual([
			CHOSEN_ID,
			200,
		]);

		const first = inputs[0];
		const field = editor.ndv.getByTestId(`parameter-input-${first.id}`);
		const offered = await step(`open the "${first.name}" options`, async () => {
			return await editor.dropdownOptions(field);
		});
		expect(offered).toEqual(first.options);
		await artifacts.screenshot(page, 'input-options');
		await step(`choose "${first.options[1]}"`, async () => {
			await editor.option(first.options[1]).click();
			await editor.waitForParameterValue(first.id, first.options[1]);
		});
		await artifacts.screenshot(page, 'input-chosen');

		// Issue 14 item 3: a node added today (version 2) combines items unless told otherwise.
		const combine = editor.ndv.getByTestId('parameter-input-combineItems');
		await step('Options > Add option > Combine Items', async () => {
			await editor.ndv.getByPlaceholder('Add option', { exact: true }).click();
			await editor.option('Combine Items').click();
			await combine.waitFor();
		});
		expect(await editor.switchIsOn(combine)).toBe(true);
		expect(await editor.ndv.getByText('Combine Items', { exact: true }).count()).toBeGreaterThan(0);
		await artifacts.screenshot(page, 'combine-items-on');
		await editor.closeNdv();
		expect(await editor.canvasNodeNames()).toEqual(
			expect.arrayContaining(['Run a remote action on devices by collector UUID']),
		);
		// The canvas line under the name reads like the dropdowns (issue 14 item 16).
		expect(
			await page
				.getByTestId('canvas-node')
				.filter({ hasText: 'Run a remote action on devices by collector UUID' })
				.innerText(),
		).toContain('Execute: Remote Action');
	});

	it('adds the Nexthink Trigger: Event "NQL Export Completed", Query ID, Output', async () => {
		const page = editor.page;
		// The event's own action text: n8n would otherwise write "On nql export completed".
		const event = editor.creatorItem('On NQL export completed');
		await step('search "Nexthink" again, open its triggers', async () => {
			await editor.searchNodes('Nexthink');
			await editor.creatorItem('Nexthink').click();
			await editor.unfoldFor(event, /^\s*Triggers \(2\)/);
		});
		const triggers = await editor.nodeCreator.innerText();
		expect(triggers).toContain('On NQL export completed');
		expect(triggers).not.toContain('On nql export completed');
		// The second event, New or Changed Rows, by its own action text too.
		expect(triggers).toContain('On new or changed NQL rows');
		await artifacts.screenshot(page, 'trigger-in-node-panel');

		await step('add the Nexthink Trigger', async () => {
			await event.click();
			await editor.ndv.waitFor();
			await editor.waitForParameterValue('event', 'NQL Export Completed');
		});
		expect(await editor.ndv.getByTestId('node-title-container').innerText()).toContain(
			'Nexthink Trigger',
		);
		for (const label of ['Event', 'Query ID', 'Query Parameters', 'Compression', 'Output'])
			expect(await editor.ndv.getByText(label, { exact: true }).first().isVisible()).toBe(true);
		expect(await editor.parameterValue('event')).toBe('NQL Export Completed');
		expect(await editor.parameterValue('output')).toBe('One Item per Row');
		expect(
			await editor.ndv
				.getByTestId('parameter-input-queryId')
				.locator('input')
				.getAttribute('placeholder'),
		).toBe('#devices_with_issues');
		expect(await editor.ndv.getByRole('button', { name: 'Fetch Test Event' }).count()).toBe(1);
		await until('the trigger credential', async () =>
			(await editor.ndv
				.getByTestId('node-credentials-select')
				.locator('input')
				.first()
				.inputValue()) === CREDENTIAL_NAME
				? true
				: undefined,
		);
		expect(
			await editor.ndv
				.locator(`a[href="${String(new NexthinkTrigger().description.documentationUrl)}"]`)
				.count(),
		).toBeGreaterThan(0);
		await artifacts.screenshot(page, 'trigger-panel');

		// A Query ID without its #: the warning shows under the field while editing, before any run.
		const warning = editor.ndv.getByText(queryIdNotice.displayName);
		expect(await warning.count()).toBe(0);
		const withoutHash = TRIGGER_QUERY_ID.slice(1);
		await step(`Query ID ${withoutHash} (no #)`, async () => {
			await editor.ndv.getByTestId('parameter-input-queryId').locator('input').fill(withoutHash);
			await editor.waitForParameterValue('queryId', withoutHash);
			await warning.waitFor();
		});
		expect((await warning.innerText()).trim()).toBe(queryIdNotice.displayName);
		expect(queryIdNotice.displayName).toContain('"#" followed by');
		await artifacts.screenshot(page, 'trigger-query-id-without-hash');

		await step(`Query ID ${TRIGGER_QUERY_ID}`, async () => {
			await editor.ndv
				.getByTestId('parameter-input-queryId')
				.locator('input')
				.fill(TRIGGER_QUERY_ID);
			await editor.waitForParameterValue('queryId', TRIGGER_QUERY_ID);
			await warning.waitFor({ state: 'detached' });
		});
		const outputs = await step('open the Output options', async () => {
			return await editor.dropdownOptions(editor.ndv.getByTestId('parameter-input-output'));
		});
		expect(outputs).toEqual(['One Item per Row', 'File', 'Status and Results Link']);
		await artifacts.screenshot(page, 'trigger-output-options');
		await editor.option('One Item per Row').click();
		await editor.closeNdv();

		const canvas = await editor.canvasNodeNames();
		expect(canvas).toEqual(
			expect.arrayContaining([
				'Run a remote action on devices by collector UUID',
				'Nexthink Trigger',
			]),
		);
		// The trigger's subtitle is computed from its Query ID.
		expect(
			await page.getByTestId('canvas-node').filter({ hasText: 'Nexthink Trigger' }).innerText(),
		).toContain(`Export of ${TRIGGER_QUERY_ID}`);
		await artifacts.screenshot(page, 'canvas');
	});

	it('saves what was chosen in the editor: the parameters the nodes run with', async () => {
		await rest.login(OWNER.email, OWNER.password);
		const find = (workflow: StoredWorkflow, type: string) =>
			workflow.nodes.find((node) => node.type === `n8n-nodes-nexthink.${type}`);
		// n8n 2.x saves the workflow by itself shortly after each change.
		const stored = await step('the saved workflow (REST)', async () => {
			return await until(
				'n8n to save the workflow with both Nexthink nodes set',
				async () => {
					const workflow = await rest.getWorkflow(workflowId);
					const action = find(workflow, 'nexthink');
					const trigger = find(workflow, 'nexthinkTrigger');
					const inputs = action?.parameters.inputs as { value?: Record<string, unknown> };
					return inputs?.value?.StartType && trigger?.parameters.queryId ? workflow : undefined;
				},
				30_000,
				1_000,
			);
		});
		const action = find(stored, 'nexthink');
		// Combine Items, added in the editor, came with version 2's default: on.
		expect(action?.parameters.options).toEqual({ combineItems: true });
		expect(action?.parameters).toMatchObject({
			resource: 'remoteAction',
			remoteActionId: { __rl: true, mode: 'list', value: CHOSEN_ID },
			inputs: { mappingMode: 'defineBelow', value: { StartType: 'Manual' } },
		});
		// Execute is the default operation: n8n keeps defaults out of the saved parameters.
		expect(action?.parameters.operation ?? 'execute').toBe('execute');
		const schema = (action?.parameters.inputs as { schema: Array<{ id: string }> }).schema;
		expect(schema.map((field) => field.id)).toEqual([
			'StartType',
			'StatusChange',
			'SetStartTypeTo',
		]);
		expect(find(stored, 'nexthinkTrigger')?.parameters).toMatchObject({
			queryId: TRIGGER_QUERY_ID,
		});
		for (const node of [action, find(stored, 'nexthinkTrigger')])
			expect((node as { credentials?: unknown } | undefined)?.credentials).toEqual({
				nexthinkApi: { id: 'nexthinkSimulator', name: CREDENTIAL_NAME },
			});
	});

	it("offers the chosen workflow's parameters as fields in Workflow > Trigger, with Nexthink's options", async () => {
		const page = editor.page;
		const chosen = sim?.data.workflows.find((workflow) => workflow.id === WORKFLOW_ID);
		if (!chosen) throw new Error(`The simulator seeds no ${WORKFLOW_ID}`);
		const mapper = editor.ndv.getByTestId('resource-mapper-container');
		await control.reset();
		await step('add Workflow > Trigger', async () => {
			await editor.searchNodes('Nexthink');
			await editor.creatorItem('Nexthink').click();
			const action = editor.creatorItem('Trigger a workflow on devices or users by ID');
			await editor.unfoldFor(action, /^\s*Actions \(\d+\)/);
			await action.click();
			await editor.ndv.waitFor();
			await editor.waitForParameterValue('operation', 'Trigger');
		});
		// Nothing chosen yet: the Workflow Parameters section says what it waits for.
		const chooseWorkflow = editor.ndv.getByText(
			'Choose a workflow first: its parameters show up here.',
		);
		await chooseWorkflow.waitFor({ timeout: 15_000 });
		expect(await chooseWorkflow.count()).toBe(1);
		await step(`pick "${chosen.name}" from the Workflow list`, async () => {
			await editor.locator('workflowId').getByTestId('rlc-input').click();
			await page
				.getByTestId('rlc-item')
				.filter({ hasText: `${chosen.name} (${chosen.id})` })
				.click();
			await mapper.getByText('mode', { exact: true }).first().waitFor();
		});
		const field = editor.ndv.getByTestId('parameter-input-mode');
		const offered = await step('open the "mode" options', async () => {
			return await editor.dropdownOptions(field);
		});
		expect(offered).toEqual(['quick', 'full']);
		await artifacts.screenshot(page, 'workflow-parameters');
		await editor.option('full').click();
		await editor.waitForParameterValue('mode', 'full');
		await editor.closeNdv();

		// The fields came from Nexthink: the details of the chosen workflow.
		const details = (await control.log()).filter((entry) => entry.endpoint === 'workflow.details');
		expect(details.map((entry) => [entry.query.nqlId, entry.status])).toContainEqual([
			WORKFLOW_ID,
			200,
		]);
	});

	it('shows the credential form with the regions as Nexthink writes them (EU, US, PAC, META)', async () => {
		const page = editor.page;
		const dialog = page.getByTestId('credential-edit-dialog');
		await step(`open the "${CREDENTIAL_NAME}" credential`, async () => {
			await page.goto(`${editor.baseUrl}/home/credentials`);
			await page.getByText(CREDENTIAL_NAME, { exact: true }).first().click();
			await dialog.waitFor();
		});
		const regions = await step('open the Region options', async () => {
			return await editor.dropdownOptions(dialog.getByTestId('region').locator('input').first());
		});
		const declared = (
			new NexthinkApi().properties.find((property) => property.name === 'region')?.options ?? []
		).map((option) => (option as { name: string }).name);
		expect(regions).toEqual(declared);
		expect(regions).toEqual(expect.arrayContaining(['European Union (EU)', 'United States (US)']));
		await artifacts.screenshot(page, 'credential-regions');
	});
});
