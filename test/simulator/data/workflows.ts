/** Seeded workflows, in the live payload shape (docs/nexthink-api.md §6.6). */
import { uuidFrom } from './random';

export type Dependency = 'USER' | 'DEVICE' | 'USER_AND_DEVICE' | 'NONE';

export interface WorkflowParameter {
	id: string;
	allowCustomValue: boolean;
	options: string[];
}

export interface WorkflowVersion {
	version: number;
	uuid: string;
	status: 'ACTIVE' | 'INACTIVE';
	definition: string;
	valid: boolean;
	hasDevice: boolean;
	hasUser: boolean;
	parameters: WorkflowParameter[];
}

export interface Workflow {
	id: string;
	uuid: string;
	name: string;
	description: string;
	status: 'ACTIVE' | 'INACTIVE';
	lastUpdateTime: string;
	triggerMethods: {
		apiEnabled: boolean;
		manualEnabled: boolean;
		manualAllowMultipleInstances: boolean;
		schedulingEnabled: boolean;
	};
	versions: WorkflowVersion[];
}

interface Spec {
	id: string;
	name: string;
	description: string;
	status?: 'ACTIVE' | 'INACTIVE';
	dependency: Dependency;
	triggers: Array<'API' | 'MANUAL' | 'MANUAL_MULTIPLE' | 'SCHEDULER'>;
	parameters?: WorkflowParameter[];
	versions?: number;
	updated: string;
}

const SPECS: Spec[] = [
	{
		id: '#restart_service',
		name: 'Restart service',
		description: 'Restarts a Windows service and checks that it is running again.',
		dependency: 'DEVICE',
		triggers: ['API', 'MANUAL', 'MANUAL_MULTIPLE'],
		parameters: [
			{ id: 'service_name', allowCustomValue: true, options: ['Spooler', 'wuauserv', 'BITS'] },
		],
		versions: 2,
		updated: '2024-11-04T09:12:00Z',
	},
	{
		id: '#device_diagnostics',
		name: 'Device diagnostics',
		description: 'Collects disk, memory and network diagnostics from a device.',
		dependency: 'DEVICE',
		triggers: ['API', 'MANUAL'],
		parameters: [{ id: 'mode', allowCustomValue: false, options: ['quick', 'full'] }],
		updated: '2024-10-21T14:30:00Z',
	},
	{
		id: '#onboard_new_user',
		name: 'Onboard new user',
		description: 'Sends the welcome campaign and checks the mandatory software of a new employee.',
		dependency: 'USER',
		triggers: ['API'],
		parameters: [
			{
				id: 'department',
				allowCustomValue: true,
				options: ['Finance', 'IT', 'Sales', 'Engineering'],
			},
			{ id: 'start_date', allowCustomValue: true, options: [] },
		],
		updated: '2024-09-02T08:00:00Z',
	},
	{
		id: '#software_install_approval',
		name: 'Software install approval',
		description:
			'Asks a manager for approval, waits for the answer (wait-for-event thinklet), then installs.',
		dependency: 'USER_AND_DEVICE',
		triggers: ['API', 'MANUAL'],
		parameters: [
			{
				id: 'software_name',
				allowCustomValue: true,
				options: ['Visual Studio Code', 'Zoom', 'Slack'],
			},
		],
		versions: 3,
		updated: '2025-01-08T16:45:00Z',
	},
	{
		id: '#tenant_health_check',
		name: 'Tenant health check',
		description: 'Checks the tenant configuration; needs no target of its own.',
		dependency: 'NONE',
		triggers: ['API', 'SCHEDULER'],
		updated: '2024-12-12T07:00:00Z',
	},
	{
		id: '#disk_cleanup_scheduled',
		name: 'Scheduled disk cleanup',
		description: 'Runs every night; not enabled for the API.',
		dependency: 'DEVICE',
		triggers: ['SCHEDULER'],
		updated: '2024-06-30T22:00:00Z',
	},
	{
		id: '#legacy_vpn_reset',
		name: 'Legacy VPN reset',
		description: 'Resets the old VPN client. Inactive since the VPN migration.',
		status: 'INACTIVE',
		dependency: 'DEVICE',
		triggers: ['API', 'MANUAL'],
		updated: '2023-03-15T10:00:00Z',
	},
	{
		// Listed without a `#`, as the Go SDK's live test lists `lab_workflow` (docs/nexthink-api.md §6.5):
		// clients must send it as listed.
		id: 'lab_workflow',
		name: 'Lab workflow',
		description: 'A lab workflow whose NQL ID Nexthink lists without a leading #.',
		dependency: 'DEVICE',
		triggers: ['API'],
		updated: '2025-02-03T11:00:00Z',
	},
];

/** Workflows whose executions wait for an external event (thinklet trigger) after they start. */
export const WAIT_FOR_EVENT_WORKFLOWS = new Set(['#software_install_approval']);

function build(spec: Spec): Workflow {
	const status = spec.status ?? 'ACTIVE';
	const count = spec.versions ?? 1;
	const versions: WorkflowVersion[] = [];
	for (let v = 1; v <= count; v++) {
		versions.push({
			version: v,
			uuid: uuidFrom(`workflow-version:${spec.id}:${v}`),
			status: v === count && status === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
			definition: JSON.stringify({ thinklets: v + 2, entry: 'start', dependency: spec.dependency }),
			valid: true,
			hasDevice: spec.dependency === 'DEVICE' || spec.dependency === 'USER_AND_DEVICE',
			hasUser: spec.dependency === 'USER' || spec.dependency === 'USER_AND_DEVICE',
			parameters: spec.parameters ?? [],
		});
	}
	return {
		id: spec.id,
		uuid: uuidFrom(`workflow:${spec.id}`),
		name: spec.name,
		description: spec.description,
		status,
		lastUpdateTime: spec.updated,
		triggerMethods: {
			apiEnabled: spec.triggers.includes('API'),
			manualEnabled: spec.triggers.includes('MANUAL'),
			manualAllowMultipleInstances: spec.triggers.includes('MANUAL_MULTIPLE'),
			schedulingEnabled: spec.triggers.includes('SCHEDULER'),
		},
		versions,
	};
}

export function seedWorkflows(): Workflow[] {
	return SPECS.map(build);
}

/** The version executions run on: the active one, else the latest. */
export function currentVersion(workflow: Workflow): WorkflowVersion {
	return (
		workflow.versions.find((v) => v.status === 'ACTIVE') ??
		workflow.versions[workflow.versions.length - 1]
	);
}

export function dependencyOf(workflow: Workflow): Dependency {
	const { hasDevice, hasUser } = currentVersion(workflow);
	if (hasDevice && hasUser) return 'USER_AND_DEVICE';
	if (hasDevice) return 'DEVICE';
	return hasUser ? 'USER' : 'NONE';
}
