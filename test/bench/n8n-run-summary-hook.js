// An n8n external hook file (EXTERNAL_HOOK_FILES) for `npm run bench`; it runs inside the n8n
// process of `n8n execute`, never in the package. n8n calls `workflow.postExecute` after it has
// saved the execution, with the full run. The hook writes what the benchmark reads (status, each
// node run's start, duration and item counts) to the file NEXTHINK_BENCH_SUMMARY names, then
// empties the items: `n8n execute --rawOutput` prints the whole run, and a million rows do not fit
// in one string (RangeError: Invalid string length). Saving, the real cost, has already happened.
const { writeFileSync } = require('node:fs');

/** The first item's JSON when it is small (a request's answer, for the check), else undefined. */
function smallFirstItem(items) {
	const json = items && items[0] && items[0].json;
	if (!json) return undefined;
	try {
		const text = JSON.stringify(json);
		return text.length <= 4096 ? json : undefined;
	} catch {
		return undefined;
	}
}

module.exports = {
	workflow: {
		postExecute: [
			async function summarise(run, _workflowData, executionId) {
				const file = process.env.NEXTHINK_BENCH_SUMMARY;
				if (!file || !run) return;
				const resultData = (run.data && run.data.resultData) || {};
				const nodes = {};
				for (const [name, tasks] of Object.entries(resultData.runData || {})) {
					nodes[name] = tasks.map((task) => {
						const main = (task.data && task.data.main) || [];
						return {
							startTime: task.startTime,
							executionTime: task.executionTime,
							status: task.executionStatus,
							error: task.error ? task.error.message : undefined,
							items: main.map((output) => (output ? output.length : 0)),
							binary: main.some((output) => output && output.some((item) => item && item.binary)),
							first: smallFirstItem(main[0]),
						};
					});
					for (const task of tasks)
						if (task.data && task.data.main) task.data.main = task.data.main.map(() => []);
				}
				const error = resultData.error;
				writeFileSync(
					file,
					JSON.stringify({
						executionId,
						status: run.status,
						startedAt: run.startedAt,
						stoppedAt: run.stoppedAt,
						error: error
							? [error.message, error.description].filter(Boolean).join(': ')
							: undefined,
						lastNodeExecuted: resultData.lastNodeExecuted,
						nodes,
					}),
				);
			},
		],
	},
};
