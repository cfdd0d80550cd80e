/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: the simulator CLI is a stand-alone process, it never runs inside n8n (it reads process.argv and signals) */
/**
 * Runs the simulator stand-alone:
 *   npx ts-node --transpile-only test/simulator/cli.ts [--api-port 8901] [--login-port 8902] [--files-port 8903]
 *     [--host 127.0.0.1] [--token-ttl 900] [--device-count 2500] [--latency-ms 0] [--export-submitted-ms 1000] [--export-in-progress-ms 2000]
 *     [--execution-pending-ms 0] [--execution-in-progress-ms 0]
 *     [--workflow-details-shape array|object] [--thinklet-shape array|object] [--csv-bom]
 */
import {
	CONTROL_ENDPOINTS,
	startSimulator,
	type ShapeOption,
	type SimulatorOptions,
} from './index';

const USAGE = `Usage: npm run simulator -- [options]
  --api-port <n>               API host port (default 8901)
  --login-port <n>             login host port (default 8902)
  --files-port <n>             files host port (default 8903)
  --host <address>             listen address (default 127.0.0.1)
  --token-ttl <seconds>        token lifetime (default 900)
  --device-count <n>           seeded devices and users (default 2500)
  --latency-ms <ms>            delay every API host answer (default 0; tokens and files at once)
  --export-submitted-ms <ms>   time an export stays SUBMITTED (default 1000)
  --export-in-progress-ms <ms> time an export stays IN_PROGRESS (default 2000)
  --execution-pending-ms <ms>  time a workflow or remote action execution stays pending in NQL (default 0)
  --execution-in-progress-ms <ms>
                               then in_progress, before its final status (default 0)
  --workflow-details-shape array|object
  --thinklet-shape array|object
  --csv-bom                    start export files with a UTF-8 BOM
`;

function parseArgs(argv: string[]): SimulatorOptions | undefined {
	const options: SimulatorOptions = { apiPort: 8901, loginPort: 8902, filesPort: 8903 };
	const timings: { submittedMs?: number; inProgressMs?: number } = {};
	const pace: { pendingMs?: number; inProgressMs?: number } = {};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--help' || flag === '-h') return undefined;
		if (flag === '--csv-bom') {
			options.csvBom = true;
			continue;
		}
		const value = argv[++i];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		const num = () => {
			const n = Number(value);
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number ≥ 0, got ${value}`);
			return n;
		};
		const shape = (): ShapeOption => {
			if (value !== 'array' && value !== 'object')
				throw new Error(`${flag} takes array or object, got ${value}`);
			return value;
		};
		switch (flag) {
			case '--api-port':
				options.apiPort = num();
				break;
			case '--login-port':
				options.loginPort = num();
				break;
			case '--files-port':
				options.filesPort = num();
				break;
			case '--host':
				options.host = value;
				break;
			case '--token-ttl':
				options.tokenTtlSeconds = num();
				break;
			case '--device-count':
				options.deviceCount = num();
				break;
			case '--latency-ms':
				options.latencyMs = num();
				break;
			case '--export-submitted-ms':
				timings.submittedMs = num();
				break;
			case '--export-in-progress-ms':
				timings.inProgressMs = num();
				break;
			case '--execution-pending-ms':
				pace.pendingMs = num();
				break;
			case '--execution-in-progress-ms':
				pace.inProgressMs = num();
				break;
			case '--workflow-details-shape':
				options.workflowDetailsShape = shape();
				break;
			case '--thinklet-shape':
				options.thinkletResponseShape = shape();
				break;
			default:
				throw new Error(`Unknown option ${flag}\n\n${USAGE}`);
		}
	}
	options.exportTimings = timings;
	options.executionTimings = pace;
	return options;
}

async function main(): Promise<void> {
	const out = (text: string) => process.stdout.write(`${text}\n`);
	let options: SimulatorOptions | undefined;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exitCode = 2;
		return;
	}
	if (!options) {
		out(USAGE);
		return;
	}
	const sim = await startSimulator(options);
	out('Nexthink Infinity simulator is running.\n');
	out(`  API host        ${sim.apiBaseUrl}`);
	out(`  Token URL       ${sim.tokenUrl}`);
	out(`  Legacy token    ${sim.legacyTokenUrl}`);
	out(`  Files host      ${sim.filesBaseUrl}`);
	out('\nControl API (no auth):');
	for (const line of CONTROL_ENDPOINTS)
		out(`  ${line.replace('/_simulator', `${sim.apiBaseUrl}/_simulator`)}`);
	out('\nn8n credential "Nexthink API" (paste as is; the secret is the simulator\'s own):');
	out(JSON.stringify(sim.credentials(), null, 2));
	out('\nSeeded IDs:');
	out(`  workflows       ${sim.data.workflows.map((w) => w.id).join(' ')}`);
	out(`  remote actions  ${sim.data.remoteActions.map((r) => r.id).join(' ')}`);
	out(`  campaigns       ${sim.data.campaigns.map((c) => c.nqlId).join(' ')}`);
	out(
		`  NQL queries     ${sim.data.queries.map((q) => (q.parameters.length ? `${q.id}(${q.parameters.join(', ')})` : q.id)).join(' ')}`,
	);
	const d = sim.data.devices[0];
	const u = sim.data.users[0];
	if (d && u)
		out(
			`  e.g. device     ${d.name}  collector ${d.collectorUid}\n       user       ${u.upn}  ${u.sid}`,
		);
	out('\nCtrl+C stops it.');
	const stop = (signal: string) => {
		out(`\n${signal}: stopping the simulator.`);
		void sim.stop().then(() => {
			process.exitCode = 0;
		});
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	process.stderr.write(`The simulator could not start: ${error.message}\n`);
	process.exitCode = 1;
});
