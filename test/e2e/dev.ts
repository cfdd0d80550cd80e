/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: `npm run dev` is a stand-alone process (signals, exit code), never runs inside n8n */
/**
 * `npm run dev`: this package in a real n8n, ready to click through, in one command.
 *
 *  1. builds and packs the package;
 *  2. makes sure Node 24 and n8n 2.40.7 are installed in .cache/n8n-runtime/ (first time about
 *     5 minutes, then a marker check);
 *  3. starts the Nexthink simulator on 127.0.0.1:8901–8903 (as `npm run simulator`), or on the
 *     next three free ports side by side when one of them is taken (says which);
 *  4. starts n8n on port 5678, or the next free one (says which), from a fresh temp user folder,
 *     with the package installed as a community package (`n8n-nodes-nexthink.*`);
 *  5. creates the owner, imports the "Nexthink simulator" credential and every example;
 *  6. prints the editor URL and how to sign in. Ctrl-C stops n8n and the simulator and removes
 *     the temp folder.
 */
import type { NexthinkSimulator } from '../simulator';
import {
	buildAndPack,
	ensureRuntime,
	loadExamples,
	N8nInstance,
	N8nRest,
	newOwner,
	onStopSignal,
	say,
	seconds,
} from './n8n';
import { DEV_N8N_PORT, n8nPortMoved, startDevSimulator } from './n8n/dev-ports';
import { E2E_CACHE } from './support/phases';

/** A new password each run: printed below, and the instance is gone at Ctrl-C. */
const OWNER = newOwner('owner@example.com', 'Dev', 'Owner');

let sim: NexthinkSimulator | undefined;
let n8n: N8nInstance | undefined;

async function stopAll(): Promise<void> {
	await n8n?.stop();
	await sim?.stop();
}

async function main(): Promise<void> {
	const started = Date.now();
	onStopSignal(async (signal) => {
		say(`\n${signal}: stopping n8n and the simulator…`);
		await stopAll();
		say('Stopped.');
	});

	say('npm run dev: the Nexthink nodes in a real n8n, against the local Nexthink simulator\n');
	say('Building and packing the package');
	const pkg = await buildAndPack(E2E_CACHE, say);
	const runtime = await ensureRuntime(say);

	say('Starting the Nexthink simulator');
	const simulator = await startDevSimulator();
	sim = simulator.sim;
	if (simulator.moved) say(`  ${simulator.moved}`);
	say(`  API ${sim.apiBaseUrl}, token ${sim.tokenUrl}, files ${sim.filesBaseUrl}`);

	say('Preparing n8n (fresh user folder, package installed as a community package)');
	const instance = await N8nInstance.create({ runtime, pkg, mode: 'community' });
	n8n = instance;
	const examples = loadExamples();
	await instance.importSimulatorCredential(sim.credentials());
	await instance.importExamples(examples, { forCli: false });

	say('Starting n8n');
	const baseUrl = await instance.start(DEV_N8N_PORT);
	const n8nMoved = n8nPortMoved(DEV_N8N_PORT, instance.port);
	if (n8nMoved) say(`  ${n8nMoved}`);
	const rest = new N8nRest(baseUrl);
	await rest.setupOwner(OWNER);

	const editorUrl = `http://localhost:${instance.port}`;
	const notes = [simulator.moved, n8nMoved]
		.filter((line): line is string => Boolean(line))
		.map((line) => `\n  note           ${line}`)
		.join('');
	say(`
Ready in ${seconds(Date.now() - started)}.

  n8n editor     ${editorUrl}
  sign in with   ${OWNER.email} / ${OWNER.password}
  credential     "Nexthink simulator" (Nexthink API, region Custom URLs) → the simulator
  workflows      ${examples.length} examples, named "Nexthink example: …" (open one, then "Execute workflow")
  simulator      ${sim.apiBaseUrl}/_simulator/log shows what Nexthink received (see test/simulator/README.md)
  n8n            ${runtime.n8nVersion} on Node ${runtime.nodeVersion}, user folder ${instance.userFolder}
                 (temporary: removed on exit, with anything you saved in it), log ${instance.userFolder}/n8n.log${notes}

After changing the nodes, stop (Ctrl-C) and run npm run dev again: it rebuilds and reinstalls the package.
Ctrl-C stops n8n and the simulator.`);
}

main().catch(async (error: Error) => {
	process.stderr.write(`\nnpm run dev failed: ${error.message}\n`);
	await stopAll().catch(() => undefined);
	process.exit(1);
});
