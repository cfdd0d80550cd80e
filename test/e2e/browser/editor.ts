/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: polls the n8n editor with setTimeout between looks, never runs inside n8n */
/**
 * The n8n 2.40.7 editor as a person uses it, through the elements it marks with `data-test-id`
 * (read off the editor's DOM) and roles and labels where it has them:
 *
 *   sign-in page            labels "Email", "Password"; button "Sign in"
 *   canvas                  canvas-plus-button ("Add first step…"), canvas-node
 *   node creator            node-creator-plus-button, node-creator (the panel),
 *                           node-creator-search-bar (its input), node-creator-item-name (a node or
 *                           an action), node-creator-category-item ("Triggers (1)", "Actions (14)")
 *   node panel (NDV)        ndv, ndv-close-button, parameter-input-<name>, node-credentials-select,
 *                           resource-locator-<name> with rlc-mode-selector, rlc-input and
 *                           rlc-item (the list), resource-mapper-container (empty-fields-notice
 *                           when it has no fields to show), remove-field-button-<field id>
 *   dropdown options        role "option"
 */
import type { Locator, Page } from 'playwright-core';

/** Calls `probe` until it returns something other than undefined; throws after `timeoutMs` saying what it waited for. */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 30_000,
	intervalMs = 250,
): Promise<T> {
	const started = Date.now();
	let lastError = '';
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = (error as Error).message.split('\n')[0];
		}
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`Gave up after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
			);
		await new Promise((done) => setTimeout(done, intervalMs));
	}
}

export class N8nEditor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {
		page.setDefaultTimeout(30_000);
	}

	/** Fills the sign-in page and submits it; resolves once the editor has left /signin. */
	async signIn(email: string, password: string, beforeSubmit?: () => Promise<void>): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.getByLabel('Email').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await beforeSubmit?.();
		await this.page.getByRole('button', { name: 'Sign in' }).click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}

	/** Opens a new, empty workflow; returns its id (n8n 2.x gives it one at once: /workflow/<id>?new=true). */
	async newWorkflow(): Promise<string> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.waitForURL(/\/workflow\/(?!new)[^/?]+/);
		await this.page.getByTestId('canvas-plus-button').waitFor();
		const match = /\/workflow\/([^/?]+)/.exec(new URL(this.page.url()).pathname);
		if (!match) throw new Error(`No workflow id in ${this.page.url()}`);
		return match[1];
	}

	get nodeCreator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	/** The node panel ("NDV") of the node that is open. */
	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	/** Opens the node panel with the canvas's + button and types `text` into its search box. */
	async searchNodes(text: string): Promise<void> {
		await this.page.getByTestId('node-creator-plus-button').click();
		const search = this.page.getByTestId('node-creator-search-bar');
		await search.waitFor();
		await search.fill(text);
	}

	/** An entry of the node creator (a node, an action or a trigger event) by its exact name. */
	creatorItem(name: string): Locator {
		return this.nodeCreator.getByTestId('node-creator-item-name').filter({
			hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`),
		});
	}

	/** A category header of a node's actions panel ("Actions (14)", "Triggers (1)"). */
	creatorCategory(title: RegExp): Locator {
		return this.nodeCreator.getByTestId('node-creator-category-item').filter({ hasText: title });
	}

	/**
	 * Makes `item` visible in the node's actions panel: its category (Triggers or Actions) starts
	 * folded in some views (Actions, on an empty canvas; Triggers, once a trigger is there), and a
	 * click on its header unfolds it.
	 */
	async unfoldFor(item: Locator, category: RegExp): Promise<void> {
		const header = this.creatorCategory(category);
		await header.waitFor();
		if (!(await item.isVisible())) await header.click();
		await item.waitFor();
	}

	/** The shown value of a parameter's input (a text box, or the label a dropdown shows). */
	async parameterValue(name: string): Promise<string> {
		return await this.ndv
			.getByTestId(`parameter-input-${name}`)
			.locator('input, textarea')
			.first()
			.inputValue();
	}

	/** Waits until a parameter shows `expected` and returns what it shows (the last value seen on timeout, in the error). */
	async waitForParameterValue(name: string, expected: string, timeoutMs = 15_000): Promise<string> {
		return await until(
			`parameter ${name} to show "${expected}"`,
			async () => ((await this.parameterValue(name)) === expected ? expected : undefined),
			timeoutMs,
		);
	}

	/** Opens a dropdown parameter and returns the names of its options (first line of each). */
	async dropdownOptions(parameterInput: Locator): Promise<string[]> {
		await parameterInput.click();
		const options = this.page.getByRole('option');
		await options.first().waitFor();
		return (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	}

	/** The open dropdown's option called `name` (an option may show a description under its name). */
	option(name: string): Locator {
		return this.page
			.getByRole('option')
			.filter({ has: this.page.getByText(name, { exact: true }) });
	}

	/** The text of a scrollable panel, read top to bottom while scrolling it (lists draw only what fits). */
	async scrolledText(panel: Locator): Promise<string> {
		const lines = new Set<string>();
		await panel.hover();
		for (let turn = 0; turn < 12; turn++) {
			for (const line of (await panel.innerText()).split('\n')) lines.add(line.trim());
			await this.page.mouse.wheel(0, 300);
			await this.page.waitForTimeout(100);
		}
		await this.page.mouse.wheel(0, -5000);
		return [...lines].join('\n');
	}

	/** Whether the switch of a boolean parameter is on (Element Plus: aria-checked, or is-checked). */
	async switchIsOn(parameterInput: Locator): Promise<boolean> {
		const control = parameterInput.locator('[role="switch"], .el-switch').first();
		await control.waitFor();
		if ((await control.getAttribute('aria-checked')) === 'true') return true;
		return /\bis-checked\b/.test((await control.getAttribute('class')) ?? '');
	}

	/** The resource locator field of parameter `name`. */
	locator(name: string): Locator {
		return this.ndv.getByTestId(`resource-locator-${name}`);
	}

	/** Switches a resource locator to the mode shown as `mode`: n8n's own names, "From list" or "By ID". */
	async locatorMode(name: string, mode: string): Promise<void> {
		await this.locator(name).getByTestId('rlc-mode-selector').click();
		await this.option(mode).click();
		await until(`the ${name} locator to be in mode "${mode}"`, async () =>
			(await this.locator(name).getByTestId('rlc-mode-selector').locator('input').inputValue()) ===
			mode
				? true
				: undefined,
		);
	}

	/** The names of the canvas's nodes (their first line). */
	async canvasNodeNames(): Promise<string[]> {
		return (await this.page.getByTestId('canvas-node').allInnerTexts()).map((text) =>
			text.split('\n')[0].trim(),
		);
	}

	async closeNdv(): Promise<void> {
		await this.page.getByTestId('ndv-close-button').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}
}
